//! FTR-S3-005: the bucket policy denies requests over plain HTTP (`aws:SecureTransport` =
//! false) to everyone, for all S3 actions, on the bucket and on its objects.
use crate::iam::matching::glob_match_ci;
use crate::iam::public::{anyone, Anyone};
use crate::iam::{Effect, Statement};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};
use crate::value::{Kind, Value};

pub struct SecureTransport;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Unknown,
}

/// Which part of a bucket an ARN in `Resource` covers: (the bucket, its objects).
fn covers(v: &Value) -> Option<(bool, bool)> {
    match &v.kind {
        Kind::String(s) => {
            let s = s.trim();
            let path = s.rsplit_once(":::").map_or(s, |(_, p)| p);
            Some(if path == "*" {
                (true, true)
            } else if let Some(name) = path.strip_suffix("/*") {
                (false, !name.contains('/'))
            } else {
                (!path.contains('/'), false)
            })
        }
        Kind::Unknown(u) => {
            if u.partial_ends_with("/*") {
                // `${bucket_arn}/*`: every object, unless a key prefix is written.
                let prefix_path = u
                    .partial
                    .as_deref()
                    .and_then(|p| p.rsplit(crate::value::HOLE).next())
                    .is_some_and(|tail| tail.trim_end_matches("/*").contains('/'));
                (!prefix_path).then_some((false, true))
            } else if u.partial.as_deref().is_some_and(|p| p.contains('/')) {
                None
            } else if u.partial.is_some()
                || (!u.refs.is_empty()
                    && u.refs.iter().all(|r| {
                        r.attr.as_deref().is_some_and(|a| a.eq_ignore_ascii_case("arn"))
                    }))
            {
                // `arn:aws:s3:::${name}`, or a reference to the bucket's ARN.
                Some((true, false))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `Bool` / `BoolIfExists` `aws:SecureTransport` = false.
fn denies_http(s: &Statement) -> Tri {
    let mut found = Tri::No;
    for c in s.conditions.find("aws:SecureTransport", |op| {
        op.eq_ignore_ascii_case("Bool") || op.eq_ignore_ascii_case("BoolIfExists")
    }) {
        if c.unknown || c.values.iter().any(Value::is_unknown) {
            found = Tri::Unknown;
        } else if c.values.iter().any(|v| v.as_bool() == Some(false)) {
            return Tri::Yes;
        }
    }
    found
}

impl Rule for SecureTransport {
    fn id(&self) -> &'static str {
        "FTR-S3-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for b in &model.buckets {
            let policies = &b.access.policies;
            let mut unknown = policies.incomplete;
            let (mut bucket, mut objects) = (false, false);
            let mut partial = None;
            for s in policies.documents.iter().flat_map(|d| &d.statements) {
                if s.effect != Effect::Deny {
                    unknown |= s.effect == Effect::Unknown;
                    continue;
                }
                match denies_http(s) {
                    Tri::No => continue,
                    Tri::Unknown => {
                        unknown = true;
                        continue;
                    }
                    Tri::Yes => {}
                }
                match anyone(s.principal.as_ref()) {
                    Anyone::Yes(_) => {}
                    Anyone::No => continue,
                    Anyone::Unknown => {
                        unknown = true;
                        continue;
                    }
                }
                let Some(action) = &s.action else { continue };
                if !action.strings().any(|p| glob_match_ci(p.trim(), "s3:*")) {
                    unknown |= action.has_unknown();
                    continue;
                }
                let Some(resource) = &s.resource else { continue };
                let (mut sb, mut so) = (false, false);
                for v in &resource.values {
                    match covers(v) {
                        Some((b, o)) => {
                            sb |= b;
                            so |= o;
                        }
                        None => unknown = true,
                    }
                }
                bucket |= sb;
                objects |= so;
                partial.get_or_insert(resource.span);
            }
            if bucket && objects {
                out.pass(b.res);
            } else if unknown {
                out.unknown(b.res, "a bucket policy cannot be fully resolved");
            } else if let Some(span) = partial {
                let missing = if bucket { "its objects (`<bucket ARN>/*`)" } else { "the bucket itself (its ARN)" };
                out.fail(
                    b.res,
                    span,
                    format!("the bucket policy denies plain-HTTP requests (`aws:SecureTransport` false) but not on {missing}: cover both the bucket and its objects"),
                );
            } else if let Some(doc) = policies.documents.first() {
                out.fail(
                    b.res,
                    doc.span,
                    "the bucket policy does not deny requests over plain HTTP: add a `Deny` of `s3:*` to `*` when `aws:SecureTransport` is false, on the bucket and `<bucket ARN>/*`",
                );
            } else {
                out.fail(
                    b.res,
                    model.resource(b.res).span,
                    format!(
                        "the bucket has no policy denying requests over plain HTTP: {}",
                        spelled(
                            model,
                            b.res,
                            "add an `aws_s3_bucket_policy` with a `Deny` of `s3:*` to `*` when `aws:SecureTransport` is false, on the bucket and `<bucket ARN>/*`",
                            "add an `AWS::S3::BucketPolicy` with a `Deny` of `s3:*` to `*` when `aws:SecureTransport` is false, on the bucket and `<bucket ARN>/*`"
                        )
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;
    use crate::source::Span;
    use crate::value::{Kind, Unknown, Value, HOLE};

    fn s(text: &str) -> Value {
        Value::string(text, Span::default())
    }
    fn partial(text: &str) -> Value {
        Value::new(
            Kind::Unknown(Box::new(Unknown {
                partial: Some(text.replace('#', &HOLE.to_string()).into()),
                ..Default::default()
            })),
            Span::default(),
        )
    }

    #[test]
    fn which_part_of_the_bucket_an_arn_covers() {
        assert_eq!(covers(&s("*")), Some((true, true)));
        assert_eq!(covers(&s("arn:aws:s3:::*")), Some((true, true)));
        assert_eq!(covers(&s("arn:aws:s3:::b")), Some((true, false)));
        assert_eq!(covers(&s("arn:aws:s3:::b/*")), Some((false, true)));
        // A key prefix covers only some objects.
        assert_eq!(covers(&s("arn:aws:s3:::b/logs/*")), Some((false, false)));
        assert_eq!(covers(&partial("#/*")), Some((false, true)));
        assert_eq!(covers(&partial("arn:#:s3:::#")), Some((true, false)));
        assert_eq!(covers(&partial("#/logs/*")), None);
        // A wholly unknown value (a variable) may be anything.
        assert_eq!(covers(&Value::unknown(Span::default(), Vec::new(), None)), None);
    }
}
