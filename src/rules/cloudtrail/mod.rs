//! Catalog section 1: CloudTrail (FTR lens §6).
pub mod ct_001_multi_region;
pub mod ct_002_log_file_validation;
pub mod ct_003_logging_enabled;
pub mod ct_004_log_bucket_protection;
pub mod ct_005_log_bucket_separate_account;
pub mod ct_006_kms_encryption;
