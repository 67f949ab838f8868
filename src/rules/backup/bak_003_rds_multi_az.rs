//! FTR-BAK-003: RDS databases must be Multi-AZ.
use crate::model::rds::{Database, DbKind};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct RdsMultiAz;

impl Rule for RdsMultiAz {
    fn id(&self) -> &'static str {
        "FTR-BAK-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for d in model.all::<Database>() {
            // A cluster member's Availability Zones are its cluster's concern; a read replica
            // is not the database the workload fails over to.
            if d.cluster_member || d.replica {
                continue;
            }
            match d.kind {
                DbKind::Cluster => match d.cluster_multi_az {
                    Some(_) => out.pass(d.res),
                    // Aurora storage spans three AZs; failover needs a reader instance in
                    // another AZ, which the cluster's instances (other resources) decide.
                    None => out.unknown(
                        d.res,
                        "an Aurora cluster is Multi-AZ through its DB instances, which are not \
                         counted",
                    ),
                },
                DbKind::Instance => out.require_true(
                    d.res,
                    &d.multi_az,
                    true,
                    "the RDS DB instance is not Multi-AZ: an Availability Zone outage stops it",
                    &format!(
                        "the RDS DB instance is not Multi-AZ (the default): an Availability Zone \
                         outage stops it; set `{}`",
                        spelled(model, d.res, "multi_az = true", "MultiAZ: true")
                    ),
                ),
            }
        }
    }
}
