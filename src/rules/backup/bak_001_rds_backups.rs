//! FTR-BAK-001: RDS automated backups must be on.
use crate::model::rds::{Database, DbKind};
use crate::model::{Attr, Model};
use crate::rules::{Outcomes, Rule, Verdict};

pub struct RdsAutomatedBackups;

impl Rule for RdsAutomatedBackups {
    fn id(&self) -> &'static str {
        "FTR-BAK-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for d in model.all::<Database>() {
            // A cluster member is backed up by its cluster; a read replica by its source.
            if d.cluster_member || d.replica {
                continue;
            }
            let what = match d.kind {
                DbKind::Instance => "DB instance",
                DbKind::Cluster => "DB cluster",
            };
            out.judge(d.res, &d.backup_retention_period, |a| match a {
                Attr::Known { value, span, .. } if *value < 1.0 => Verdict::fail(
                    *span,
                    format!(
                        "the RDS {what} has automated backups turned off (a retention of 0 days; \
                         the default is 1): set a retention of at least 1 day"
                    ),
                ),
                // Absent: AWS keeps automated backups for 1 day by default.
                Attr::Known { .. } | Attr::Absent { .. } => Verdict::Pass,
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
    }
}
