# Scanned as `DIR DIR/ DIR/sub` (see expected.txt): every file is read once, so no variable
# is declared twice and each finding is reported once.
variable "name" {
  type    = string
  default = "data"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 10
  tags = {
    Name = var.name
  }
}
