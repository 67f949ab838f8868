# The external ID is a root variable without a default, passed into a module: per deployment.
variable "external_id" {
  type = string
  validation {
    condition     = length(var.external_id) >= 16
    error_message = "too short"
  }
}

module "role" {
  source      = "./modules/role"
  external_id = var.external_id
}
