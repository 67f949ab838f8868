# The caller reads the trusted account from SSM: a value not known from the code, read as
# another account like a principal from a variable (catalog section 3), so no external ID
# condition is a finding.
data "aws_ssm_parameter" "partner_account" {
  name = "/partner/account-arn"
}

module "from_data" {
  source            = "./mod"
  trusted_role_arns = [data.aws_ssm_parameter.partner_account.value]
}

variable "partner_arn" {
  type = string
}

module "from_variable" {
  source            = "./mod"
  trusted_role_arns = [var.partner_arn]
}
