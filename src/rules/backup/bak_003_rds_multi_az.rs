//! FTR-BAK-003: RDS databases must be Multi-AZ.
use crate::model::rds::{cluster_members, Database, DbKind};
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
                    // Aurora storage spans three AZs; failover needs a second instance
                    // (RDS places readers in other AZs), counted among its members.
                    None => {
                        let m = cluster_members(model, d.res);
                        if m.count >= 2 {
                            out.pass(d.res);
                        } else if m.count == 1 && !m.uncounted {
                            out.fail(
                                d.res,
                                model.resource(d.res).span,
                                "the Aurora cluster has a single DB instance: an Availability \
                                 Zone outage stops it until a new one is created (its storage \
                                 survives); add a reader instance in another Availability Zone",
                            );
                        } else {
                            out.unknown(
                                d.res,
                                "the Aurora cluster's DB instances cannot be counted here",
                            );
                        }
                    }
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
