# The external ID comes from a variable with a literal default: the same for every deployment.
variable "external_id" {
  type    = string
  default = "3f0c9a7e-5b1d-4c8e-9f2a-6d7b8c9e0a1b"
  validation {
    condition     = length(var.external_id) >= 16
    error_message = "too short"
  }
}

resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Condition = {
        StringEquals = { "sts:ExternalId" = var.external_id }
      }
    }]
  })
}
