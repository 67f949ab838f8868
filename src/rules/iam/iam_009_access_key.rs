//! FTR-IAM-009: no long-lived access keys created in code (CIS 1.4: access keys are for
//! interactive users only; workloads use roles).
use crate::model::iam_user::AccessKey;
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct AccessKeyCreated;

impl Rule for AccessKeyCreated {
    fn id(&self) -> &'static str {
        "FTR-IAM-009"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for k in model.all::<AccessKey>() {
            let header = model.resource(k.res).span;
            let message = format!(
                "a long-lived access key is created in code (its secret is readable from the {}): use an IAM role for workloads, federation for people",
                spelled(model, k.res, "Terraform state", "stack through `Fn::GetAtt`")
            );
            // An inactive key cannot sign requests; any other status is active.
            out.judge(k.res, &k.status, |a| match a {
                Attr::Known { value, .. } if value.eq_ignore_ascii_case("Inactive") => Verdict::Pass,
                Attr::Known { .. } | Attr::Absent { .. } => Verdict::fail(header, message.clone()),
                _ => Verdict::Unknown("the key's status cannot be resolved".into()),
            });
        }
    }
}
