//! SQS queues.

crate::resource_model! {
    /// An SQS queue.
    pub struct Queue {
        terraform: ["aws_sqs_queue"],
        cloudformation: ["AWS::SQS::Queue"],
        /// SSE with SQS-owned keys (on by default for new queues since 2022).
        pub sqs_managed_sse: bool = ("sqs_managed_sse_enabled", "SqsManagedSseEnabled"),
        /// SSE-KMS (a KMS key, AWS-managed `alias/aws/sqs` or customer-managed).
        pub kms_key: crate::model::declare::Set = ("kms_master_key_id", "KmsMasterKeyId"),
    }
}
