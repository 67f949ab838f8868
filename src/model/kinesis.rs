//! Kinesis data streams and Data Firehose delivery streams.

use crate::adapt::declarative::path_attr;
use crate::model::declare::Set;
use crate::model::Attr;
use crate::resource::{Format, Resource};
use crate::value::Value;

crate::resource_model! {
    /// A Kinesis data stream.
    pub struct Stream {
        terraform: ["aws_kinesis_stream"],
        cloudformation: ["AWS::Kinesis::Stream"],
        /// `KMS` or `NONE` (the default: no server-side encryption).
        pub encryption_type: String = ("encryption_type", "StreamEncryption.EncryptionType"),
    }
}

crate::resource_model! {
    /// A Data Firehose (Kinesis Firehose) delivery stream.
    pub struct DeliveryStream {
        terraform: ["aws_kinesis_firehose_delivery_stream"],
        cloudformation: ["AWS::KinesisFirehose::DeliveryStream"],
    }
    derived {
        /// Server-side encryption of the buffered data (off by default): Terraform
        /// `server_side_encryption { enabled }`, CloudFormation the presence of
        /// `DeliveryStreamEncryptionConfigurationInput`.
        pub sse: Attr<bool> = firehose_sse,
        /// The source whose own encryption applies when the stream reads from a Kinesis stream
        /// or MSK (Firehose SSE is only for Direct PUT).
        pub source: Option<&'static str> = firehose_source,
    }
}

fn firehose_sse(r: &Resource) -> Attr<bool> {
    match r.format {
        Format::Terraform => path_attr(&r.body, "server_side_encryption.enabled", r.span),
        Format::CloudFormation => path_attr::<Set>(
            &r.body,
            "DeliveryStreamEncryptionConfigurationInput",
            r.span,
        )
        .map(&|_| true),
    }
}

fn firehose_source(r: &Resource) -> Option<&'static str> {
    let b = &r.body;
    let present = |k: &str| {
        b.get(k)
            .is_some_and(|v| !matches!(v.kind, crate::value::Kind::Null))
    };
    match r.format {
        Format::Terraform if present("kinesis_source_configuration") => Some("a Kinesis stream"),
        Format::Terraform if present("msk_source_configuration") => Some("an MSK cluster"),
        Format::Terraform => None,
        Format::CloudFormation => match b.get("DeliveryStreamType").map(Value::as_str) {
            Some(Some("KinesisStreamAsSource")) => Some("a Kinesis stream"),
            Some(Some("MSKAsSource")) => Some("an MSK cluster"),
            Some(Some("DatabaseAsSource")) => Some("a database"),
            _ => None,
        },
    }
}
