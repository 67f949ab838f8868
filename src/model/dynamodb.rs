//! DynamoDB tables.

use crate::model::declare::Set;

crate::resource_model! {
    /// A DynamoDB table.
    pub struct Table {
        terraform: ["aws_dynamodb_table"],
        cloudformation: ["AWS::DynamoDB::Table"],
        /// KMS encryption instead of the default AWS owned key (tables are always encrypted).
        pub sse_kms: bool = ("server_side_encryption.enabled", "SSESpecification.SSEEnabled"),
        /// The customer-managed key for SSE-KMS (without it: the AWS managed `aws/dynamodb`).
        pub kms_key: Set = ("server_side_encryption.kms_key_arn", "SSESpecification.KMSMasterKeyId"),
        /// Point-in-time recovery (off by default).
        pub pitr: bool = (
            "point_in_time_recovery.enabled",
            "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"
        ),
    }
}
