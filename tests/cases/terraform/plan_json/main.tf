# The same configuration as a plan (plan.json, made by terraform-offline plan-json): plan findings map back to these lines.
locals {
  buckets = {
    data = { encrypted = true }
    logs = { encrypted = false }
  }
}

resource "aws_s3_bucket" "b" {
  for_each = local.buckets
  bucket   = "example-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  for_each = { for k, v in local.buckets : k => v if v.encrypted }
  bucket   = aws_s3_bucket.b[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_cloudtrail" "t" {
  name                       = "trail"
  s3_bucket_name             = "central-log-archive"
  is_multi_region_trail      = true
  kms_key_id                 = "arn:aws:kms:us-east-1:111122223333:key/abc"
  enable_log_file_validation = false
}
