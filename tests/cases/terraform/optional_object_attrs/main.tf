# Object-typed variable with optional() attributes: the caller (here the default) omits
# `condition` and `effect`, which Terraform fills with null and the declared default.
variable "statements" {
  type = list(object({
    sid       = string
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
    condition = optional(object({
      test     = string
      variable = string
      values   = list(string)
    }))
  }))
  default = [
    {
      sid       = "Admin"
      actions   = ["*"]
      resources = ["*"]
    },
    {
      sid       = "ReadOnlyInOrg"
      actions   = ["s3:GetObject"]
      resources = ["*"]
      condition = {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = ["o-abc123"]
      }
    },
  ]
}

data "aws_iam_policy_document" "this" {
  dynamic "statement" {
    for_each = var.statements
    content {
      sid       = statement.value.sid
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = statement.value.resources
      dynamic "condition" {
        for_each = statement.value.condition != null ? [statement.value.condition] : []
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_policy" "this" {
  name   = "optional-attrs"
  policy = data.aws_iam_policy_document.this.json
}
