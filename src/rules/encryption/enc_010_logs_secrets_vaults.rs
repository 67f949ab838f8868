//! FTR-ENC-010: CloudWatch log groups, Secrets Manager secrets and Backup vaults should use a
//! customer-managed KMS key.
use crate::model::backup::Vault;
use crate::model::logs::LogGroup;
use crate::model::secretsmanager::Secret;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct CustomerManagedKeys;

impl Rule for CustomerManagedKeys {
    fn id(&self) -> &'static str {
        "FTR-ENC-010"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for g in model.all::<LogGroup>() {
            out.require_set(
                g.res,
                &g.kms_key,
                &format!(
                    "the log group has no customer-managed KMS key (CloudWatch Logs encrypts it \
                     with a service key by default): set `{}`",
                    spelled(model, g.res, "kms_key_id", "KmsKeyId")
                ),
            );
        }
        for s in model.all::<Secret>() {
            out.require_set(
                s.res,
                &s.kms_key,
                &format!(
                    "the secret has no customer-managed KMS key (it is encrypted with the AWS \
                     managed key `aws/secretsmanager` by default): set `{}`",
                    spelled(model, s.res, "kms_key_id", "KmsKeyId")
                ),
            );
        }
        for v in model.all::<Vault>() {
            out.require_set(
                v.res,
                &v.kms_key,
                &format!(
                    "the backup vault has no customer-managed KMS key (it uses the AWS managed \
                     key `aws/backup` by default): set `{}`",
                    spelled(model, v.res, "kms_key_arn", "EncryptionKeyArn")
                ),
            );
        }
    }
}
