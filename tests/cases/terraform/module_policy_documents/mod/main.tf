# A reusable module: a trust from a policy document data source, a heredoc policy and a
# policy read from a file. Scanned alone it gives XA-001 / IAM-001; called from a root it
# must give the same findings.
variable "name" {
  type = string
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "heredoc" {
  name   = "${var.name}-heredoc"
  role   = aws_iam_role.this.id
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}
      ]
    }
  JSON
}

resource "aws_iam_policy" "from_file" {
  name   = "${var.name}-file"
  policy = file("${path.module}/policy.json")
}
