# Unresolved parts that cannot make a statement `*` on `*` or an ARN AdministratorAccess.
data "aws_partition" "current" {}

variable "prefix" {
  type = string
}

variable "effect" {
  type = string
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "read_only" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "consume" {
  name = "consume"
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "sqs:ReceiveMessage"
        Resource = aws_sqs_queue.jobs.arn
      },
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "arn:${data.aws_partition.current.partition}:s3:::bucket/${var.prefix}/*"
      },
    ]
  })
}

# Effect unknown, `*` on `*`: may be full admin, not verified (unknown, never a finding).
resource "aws_iam_policy" "undecided" {
  name = "undecided"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = var.effect
      Action   = "*"
      Resource = "*"
    }]
  })
}
