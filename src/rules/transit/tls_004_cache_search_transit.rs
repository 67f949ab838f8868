//! FTR-TLS-004: ElastiCache encrypts in transit; OpenSearch / Elasticsearch domains enforce
//! HTTPS with a TLS 1.2 policy and encrypt node-to-node traffic.
use crate::model::tls_policies::opensearch_allows_below_tls_1_2;
use crate::model::transit::{CacheTransit, Presence, SearchDomain};
use crate::model::{Attr, Model};
use crate::resource::Format;
use crate::rules::{spelled, Outcomes, Rule};
use crate::source::Span;

pub struct CacheSearchTransit;

/// One part of a domain's verdict.
enum Part {
    Ok,
    Fails(Span, String),
    Unknown,
}

impl Rule for CacheSearchTransit {
    fn id(&self) -> &'static str {
        "FTR-TLS-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for c in model.all::<CacheTransit>() {
            if c.inherits.is_some() {
                continue;
            }
            if let (Attr::Known { value: true, .. }, Attr::Known { value, span, .. }) =
                (&c.transit_encryption, &c.transit_mode)
            {
                if value.eq_ignore_ascii_case("preferred") {
                    out.fail(
                        c.res,
                        *span,
                        format!(
                            "transit encryption mode `preferred` still accepts unencrypted connections: set `{}`",
                            spelled(model, c.res, "transit_encryption_mode = \"required\"", "TransitEncryptionMode: required")
                        ),
                    );
                    continue;
                }
            }
            let fix = spelled(
                model,
                c.res,
                "transit_encryption_enabled = true",
                "TransitEncryptionEnabled: true",
            );
            out.require_true(
                c.res,
                &c.transit_encryption,
                true,
                &format!("the ElastiCache cluster does not encrypt in transit: set `{fix}`"),
                &format!(
                    "the ElastiCache cluster does not encrypt in transit (off by default): set `{fix}`"
                ),
            );
        }
        for d in model.all::<SearchDomain>() {
            self.domain(model, &d, out);
        }
    }
}

impl CacheSearchTransit {
    /// One finding per domain, naming every missing protection, at the first one's span.
    fn domain(&self, model: &Model<'_>, d: &SearchDomain, out: &mut Outcomes) {
        let tf = model.resource(d.res).format == Format::Terraform;
        let s = |t: &'static str, c: &'static str| spelled(model, d.res, t, c);
        let https = match (&d.enforce_https, d.endpoint_options) {
            (_, Presence::Unknown) => Part::Unknown,
            (Attr::Known { value: true, .. }, _) => Part::Ok,
            (Attr::Known { value: false, span, .. }, _) => Part::Fails(
                *span,
                format!("HTTPS is not enforced (`{}`)", s("enforce_https = true", "EnforceHTTPS: true")),
            ),
            // Terraform defaults `enforce_https` to true inside the block; the API to false.
            (Attr::Absent { .. }, Presence::Present) if tf => Part::Ok,
            (Attr::Absent { span, .. }, _) => Part::Fails(
                *span,
                format!(
                    "HTTPS is not enforced (off by default: `{}`)",
                    s(
                        "domain_endpoint_options { enforce_https = true }",
                        "DomainEndpointOptions` `EnforceHTTPS: true"
                    )
                ),
            ),
            _ => Part::Unknown,
        };
        let tls = match &d.tls_security_policy {
            Attr::Known { value, span, .. } => match opensearch_allows_below_tls_1_2(value) {
                Some(true) => Part::Fails(*span, format!("the TLS policy `{value}` accepts TLS 1.0 and 1.1")),
                Some(false) => Part::Ok,
                None => Part::Unknown,
            },
            Attr::Absent { span, .. } if d.endpoint_options != Presence::Unknown => Part::Fails(
                *span,
                format!(
                    "no TLS security policy (the default accepts TLS 1.0 and 1.1: `{}`)",
                    s(
                        "tls_security_policy = \"Policy-Min-TLS-1-2-2019-07\"",
                        "TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07"
                    )
                ),
            ),
            _ => Part::Unknown,
        };
        let n2n = match &d.node_to_node {
            Attr::Known { value: true, .. } => Part::Ok,
            Attr::Known { value: false, span, .. } | Attr::Absent { span, .. } => Part::Fails(
                *span,
                format!(
                    "node-to-node encryption is off (`{}`)",
                    s(
                        "node_to_node_encryption { enabled = true }",
                        "NodeToNodeEncryptionOptions` `Enabled: true"
                    )
                ),
            ),
            _ => Part::Unknown,
        };
        let parts = [https, tls, n2n];
        let failing: Vec<(&Span, &String)> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Fails(span, m) => Some((span, m)),
                _ => None,
            })
            .collect();
        if let Some((span, _)) = failing.first() {
            let what: Vec<&str> = failing.iter().map(|(_, m)| m.as_str()).collect();
            out.fail(
                d.res,
                **span,
                format!("the search domain does not fully encrypt in transit: {}", what.join("; ")),
            );
        } else if parts.iter().any(|p| matches!(p, Part::Unknown)) {
            out.unknown(d.res, "some transit settings cannot be resolved statically");
        } else {
            out.pass(d.res);
        }
    }
}
