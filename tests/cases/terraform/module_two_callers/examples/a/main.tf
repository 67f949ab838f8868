module "efs" {
  source    = "../../"
  encrypted = false
}
