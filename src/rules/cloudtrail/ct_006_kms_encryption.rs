//! FTR-CT-006: trail logs should be encrypted with a KMS key.
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct KmsEncryption;

impl Rule for KmsEncryption {
    fn id(&self) -> &'static str {
        "FTR-CT-006"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in &model.trails {
            out.judge(t.res, &t.kms_key, |a| match a {
                Attr::Known { .. } | Attr::Unknown { .. } | Attr::Branches { .. } => Verdict::Pass,
                Attr::Absent { span, .. } | Attr::Empty { span, .. } => Verdict::fail(
                    *span,
                    format!(
                        "the trail's logs are not encrypted with a KMS key: set `{}`",
                        spelled(model, t.res, "kms_key_id", "KMSKeyId")
                    ),
                ),
            });
        }
    }
}
