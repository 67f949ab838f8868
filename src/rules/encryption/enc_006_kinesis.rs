//! FTR-ENC-006: Kinesis data streams and Firehose delivery streams must use server-side
//! encryption.
use crate::model::kinesis::{DeliveryStream, Stream};
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct KinesisEncrypted;

impl Rule for KinesisEncrypted {
    fn id(&self) -> &'static str {
        "FTR-ENC-006"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for s in model.all::<Stream>() {
            let fix = spelled(
                model,
                s.res,
                "encryption_type = \"KMS\"` with `kms_key_id",
                "StreamEncryption` with `EncryptionType: KMS",
            );
            out.judge(s.res, &s.encryption_type, |a| match a {
                Attr::Known { value, .. } if value.eq_ignore_ascii_case("KMS") => Verdict::Pass,
                Attr::Known { span, .. } => Verdict::fail(
                    *span,
                    format!("the Kinesis stream has no server-side encryption: set `{fix}`"),
                ),
                Attr::Absent { span, .. } => Verdict::fail(
                    *span,
                    format!(
                        "the Kinesis stream has no server-side encryption (the default): set `{fix}`"
                    ),
                ),
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
        for d in model.all::<DeliveryStream>() {
            // Reading from a Kinesis stream or MSK, the data is encrypted (or not) there.
            if d.source.is_some() {
                continue;
            }
            out.require_true(
                d.res,
                &d.sse,
                true,
                "the Firehose delivery stream turns server-side encryption off",
                &format!(
                    "the Firehose delivery stream has no server-side encryption (the default for \
                     Direct PUT): set `{}`",
                    spelled(
                        model,
                        d.res,
                        "server_side_encryption { enabled = true }",
                        "DeliveryStreamEncryptionConfigurationInput"
                    )
                ),
            );
        }
    }
}
