//! AWS Backup vaults and plans.

use crate::model::declare::Set;

crate::resource_model! {
    /// An AWS Backup vault.
    pub struct Vault {
        terraform: ["aws_backup_vault"],
        cloudformation: ["AWS::Backup::BackupVault"],
        /// Customer-managed KMS key (without one: the AWS managed `aws/backup`).
        pub kms_key: Set = ("kms_key_arn", "EncryptionKeyArn"),
    }
}

crate::resource_model! {
    /// An AWS Backup plan.
    pub struct Plan {
        terraform: ["aws_backup_plan"],
        cloudformation: ["AWS::Backup::BackupPlan"],
    }
    each {
        /// Each rule's copy actions (copies of its recovery points to another vault).
        pub rule_copies: Set = ("rule[].copy_action", "BackupPlan.BackupPlanRule[].CopyActions"),
    }
}
