//! FTR-TLS-003: CloudFront viewers connect over HTTPS with TLS 1.2 or later.
use crate::model::tls_policies::cloudfront_allows_below_tls_1_2;
use crate::model::transit::{Distribution, Presence};
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct CloudFrontViewerTls;

impl Rule for CloudFrontViewerTls {
    fn id(&self) -> &'static str {
        "FTR-TLS-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for d in model.all::<Distribution>() {
            let behaviours = std::iter::once(("default cache behaviour", &d.default_viewer_policy))
                .chain(d.ordered_viewer_policies.iter().map(|p| ("cache behaviour", p)));
            for (what, policy) in behaviours {
                out.judge(d.res, policy, |a| match a {
                    Attr::Known { value, span, .. } if value == "allow-all" => Verdict::fail(
                        *span,
                        format!(
                            "the {what} lets viewers use plain HTTP: set `{}`",
                            spelled(
                                model,
                                d.res,
                                "viewer_protocol_policy = \"redirect-to-https\"",
                                "ViewerProtocolPolicy: redirect-to-https"
                            )
                        ),
                    ),
                    Attr::Known { .. } | Attr::Absent { .. } => Verdict::Pass,
                    Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                        Verdict::Unknown("the value cannot be resolved statically".into())
                    }
                });
            }
            self.certificate(model, &d, out);
        }
    }
}

impl CloudFrontViewerTls {
    fn certificate(&self, model: &Model<'_>, d: &Distribution, out: &mut Outcomes) {
        let fix = spelled(
            model,
            d.res,
            "use your own certificate (`acm_certificate_arn`) with `minimum_protocol_version = \"TLSv1.2_2021\"`",
            "use your own certificate (`AcmCertificateArn`) with `MinimumProtocolVersion: TLSv1.2_2021`",
        );
        let set_min = spelled(
            model,
            d.res,
            "minimum_protocol_version = \"TLSv1.2_2021\"",
            "MinimumProtocolVersion: TLSv1.2_2021",
        );
        let header = model.resource(d.res).span;
        match d.viewer_certificate {
            Presence::Unknown => {
                out.unknown(d.res, "the viewer certificate cannot be resolved statically");
                return;
            }
            Presence::Absent => {
                out.fail(
                    d.res,
                    header,
                    format!("no viewer certificate: the default CloudFront certificate accepts TLS 1.0 (TLSv1 policy), {fix}"),
                );
                return;
            }
            Presence::Present => {}
        }
        match &d.default_certificate {
            Attr::Known { value: true, span, .. } => {
                out.fail(
                    d.res,
                    *span,
                    format!("the default CloudFront certificate accepts TLS 1.0 (TLSv1 policy), {fix}"),
                );
                return;
            }
            Attr::Known { value: false, .. } | Attr::Absent { .. } => {}
            Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                out.unknown(d.res, "the viewer certificate cannot be resolved statically");
                return;
            }
        }
        out.judge(d.res, &d.minimum_protocol_version, |a| match a {
            Attr::Known { value, span, .. } => match cloudfront_allows_below_tls_1_2(value) {
                Some(true) => Verdict::fail(
                    *span,
                    format!("the minimum viewer protocol `{value}` is below TLS 1.2: set `{set_min}`"),
                ),
                Some(false) => Verdict::Pass,
                None => Verdict::Unknown(format!("`{value}` is not a known CloudFront protocol version")),
            },
            Attr::Absent { span, .. } => Verdict::fail(
                *span,
                format!("no minimum viewer protocol version: the default TLSv1 is below TLS 1.2: set `{set_min}`"),
            ),
            Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                Verdict::Unknown("the value cannot be resolved statically".into())
            }
        });
    }
}
