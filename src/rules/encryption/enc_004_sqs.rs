//! FTR-ENC-004: SQS queues must not turn server-side encryption off.
use crate::model::sqs::Queue;
use crate::model::{Attr, Model};
use crate::rules::{given, spelled, Outcomes, Rule, Verdict};

pub struct SqsEncrypted;

impl Rule for SqsEncrypted {
    fn id(&self) -> &'static str {
        "FTR-ENC-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for q in model.all::<Queue>() {
            // A KMS key means SSE-KMS, whatever the SQS-owned-key setting says.
            match given(&q.kms_key) {
                Some(true) => {
                    out.pass(q.res);
                    continue;
                }
                None => {
                    out.unknown(q.res, "whether a KMS key is set cannot be resolved statically");
                    continue;
                }
                Some(false) => {}
            }
            let message = format!(
                "the SQS queue turns server-side encryption off and has no KMS key (queues are \
                 encrypted with SQS-owned keys by default since 2022): remove the setting or set `{}`",
                spelled(
                    model,
                    q.res,
                    "kms_master_key_id",
                    "KmsMasterKeyId"
                )
            );
            out.judge(q.res, &q.sqs_managed_sse, |a| match a {
                Attr::Known {
                    value: false, span, ..
                } => Verdict::fail(*span, &message),
                Attr::Known { .. } | Attr::Absent { .. } => Verdict::Pass,
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
    }
}
