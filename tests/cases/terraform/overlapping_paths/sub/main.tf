variable "size" {
  type    = number
  default = 20
}

resource "aws_ebs_volume" "logs" {
  availability_zone = "eu-west-1a"
  size              = var.size
  encrypted         = false
}
