module "efs" {
  source  = "../../"
  encrypt = false
}
