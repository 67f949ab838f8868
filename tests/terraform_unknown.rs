//! No rule produces a finding from an unknown value: a generated configuration in which every
//! attribute that any rule reads is an unknown variable (and counts, for_each collections and
//! dynamic blocks are unknown) gives no finding under either profile.

mod common;

/// The rules whose attributes this input makes unknown. Rules added later carry their own
/// unknown-value cases in `fixtures/<ID>/` (passing fixtures whose values come from inputs
/// without defaults; the fixture snapshot shows their `unknown` count), so adding a rule does
/// not change this test.
const RULES: &str =
    "FTR-CT-*,FTR-XA-*,FTR-ENC-001,FTR-ENC-002,FTR-ENC-003,FTR-IAM-001,FTR-IAM-002,FTR-S3-004";

const CONFIG: &str = r#"
variable "b" {}
variable "s" {}
variable "p" {}
variable "n" {}
variable "m" {}
# The trail's bucket name is its own unknown: the same variable as `aws_s3_bucket.x.bucket`
# would name that bucket (a join by identical value, not an unknown).
variable "t" {}

resource "aws_cloudtrail" "t" {
  name                          = var.s
  s3_bucket_name                = var.t
  is_multi_region_trail         = var.b
  enable_log_file_validation    = var.b
  enable_logging                = var.b
  kms_key_id                    = var.s
}
resource "aws_s3_bucket" "x" {
  bucket = var.s
}
resource "aws_s3_bucket_server_side_encryption_configuration" "x" {
  bucket = var.s
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.s
    }
  }
}
resource "aws_s3_bucket_versioning" "x" {
  bucket = var.s
  versioning_configuration {
    status = var.s
  }
}
resource "aws_iam_policy" "p" {
  policy = var.p
}
resource "aws_iam_role" "r" {
  assume_role_policy = var.p
}
resource "aws_iam_role_policy" "rp" {
  role   = var.s
  policy = var.p
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = var.s
  policy_arn = var.s
}
resource "aws_iam_user_policy_attachment" "u" {
  user       = var.s
  policy_arn = var.s
}
resource "aws_db_instance" "d" {
  storage_encrypted = var.b
}
resource "aws_rds_cluster" "c" {
  storage_encrypted = var.b
}
resource "aws_ebs_volume" "v" {
  availability_zone = var.s
  encrypted         = var.b
}
resource "aws_instance" "i" {
  ami = var.s
  root_block_device {
    encrypted = var.b
  }
  ebs_block_device {
    device_name = var.s
    encrypted   = var.b
  }
}
resource "aws_launch_template" "lt" {
  block_device_mappings {
    device_name = var.s
    ebs {
      encrypted = var.b
    }
  }
}
resource "aws_efs_file_system" "f" {
  encrypted = var.b
}
resource "aws_efs_file_system" "counted" {
  count     = var.n
  encrypted = var.b
}
resource "aws_efs_file_system" "each" {
  for_each  = var.m
  encrypted = each.value
}
data "aws_iam_policy_document" "d" {
  statement {
    effect    = var.s
    actions   = var.p
    resources = var.p
    principals {
      type        = var.s
      identifiers = var.p
    }
    condition {
      test     = var.s
      variable = var.s
      values   = var.p
    }
  }
  dynamic "statement" {
    for_each = var.m
    content {
      actions   = ["*"]
      resources = ["*"]
    }
  }
}
resource "aws_iam_role" "r2" {
  assume_role_policy = data.aws_iam_policy_document.d.json
}
"#;

#[test]
fn unknown_values_never_produce_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.tf"), CONFIG).expect("write");
    for profile in ["partner-hosted", "customer-deployed"] {
        let dir_s = dir.path().to_string_lossy().to_string();
        let args = [
            "scan",
            dir_s.as_str(),
            "--format",
            "json",
            "--profile",
            profile,
            "--select",
            RULES,
        ];
        let (_, j) = common::run_json(&args.map(String::from));
        assert_eq!(
            j["findings"].as_array().map(Vec::len),
            Some(0),
            "{profile}: {}",
            j["findings"]
        );
        assert_eq!(
            j["errors"].as_array().map(Vec::len),
            Some(0),
            "{profile}: {}",
            j["errors"]
        );
        // Every rule that ran saw something and decided nothing.
        for r in j["rules"].as_array().expect("rules") {
            assert_eq!(r["fail"], 0, "{r}");
        }
    }
}
