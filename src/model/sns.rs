//! SNS topics.

crate::resource_model! {
    /// An SNS topic.
    pub struct Topic {
        terraform: ["aws_sns_topic"],
        cloudformation: ["AWS::SNS::Topic"],
        /// SSE-KMS key (no server-side encryption without one).
        pub kms_key: crate::model::declare::Set = ("kms_master_key_id", "KmsMasterKeyId"),
    }
}
