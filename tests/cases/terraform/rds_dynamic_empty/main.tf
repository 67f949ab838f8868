# No restore requested: the dynamic block produces no block, so the instance is judged on
# storage_encrypted, which the caller turns off.
module "db" {
  source            = "./mod"
  storage_encrypted = false
}

# A restore is requested: the instance keeps the source's encryption, not judged here.
module "restored" {
  source            = "./mod"
  storage_encrypted = false
  restore_to_point_in_time = {
    source_db_instance_identifier = "source-db"
  }
}
