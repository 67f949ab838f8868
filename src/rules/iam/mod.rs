//! Catalog section 2: IAM (FTR lens §7).
pub mod iam_001_full_admin_statement;
pub mod iam_002_administrator_access;
