# Settings decided by a variable default: the key id is empty (not unset) and encryption is
# off, each only until a deployment supplies another value; the findings say so.
variable "kms_key_id" {
  type    = string
  default = ""
}

variable "storage_encrypted" {
  type    = bool
  default = false
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "org-log-archive"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  kms_key_id                    = var.kms_key_id
}

resource "aws_db_instance" "db" {
  identifier        = "db"
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  storage_encrypted = var.storage_encrypted
}
