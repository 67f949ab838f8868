//! FTR-ENC-001: RDS instances and clusters must encrypt their storage.
use crate::model::rds::{Database, DbKind};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct RdsStorageEncrypted;

impl Rule for RdsStorageEncrypted {
    fn id(&self) -> &'static str {
        "FTR-ENC-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for d in model.all::<Database>() {
            if let Some(why) = d.inherits {
                out.unknown(d.res, format!("encryption is not set here: {why}"));
                continue;
            }
            let what = match d.kind {
                DbKind::Instance => "DB instance",
                DbKind::Cluster => "DB cluster",
            };
            out.require_true(
                d.res,
                &d.storage_encrypted,
                true,
                &format!("the RDS {what} stores its data unencrypted"),
                &format!(
                    "the RDS {what} stores its data unencrypted (the default): set `{}`",
                    spelled(
                        model,
                        d.res,
                        "storage_encrypted = true",
                        "StorageEncrypted: true"
                    )
                ),
            );
        }
    }
}
