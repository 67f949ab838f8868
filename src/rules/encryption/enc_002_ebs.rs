//! FTR-ENC-002: EBS volumes must be encrypted (or the account encrypts new volumes by default).
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct EbsEncrypted;

impl Rule for EbsEncrypted {
    fn id(&self) -> &'static str {
        "FTR-ENC-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for d in &model.ebs.devices {
            if model
                .ebs
                .encryption_by_default
                .contains(&model.resource(d.res).scope)
            {
                out.pass(d.res);
                continue;
            }
            if d.from_snapshot {
                out.unknown(d.res, "created from a snapshot, whose encryption it keeps");
                continue;
            }
            out.judge(d.res, &d.encrypted, |a| match a {
                Attr::Known { value: true, .. } => Verdict::Pass,
                Attr::Known {
                    value: false, span, ..
                } => Verdict::fail(*span, format!("EBS {} is not encrypted", d.what)),
                Attr::Absent { span, .. } => Verdict::fail(
                    *span,
                    format!(
                        "EBS {} is not encrypted (the default): set `{}`",
                        d.what,
                        spelled(
                            model,
                            d.res,
                            "encrypted = true`, or enable `aws_ebs_encryption_by_default",
                            "Encrypted: true"
                        )
                    ),
                ),
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
    }
}
