//! FTR-BAK-002: DynamoDB tables must have point-in-time recovery.
use crate::model::dynamodb::Table;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct DynamoDbPitr;

impl Rule for DynamoDbPitr {
    fn id(&self) -> &'static str {
        "FTR-BAK-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in model.all::<Table>() {
            out.require_true(
                t.res,
                &t.pitr,
                true,
                "the DynamoDB table has point-in-time recovery turned off",
                &format!(
                    "the DynamoDB table has no point-in-time recovery (off by default): set `{}`",
                    spelled(
                        model,
                        t.res,
                        "point_in_time_recovery { enabled = true }",
                        "PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }"
                    )
                ),
            );
        }
    }
}
