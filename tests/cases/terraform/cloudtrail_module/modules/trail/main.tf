variable "name" {
  type = string
}

variable "validate_log_files" {
  type    = bool
  default = true
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = "central-log-archive"
  is_multi_region_trail         = true
  kms_key_id                    = "arn:aws:kms:us-east-1:111122223333:key/abc"
  enable_log_file_validation    = var.validate_log_files
}

output "arn" {
  value = aws_cloudtrail.this.arn
}
