//! FTR-ENC-003: EFS file systems must be encrypted at rest.
use crate::model::efs::FileSystem;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct EfsEncrypted;

impl Rule for EfsEncrypted {
    fn id(&self) -> &'static str {
        "FTR-ENC-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for f in model.all::<FileSystem>() {
            out.require_true(
                f.res,
                &f.encrypted,
                true,
                "the EFS file system is not encrypted at rest",
                &format!(
                    "the EFS file system is not encrypted at rest (the default): set `{}`",
                    spelled(model, f.res, "encrypted = true", "Encrypted: true")
                ),
            );
        }
    }
}
