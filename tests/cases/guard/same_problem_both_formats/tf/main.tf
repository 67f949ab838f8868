variable "classification" {
  type = string
}

variable "extra_tags" {
  type = map(string)
}

resource "aws_s3_bucket" "unclassified" {
  bucket = "unclassified"
  tags = {
    Owner = "data-team"
  }
}

resource "aws_s3_bucket" "classified" {
  bucket = "classified"
  tags = {
    DataClassification = "confidential"
  }
}

resource "aws_dynamodb_table" "no_tags" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_db_instance" "bad_level" {
  instance_class = "db.t3.micro"
  engine         = "postgres"
  tags = {
    DataClassification = "secret"
  }
}

resource "aws_s3_bucket" "from_variable" {
  bucket = "v"
  tags   = var.extra_tags
}

resource "aws_s3_bucket" "variable_level" {
  bucket = "l"
  tags = {
    DataClassification = var.classification
  }
}

resource "aws_efs_file_system" "files" {
  tags = {
    Name = "shared"
  }
}
