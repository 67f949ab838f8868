# The trusted account comes from the caller.
variable "trusted_role_arns" {
  type = list(string)
}

resource "aws_iam_role" "this" {
  name = "cross-account"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = var.trusted_role_arns }
    }]
  })
}
