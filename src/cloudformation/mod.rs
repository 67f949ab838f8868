//! CloudFormation loader (placeholder).
