# terraform.tfvars < *.auto.tfvars: the auto file turns encryption off.
variable "encrypted" {
  type = bool
}

resource "aws_efs_file_system" "fs" {
  encrypted = var.encrypted
}
