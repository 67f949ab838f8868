//! Secrets Manager secrets.

crate::resource_model! {
    /// A Secrets Manager secret.
    pub struct Secret {
        terraform: ["aws_secretsmanager_secret"],
        cloudformation: ["AWS::SecretsManager::Secret"],
        /// Customer-managed KMS key (without one: the AWS managed `aws/secretsmanager`).
        pub kms_key: crate::model::declare::Set = ("kms_key_id", "KmsKeyId"),
    }
}
