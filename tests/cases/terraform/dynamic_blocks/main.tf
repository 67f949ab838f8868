# dynamic "statement" in a policy document: the admin statement comes from a local list.
locals {
  statements = [
    { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] },
    { actions = ["*"], resources = ["*"] },
  ]
}

data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = local.statements
    content {
      effect    = "Allow"
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_policy" "p" {
  name   = "dynamic"
  policy = data.aws_iam_policy_document.p.json
}

resource "aws_instance" "web" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  dynamic "ebs_block_device" {
    for_each = toset(["/dev/sdb", "/dev/sdc"])
    iterator = dev
    content {
      device_name = dev.value
      volume_size = 10
      encrypted   = dev.value == "/dev/sdb"
    }
  }
  root_block_device {
    encrypted = true
  }
}
