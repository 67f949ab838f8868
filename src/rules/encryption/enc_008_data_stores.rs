//! FTR-ENC-008: Redshift clusters, OpenSearch / Elasticsearch domains, DocumentDB and Neptune
//! clusters must be encrypted at rest.
use crate::model::opensearch::Domain;
use crate::model::{docdb, neptune, redshift, Model};
use crate::rules::{spelled, Outcomes, Rule};

pub struct DataStoresEncrypted;

impl Rule for DataStoresEncrypted {
    fn id(&self) -> &'static str {
        "FTR-ENC-008"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for c in model.all::<redshift::Cluster>() {
            // New clusters are encrypted by default since January 2025: only `false` fails.
            out.require_true(
                c.res,
                &c.encrypted,
                false,
                "the Redshift cluster turns encryption at rest off (new clusters are encrypted \
                 by default since January 2025)",
                "",
            );
        }
        for d in model.all::<Domain>() {
            let what = match model.resource(d.res).rtype.as_str() {
                "aws_elasticsearch_domain" | "AWS::Elasticsearch::Domain" => "Elasticsearch",
                _ => "OpenSearch",
            };
            out.require_true(
                d.res,
                &d.encrypt_at_rest,
                true,
                &format!("the {what} domain is not encrypted at rest"),
                &format!(
                    "the {what} domain is not encrypted at rest (the default): set `{}`",
                    spelled(
                        model,
                        d.res,
                        "encrypt_at_rest { enabled = true }",
                        "EncryptionAtRestOptions: { Enabled: true }"
                    )
                ),
            );
        }
        for c in model.all::<docdb::Cluster>() {
            if c.restored {
                out.unknown(c.res, "restored from a snapshot, whose encryption it keeps");
                continue;
            }
            storage(model, out, c.res, &c.storage_encrypted, "DocumentDB");
        }
        for c in model.all::<neptune::Cluster>() {
            if c.inherits {
                out.unknown(
                    c.res,
                    "restored or replicated from a source whose encryption it keeps",
                );
                continue;
            }
            storage(model, out, c.res, &c.storage_encrypted, "Neptune");
        }
    }
}

fn storage(
    model: &Model<'_>,
    out: &mut Outcomes,
    res: crate::graph::ResIdx,
    attr: &crate::model::Attr<bool>,
    what: &str,
) {
    out.require_true(
        res,
        attr,
        true,
        &format!("the {what} cluster stores its data unencrypted"),
        &format!(
            "the {what} cluster stores its data unencrypted (the default): set `{}`",
            spelled(model, res, "storage_encrypted = true", "StorageEncrypted: true")
        ),
    );
}
