//! FTR-BAK-004: RDS instances and clusters must have deletion protection.
use crate::model::rds::{Database, DbKind};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct RdsDeletionProtection;

impl Rule for RdsDeletionProtection {
    fn id(&self) -> &'static str {
        "FTR-BAK-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for d in model.all::<Database>() {
            // A cluster member is deleted with, and protected by, its cluster.
            if d.cluster_member {
                continue;
            }
            let what = match d.kind {
                DbKind::Instance => "DB instance",
                DbKind::Cluster => "DB cluster",
            };
            out.require_true(
                d.res,
                &d.deletion_protection,
                true,
                &format!("the RDS {what} has deletion protection turned off"),
                &format!(
                    "the RDS {what} has no deletion protection (off by default): set `{}`",
                    spelled(
                        model,
                        d.res,
                        "deletion_protection = true",
                        "DeletionProtection: true"
                    )
                ),
            );
        }
    }
}
