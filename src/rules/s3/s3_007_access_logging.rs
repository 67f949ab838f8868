//! FTR-S3-007: server access logging is enabled (not required of the buckets that receive
//! access logs: they would log into themselves).
use crate::model::s3::Setting;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct AccessLogging;

impl Rule for AccessLogging {
    fn id(&self) -> &'static str {
        "FTR-S3-007"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for b in &model.buckets {
            if b.access.log_destination.is_some() {
                out.pass(b.res);
                continue;
            }
            match &b.access.logging {
                Setting::On => out.pass(b.res),
                Setting::Unknown => out.unknown(b.res, "the bucket's logging cannot be resolved"),
                Setting::Off { span } => out.fail(
                    b.res,
                    *span,
                    format!(
                        "server access logging is not enabled on the bucket (it is off by default): requests to it leave no record; {}",
                        spelled(
                            model,
                            b.res,
                            "add an `aws_s3_bucket_logging` with a `target_bucket`",
                            "set `LoggingConfiguration` with a `DestinationBucketName`"
                        )
                    ),
                ),
            }
        }
    }
}
