//! FTR-KMS-001: symmetric KMS keys rotate their key material automatically.
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule};

pub struct KeyRotation;

/// Whether the spec is a symmetric encryption key (`SYMMETRIC_DEFAULT`, the default).
fn symmetric(spec: &Attr<String>) -> Option<bool> {
    match spec {
        Attr::Absent { .. } => Some(true),
        Attr::Known { value, .. } => Some(value == "SYMMETRIC_DEFAULT"),
        Attr::Unknown { .. } | Attr::Empty { .. } => None,
        Attr::Branches { branches, .. } => {
            let all: Vec<Option<bool>> = branches.iter().map(|b| symmetric(&b.attr)).collect();
            if all.iter().all(|s| *s == Some(true)) {
                Some(true)
            } else if all.iter().all(|s| *s == Some(false)) {
                Some(false)
            } else {
                None
            }
        }
    }
}

impl Rule for KeyRotation {
    fn id(&self) -> &'static str {
        "FTR-KMS-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for k in &model.kms {
            // Keys KMS cannot rotate automatically (imported material, custom key store) are not
            // examined; nor are asymmetric and HMAC keys, below.
            if k.rotation_unsupported.is_some() {
                continue;
            }
            match symmetric(&k.spec) {
                Some(true) => {}
                Some(false) => continue,
                None => {
                    out.unknown(k.res, "the key spec cannot be resolved");
                    continue;
                }
            }
            out.require_true(
                k.res,
                &k.rotation,
                true,
                &format!(
                    "automatic rotation of the key material is turned off: set `{}`",
                    spelled(model, k.res, "enable_key_rotation = true", "EnableKeyRotation: true")
                ),
                &format!(
                    "automatic rotation of the key material is off (the default): set `{}`",
                    spelled(model, k.res, "enable_key_rotation = true", "EnableKeyRotation: true")
                ),
            );
        }
    }
}
