//! FTR-ENC-009: DynamoDB tables should use a customer-managed KMS key.
use crate::model::dynamodb::Table;
use crate::model::{Attr, Model};
use crate::rules::{given, spelled, Outcomes, Rule, Verdict};

pub struct DynamoDbCmk;

impl Rule for DynamoDbCmk {
    fn id(&self) -> &'static str {
        "FTR-ENC-009"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in model.all::<Table>() {
            let fix = spelled(
                model,
                t.res,
                "server_side_encryption { enabled = true, kms_key_arn = <customer-managed key> }",
                "SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: <customer-managed key> }",
            );
            let key = given(&t.kms_key);
            out.judge(t.res, &t.sse_kms, |a| match a {
                Attr::Known { value: true, span, .. } => match key {
                    Some(true) => Verdict::Pass,
                    Some(false) => Verdict::fail(
                        *span,
                        format!(
                            "the DynamoDB table is encrypted with the AWS managed key \
                             `aws/dynamodb`, not a customer-managed one: set `{fix}`"
                        ),
                    ),
                    None => Verdict::Unknown("the key cannot be resolved statically".into()),
                },
                Attr::Known { span, .. } | Attr::Absent { span, .. } => Verdict::fail(
                    *span,
                    format!(
                        "the DynamoDB table is encrypted with an AWS owned key (the default; \
                         tables are always encrypted), not a customer-managed one: set `{fix}`"
                    ),
                ),
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
    }
}
