# count = var.enabled ? 1 : 0 with enabled = false: the unencrypted bucket is not created.
variable "enabled" {
  type    = bool
  default = false
}

resource "aws_s3_bucket" "maybe" {
  count  = var.enabled ? 1 : 0
  bucket = "maybe-bucket"
}

resource "aws_ebs_volume" "maybe" {
  count             = var.enabled ? 1 : 0
  availability_zone = "us-east-1a"
  size              = 10
}
