//! FTR-TLS-001: load balancer listeners serve HTTPS, or redirect HTTP to HTTPS.
use crate::model::transit::{ClassicLb, LbListener, Redirect};
use crate::model::{Attr, Model};
use crate::resource::Format;
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct HttpListener;

/// How an absent Terraform `protocol` reads: HTTP on an Application Load Balancer. `None`: the
/// load balancer is not in the scan or its type is unknown.
fn absent_protocol_is_http(model: &Model<'_>, l: &LbListener) -> Option<bool> {
    let r = model.resource(l.res);
    if r.format != Format::Terraform {
        // CloudFormation requires `Protocol` except on Gateway Load Balancers (no HTTP there).
        return Some(false);
    }
    let arn = r.body.get("load_balancer_arn")?;
    let (lb, _) = model
        .graph
        .targets_of(r.scope, arn)
        .into_iter()
        .find(|(i, _)| matches!(model.resource(*i).rtype.as_str(), "aws_lb" | "aws_alb"))?;
    match model.resource(lb).body.get("load_balancer_type") {
        None => Some(true),
        Some(t) => t.as_str().map(|t| t == "application"),
    }
}

impl Rule for HttpListener {
    fn id(&self) -> &'static str {
        "FTR-TLS-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for l in model.all::<LbListener>() {
            let redirect_verdict = |span| match l.redirect {
                Redirect::Https => Verdict::Pass,
                Redirect::Unknown => {
                    Verdict::Unknown("the default actions cannot be resolved statically".into())
                }
                Redirect::No => Verdict::fail(
                    span,
                    format!(
                        "the listener serves plain HTTP and its default action does not redirect to HTTPS: {}",
                        spelled(
                            model,
                            l.res,
                            "use `protocol = \"HTTPS\"`, or a `redirect` default action with `protocol = \"HTTPS\"`",
                            "use `Protocol: HTTPS`, or a `redirect` default action with `RedirectConfig` `Protocol: HTTPS`"
                        )
                    ),
                ),
            };
            let absent_http = absent_protocol_is_http(model, &l);
            match &l.protocol {
                Attr::Known { value, .. }
                    if !["HTTP", "HTTPS", "TLS"].contains(&value.to_ascii_uppercase().as_str()) =>
                {
                    continue; // TCP / UDP / GENEVE: out of scope.
                }
                Attr::Absent { .. } if absent_http == Some(false) => continue,
                _ => {}
            }
            out.judge(l.res, &l.protocol, |a| match a {
                Attr::Known { value, span, .. } if value.eq_ignore_ascii_case("HTTP") => {
                    redirect_verdict(*span)
                }
                Attr::Known { .. } => Verdict::Pass,
                Attr::Absent { span, .. } => match absent_http {
                    Some(true) => redirect_verdict(*span),
                    _ => Verdict::Unknown(
                        "no protocol, and the load balancer's type is not known".into(),
                    ),
                },
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the protocol cannot be resolved statically".into())
                }
            });
        }
        for lb in model.all::<ClassicLb>() {
            for listener in &lb.listeners {
                if let Attr::Known { value, .. } = listener {
                    if !["HTTP", "HTTPS", "SSL"].contains(&value.to_ascii_uppercase().as_str()) {
                        continue; // TCP: out of scope.
                    }
                }
                out.judge(lb.res, listener, |a| match a {
                    Attr::Known { value, span, .. } if value.eq_ignore_ascii_case("HTTP") => {
                        Verdict::fail(
                            *span,
                            format!(
                                "the Classic Load Balancer listener serves plain HTTP (a Classic Load Balancer cannot redirect): {}",
                                spelled(
                                    model,
                                    lb.res,
                                    "use `lb_protocol = \"https\"`, or an Application Load Balancer that redirects HTTP to HTTPS",
                                    "use `Protocol: HTTPS`, or an Application Load Balancer that redirects HTTP to HTTPS"
                                )
                            ),
                        )
                    }
                    Attr::Known { .. } => Verdict::Pass,
                    Attr::Absent { .. } => Verdict::Pass,
                    Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                        Verdict::Unknown("the protocol cannot be resolved statically".into())
                    }
                });
            }
        }
    }
}
