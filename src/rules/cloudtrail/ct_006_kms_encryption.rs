//! FTR-CT-006: trail logs should be encrypted with a KMS key.
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule};

pub struct KmsEncryption;

impl Rule for KmsEncryption {
    fn id(&self) -> &'static str {
        "FTR-CT-006"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in &model.trails {
            match &t.kms_key {
                Attr::Known { .. } | Attr::Unknown { .. } => out.pass(t.res),
                Attr::Absent { span } => out.fail(
                    t.res,
                    *span,
                    format!(
                        "the trail's logs are not encrypted with a KMS key: set `{}`",
                        spelled(model, t.res, "kms_key_id", "KMSKeyId")
                    ),
                ),
            }
        }
    }
}
