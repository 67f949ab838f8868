# A policy assembled from locals with merge + jsonencode: the `*` on `*` statement is found at
# the line where Action is written.
locals {
  base = {
    Version = "2012-10-17"
  }
  admin_statement = {
    Effect   = "Allow"
    Action   = "*"
    Resource = "*"
  }
  policy = merge(local.base, { Statement = [local.admin_statement] })
}

resource "aws_iam_policy" "admin" {
  name   = "merged"
  policy = jsonencode(local.policy)
}
