# terraform-aws-rds style: restore_to_point_in_time is a dynamic block over a list that is
# empty unless the caller asks for a restore.
variable "storage_encrypted" {
  type    = bool
  default = true
}

variable "restore_to_point_in_time" {
  type    = map(string)
  default = null
}

resource "aws_db_instance" "this" {
  identifier        = "db"
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  storage_encrypted = var.storage_encrypted

  dynamic "restore_to_point_in_time" {
    for_each = var.restore_to_point_in_time != null ? [var.restore_to_point_in_time] : []
    content {
      source_db_instance_identifier = restore_to_point_in_time.value.source_db_instance_identifier
      use_latest_restorable_time    = true
    }
  }
}
