# Unknown values of three origins: a module that is not installed, a variable without a
# default, and an attribute known only after apply.
module "keys" {
  source = "git::https://example.com/keys.git"
}

variable "encrypt_volumes" {
  type = bool
}

resource "aws_sns_topic" "events" {
  name              = "events"
  kms_master_key_id = module.keys.key_arn
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = var.encrypt_volumes
}

resource "aws_kms_key" "logs" {
  enable_key_rotation = true
}

resource "aws_cloudwatch_log_group" "app" {
  name       = "app"
  kms_key_id = aws_kms_key.logs.arn
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = module.keys.encrypt_volumes
}

resource "aws_ebs_volume" "cache" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = aws_kms_key.logs.is_enabled
}

variable "admin_cidr" {
  type = string
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "admin access from ${var.admin_cidr}"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
