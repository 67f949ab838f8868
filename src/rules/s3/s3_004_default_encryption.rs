//! FTR-S3-004: buckets should declare a default encryption configuration.
use crate::model::s3::Setting;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct DefaultEncryption;

impl Rule for DefaultEncryption {
    fn id(&self) -> &'static str {
        "FTR-S3-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for b in &model.buckets {
            match &b.encryption {
                Setting::On => out.pass(b.res),
                Setting::Unknown => out.unknown(
                    b.res,
                    "the encryption configuration cannot be linked to this bucket",
                ),
                Setting::Off { span } => {
                    let mut message = "the bucket declares no default encryption configuration: S3 applies SSE-S3 to new objects since January 2023, but FTR expects encryption at rest to be set explicitly (SSE-KMS for sensitive data)".to_string();
                    if let Some(when) = &b.encryption_branches {
                        message.push_str(&format!(" (in every branch of `Fn::If`: {when})"));
                    }
                    out.fail(b.res, *span, message)
                }
            }
        }
    }
}
