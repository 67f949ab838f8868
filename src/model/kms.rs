//! KMS keys with their key policies.

use crate::graph::ResIdx;
use crate::iam::PolicyDocument;
use crate::model::Attr;

#[derive(Debug, Clone)]
pub struct Key {
    pub res: ResIdx,
    /// `customer_master_key_spec` / `KeySpec` (default `SYMMETRIC_DEFAULT`).
    pub spec: Attr<String>,
    /// `key_usage` / `KeyUsage` (default `ENCRYPT_DECRYPT`).
    pub usage: Attr<String>,
    /// `enable_key_rotation` / `EnableKeyRotation` (off by default).
    pub rotation: Attr<bool>,
    /// Why KMS cannot rotate the key automatically whatever its spec (imported key material,
    /// a custom key store).
    pub rotation_unsupported: Option<&'static str>,
    /// The key policies written for it (inline `policy` / `KeyPolicy`, `aws_kms_key_policy`);
    /// none: the default key policy (the account root only).
    pub policies: Vec<PolicyDocument>,
    /// A key policy of the key (or one that may be of the key) could not be read.
    pub policy_incomplete: bool,
}
