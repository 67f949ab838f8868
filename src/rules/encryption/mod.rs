//! Catalog section 5: encryption at rest (FTR lens §12).
pub mod enc_001_rds_storage;
pub mod enc_002_ebs;
pub mod enc_003_efs;
