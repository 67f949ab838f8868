//! FTR-ENC-011: EKS clusters below Kubernetes 1.28 must encrypt secrets with a KMS key.
use crate::model::eks::{Cluster, KubeVersion};
use crate::model::{Attr, Model};
use crate::rules::{given, spelled, Outcomes, Rule, Verdict};

pub struct EksSecretsEncrypted;

/// From this version EKS encrypts secrets with a KMS key by default.
const ENCRYPTED_BY_DEFAULT: KubeVersion = KubeVersion {
    major: 1,
    minor: 28,
};

impl Rule for EksSecretsEncrypted {
    fn id(&self) -> &'static str {
        "FTR-ENC-011"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for c in model.all::<Cluster>() {
            match given(&c.encryption_config) {
                Some(true) => {
                    out.pass(c.res);
                    continue;
                }
                None => {
                    out.unknown(c.res, "the encryption configuration cannot be resolved");
                    continue;
                }
                Some(false) => {}
            }
            let fix = spelled(
                model,
                c.res,
                "encryption_config { resources = [\"secrets\"] provider { key_arn = ... } }",
                "EncryptionConfig: [{ Resources: [secrets], Provider: { KeyArn: ... } }]",
            );
            out.judge(c.res, &c.version, |a| match a {
                Attr::Known { value, span, .. } if *value < ENCRYPTED_BY_DEFAULT => Verdict::fail(
                    *span,
                    format!(
                        "the EKS cluster runs Kubernetes {value} without secrets encryption (EKS \
                         encrypts secrets by default only from 1.28): set `{fix}` or upgrade"
                    ),
                ),
                // No version: the current default, 1.28 or later.
                Attr::Known { .. } | Attr::Absent { .. } => Verdict::Pass,
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the Kubernetes version cannot be resolved statically".into())
                }
            });
        }
    }
}
