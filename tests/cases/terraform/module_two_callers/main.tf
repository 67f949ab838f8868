# A reusable module at the root, called by two examples: each caller decides its own
# finding, so each keeps one (the addresses coincide inside the module).
variable "encrypted" {
  type    = bool
  default = true
}

resource "aws_efs_file_system" "this" {
  creation_token = "shared"
  encrypted      = var.encrypted
}
