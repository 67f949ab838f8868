# The module at the repository root (terraform-aws-modules layout): only called by examples.
variable "encrypt" {
  type    = bool
  default = true
}

resource "aws_efs_file_system" "this" {
  encrypted = var.encrypt
}
