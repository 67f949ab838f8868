resource "aws_s3_bucket" "default_tagged" {
  bucket = "a"
}
