//! FTR-TLS-005: API Gateway custom domains accept only TLS 1.2 or later.
use crate::model::tls_policies::apigateway_allows_below_tls_1_2;
use crate::model::transit::{HttpDomain, RestDomain};
use crate::model::{Attr, Model};
use crate::resource::Resource;
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct ApiGatewayDomainTls;

/// A private custom domain (`AWS::ApiGateway::DomainNameV2`, or `PRIVATE` endpoint type).
fn is_private(r: &Resource) -> bool {
    if r.rtype == "AWS::ApiGateway::DomainNameV2" {
        return true;
    }
    r.body
        .get("endpoint_configuration")
        .and_then(|e| match e.as_list() {
            Some([one]) => one.get("types"),
            _ => e.get("types"),
        })
        .is_some_and(|t| t.one_or_many().iter().any(|x| x.as_str() == Some("PRIVATE")))
}

impl Rule for ApiGatewayDomainTls {
    fn id(&self) -> &'static str {
        "FTR-TLS-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let domains = model
            .all::<RestDomain>()
            .into_iter()
            .map(|d| {
                let legacy_default = !is_private(model.resource(d.res));
                (d.res, d.security_policy, legacy_default)
            })
            .chain(
                model
                    .all::<HttpDomain>()
                    .into_iter()
                    .map(|d| (d.res, d.security_policy, false)),
            );
        for (res, policy, absent_is_tls_1_0) in domains {
            let fix = spelled(model, res, "security_policy = \"TLS_1_2\"", "SecurityPolicy: TLS_1_2");
            out.judge(res, &policy, |a| match a {
                Attr::Known { value, span, .. } => match apigateway_allows_below_tls_1_2(value) {
                    Some(true) => Verdict::fail(
                        *span,
                        format!("the custom domain's security policy `{value}` accepts TLS 1.0 and 1.1: set `{fix}`"),
                    ),
                    Some(false) => Verdict::Pass,
                    None => Verdict::Unknown(format!("`{value}` is not a known security policy")),
                },
                // Public REST API domains default to TLS_1_0; private and v2 domains to TLS_1_2.
                Attr::Absent { span, .. } if absent_is_tls_1_0 => Verdict::fail(
                    *span,
                    format!("the custom domain has no security policy (the default `TLS_1_0` accepts TLS 1.0 and 1.1): set `{fix}`"),
                ),
                Attr::Absent { .. } => Verdict::Pass,
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
    }
}
