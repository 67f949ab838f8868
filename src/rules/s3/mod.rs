//! Catalog section 4: S3 (FTR lens §10).
pub mod s3_004_default_encryption;
