# The root calls the module: its policies are judged through the call.
module "role" {
  source = "./mod"
  name   = "partner"
}
