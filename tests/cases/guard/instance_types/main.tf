variable "size" {
  type = string
}

variable "default_size" {
  type    = string
  default = "t2.micro"
}

resource "aws_instance" "old" {
  ami           = "ami-12345678"
  instance_type = var.default_size
}

resource "aws_instance" "current" {
  ami           = "ami-12345678"
  instance_type = "t4g.small"
}

resource "aws_instance" "from_variable" {
  ami           = "ami-12345678"
  instance_type = var.size
}

resource "aws_launch_template" "lt" {
  instance_type = "r5.large"
}
