//! FTR-TLS-002: HTTPS and TLS listeners negotiate TLS 1.2 or later.
use crate::model::tls_policies::{elb_allows_below_tls_1_2, ELB_API_DEFAULT};
use crate::model::transit::LbListener;
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct ElbSslPolicy;

impl Rule for ElbSslPolicy {
    fn id(&self) -> &'static str {
        "FTR-TLS-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for l in model.all::<LbListener>() {
            match &l.protocol {
                Attr::Known { value, .. }
                    if ["HTTPS", "TLS"].contains(&value.to_ascii_uppercase().as_str()) => {}
                Attr::Unknown { .. } | Attr::Branches { .. } => {
                    out.unknown(l.res, "the protocol cannot be resolved statically");
                    continue;
                }
                _ => continue,
            }
            let fix = spelled(
                model,
                l.res,
                "ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"",
                "SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
            );
            out.judge(l.res, &l.ssl_policy, |a| match a {
                Attr::Known { value, span, .. } => match elb_allows_below_tls_1_2(value) {
                    Some(true) => Verdict::fail(
                        *span,
                        format!("the SSL policy `{value}` accepts TLS versions below 1.2: set `{fix}`"),
                    ),
                    Some(false) => Verdict::Pass,
                    None => Verdict::Unknown(format!("`{value}` is not a known ELB security policy")),
                },
                Attr::Absent { span, .. } => Verdict::fail(
                    *span,
                    format!(
                        "no SSL policy: the default `{ELB_API_DEFAULT}` accepts TLS 1.0 and 1.1: set `{fix}`"
                    ),
                ),
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
    }
}
