//! FTR-NET-004: every VPC has a flow log in the same configuration.
use crate::model::network::FlowLogs;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct VpcFlowLogs;

impl Rule for VpcFlowLogs {
    fn id(&self) -> &'static str {
        "FTR-NET-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for vpc in &model.network.vpcs {
            match vpc.flow_logs {
                FlowLogs::Present => out.pass(vpc.res),
                FlowLogs::Unknown => out.unknown(
                    vpc.res,
                    "a flow log of the configuration points at a VPC that cannot be resolved",
                ),
                FlowLogs::Missing => out.fail(
                    vpc.res,
                    model.resource(vpc.res).span,
                    format!(
                        "the VPC has no flow log: add {}",
                        spelled(
                            model,
                            vpc.res,
                            "an `aws_flow_log` with `vpc_id` set to this VPC's id",
                            "an `AWS::EC2::FlowLog` with `ResourceType: VPC` and `ResourceId` set to this VPC"
                        )
                    ),
                ),
            }
        }
    }
}
