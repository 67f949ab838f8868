# A policy read with file(): the finding points into the JSON file.
resource "aws_iam_policy" "admin" {
  name   = "from-file"
  policy = file("${path.module}/policy.json")
}
