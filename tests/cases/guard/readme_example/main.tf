provider "aws" {
  default_tags {
    tags = {
      DataClassification = "internal"
    }
  }
}

module "data" {
  source = "./data"
}
