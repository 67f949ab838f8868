//! CloudWatch Logs log groups.

crate::resource_model! {
    /// A CloudWatch Logs log group.
    pub struct LogGroup {
        terraform: ["aws_cloudwatch_log_group"],
        cloudformation: ["AWS::Logs::LogGroup"],
        /// Customer-managed KMS key (without one: CloudWatch Logs' own encryption).
        pub kms_key: crate::model::declare::Set = ("kms_key_id", "KmsKeyId"),
    }
}
