# An ingress CIDR from a variable: unknown without a default (no finding), 0.0.0.0/0 by default
# (a finding that says the value comes from the default).
variable "office_cidr" {
  type = string
}

variable "admin_cidr" {
  type    = string
  default = "0.0.0.0/0"
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "SSH"
  vpc_id      = "vpc-0123456789abcdef0"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
