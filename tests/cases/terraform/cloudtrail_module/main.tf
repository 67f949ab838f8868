# A CloudTrail in a local module; log file validation comes from a module input.
module "trail" {
  source              = "./modules/trail"
  name                = "org"
  validate_log_files  = false
}
