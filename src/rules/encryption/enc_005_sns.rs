//! FTR-ENC-005: SNS topics must be encrypted with a KMS key.
use crate::model::sns::Topic;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct SnsEncrypted;

impl Rule for SnsEncrypted {
    fn id(&self) -> &'static str {
        "FTR-ENC-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in model.all::<Topic>() {
            out.require_set(
                t.res,
                &t.kms_key,
                &format!(
                    "the SNS topic is not encrypted at rest (SNS topics have no server-side \
                     encryption by default): set `{}`",
                    spelled(model, t.res, "kms_master_key_id", "KmsMasterKeyId")
                ),
            );
        }
    }
}
