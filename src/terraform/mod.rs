//! Terraform loader (placeholder).
