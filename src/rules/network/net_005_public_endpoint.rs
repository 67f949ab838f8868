//! FTR-NET-005: databases, data warehouses and search domains are not reachable from the
//! Internet.
use crate::model::network::PublicEndpoint;
use crate::model::transit::{Presence, SearchDomain};
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct PublicEndpointRule;

fn what(rtype: &str) -> &'static str {
    match rtype {
        "aws_db_instance" | "aws_rds_cluster_instance" | "AWS::RDS::DBInstance" => {
            "RDS DB instance"
        }
        "aws_redshift_cluster" | "AWS::Redshift::Cluster" => "Redshift cluster",
        "aws_dms_replication_instance" | "AWS::DMS::ReplicationInstance" => {
            "DMS replication instance"
        }
        _ => "domain",
    }
}

impl Rule for PublicEndpointRule {
    fn id(&self) -> &'static str {
        "FTR-NET-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for e in model.all::<PublicEndpoint>() {
            let rtype = model.resource(e.res).rtype.as_str();
            let what = what(rtype);
            // The provider defaulted Redshift clusters to public before AWS provider 6.0: which
            // one applies is not in the code.
            let absent_unknown = rtype == "aws_redshift_cluster";
            out.judge(e.res, &e.publicly_accessible, |a| match a {
                Attr::Known { value: true, span, .. } => Verdict::fail(
                    *span,
                    format!(
                        "the {what} is publicly accessible: set `{}` and reach it from inside the VPC",
                        spelled(model, e.res, "publicly_accessible = false", "PubliclyAccessible: false")
                    ),
                ),
                Attr::Known { value: false, .. } => Verdict::Pass,
                Attr::Absent { .. } if absent_unknown => Verdict::Unknown(
                    "not set: the provider default (public before AWS provider 6.0) depends on the provider version".into(),
                ),
                Attr::Absent { .. } => Verdict::Pass,
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
        for d in model.all::<SearchDomain>() {
            match d.vpc_options {
                Presence::Present => out.pass(d.res),
                Presence::Unknown => {
                    out.unknown(d.res, "its VPC options cannot be resolved statically")
                }
                Presence::Absent => out.fail(
                    d.res,
                    model.resource(d.res).span,
                    format!(
                        "the search domain has a public endpoint (no `{}`): place it in a VPC",
                        spelled(model, d.res, "vpc_options", "VPCOptions")
                    ),
                ),
            }
        }
    }
}
