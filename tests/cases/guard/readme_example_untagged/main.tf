resource "aws_s3_bucket" "plain" {
  bucket = "a"
  tags = {
    Owner = "data-team"
  }
}
