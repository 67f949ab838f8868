//! Resource-policy statements open to anyone: who a statement grants to, and whether its
//! conditions narrow that down (S3 bucket policies, KMS key policies).

use super::{Conditions, Principals, Statement};
use crate::source::Span;

/// Condition keys that say nothing about who makes the request: a statement open to `*` with
/// only these is still open to anyone (`aws:Referer` and `aws:UserAgent` are set by the
/// caller). Any other key (`aws:SourceVpce`, `aws:PrincipalOrgID`, `aws:SourceArn`,
/// `aws:SourceAccount`, `kms:CallerAccount`, …, and keys not listed here) counts as a
/// restriction, so a finding never rests on a key we do not know.
const NOT_RESTRICTING: &[&str] = &[
    "aws:securetransport",
    "aws:referer",
    "aws:useragent",
    "aws:currenttime",
    "aws:epochtime",
    "aws:requestedregion",
    "aws:multifactorauthpresent",
    "s3:tlsversion",
    "s3:signatureversion",
    "s3:authtype",
    "s3:signatureage",
    "s3:prefix",
    "s3:delimiter",
    "s3:max-keys",
    "s3:versionid",
];

fn restricts(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    !(NOT_RESTRICTING.contains(&k.as_str()) || k.starts_with("s3:x-amz-"))
}

/// Whether a statement's conditions narrow down who may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    /// No condition, or only conditions that do not say who (see [`NOT_RESTRICTING`]).
    None,
    Restricted,
    /// The conditions cannot be resolved.
    Unknown,
}

pub fn restriction(c: &Conditions) -> Restriction {
    match c {
        Conditions::None => Restriction::None,
        Conditions::Unknown => Restriction::Unknown,
        Conditions::Known(list) if list.iter().any(|c| restricts(&c.key)) => {
            Restriction::Restricted
        }
        Conditions::Known(_) => Restriction::None,
    }
}

/// "with no condition", or "with no condition on who calls (only `aws:SecureTransport`)", for
/// messages about a statement open to anyone.
pub fn describe_unrestricted(c: &Conditions) -> String {
    let keys: Vec<String> = c.known().iter().map(|c| format!("`{}`", c.key)).collect();
    if keys.is_empty() {
        "with no condition".to_string()
    } else {
        format!("with no condition on who calls (only {})", keys.join(", "))
    }
}

/// Whether a principal is anyone (`"*"`, `{"AWS": "*"}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anyone {
    /// Anyone; the span of the principal.
    Yes(Span),
    No,
    Unknown,
}

pub fn anyone(p: Option<&Principals>) -> Anyone {
    match p {
        None => Anyone::No,
        Some(Principals::Wildcard(span)) => Anyone::Yes(*span),
        Some(Principals::Unknown(_)) => Anyone::Unknown,
        Some(Principals::Entries(entries)) => {
            let mut unknown = false;
            for e in entries.iter().filter(|e| e.kind == "AWS") {
                if e.values
                    .iter()
                    .any(|v| v.as_str().is_some_and(|s| s.trim() == "*"))
                {
                    return Anyone::Yes(e.span);
                }
                // A partly known string (`arn:aws:iam::${account}:root`) is not `*`; a wholly
                // unknown entry is a single unknown item of `values`.
                unknown |= e.values.iter().any(|v| {
                    v.as_unknown().is_some_and(|u| {
                        u.partial
                            .as_deref()
                            .is_none_or(|p| p.chars().all(|c| c == crate::value::HOLE))
                    })
                });
            }
            if unknown {
                Anyone::Unknown
            } else {
                Anyone::No
            }
        }
    }
}

/// The principal a statement grants to when that is anyone: `Principal: "*"`, or a
/// `NotPrincipal` (everyone but those listed). Unknown when the principal cannot be resolved.
pub fn grantee_anyone(s: &Statement) -> Anyone {
    if let Some(np) = &s.not_principal {
        return match np {
            Principals::Wildcard(_) => Anyone::No,
            Principals::Unknown(_) => Anyone::Unknown,
            Principals::Entries(e) => Anyone::Yes(e.first().map_or(s.span, |e| e.span)),
        };
    }
    anyone(s.principal.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::Condition;

    fn cond(key: &str) -> Condition {
        Condition {
            operator: "StringEquals".into(),
            key: key.into(),
            key_span: Span::default(),
            values: Vec::new(),
            unknown: false,
        }
    }

    #[test]
    fn which_conditions_restrict() {
        assert_eq!(restriction(&Conditions::None), Restriction::None);
        assert_eq!(
            restriction(&Conditions::Known(vec![cond("aws:SecureTransport")])),
            Restriction::None
        );
        assert_eq!(
            restriction(&Conditions::Known(vec![cond("aws:Referer")])),
            Restriction::None
        );
        for k in [
            "aws:SourceVpce",
            "aws:PrincipalOrgID",
            "aws:SourceArn",
            "kms:CallerAccount",
        ] {
            assert_eq!(
                restriction(&Conditions::Known(vec![
                    cond("aws:SecureTransport"),
                    cond(k)
                ])),
                Restriction::Restricted,
                "{k}"
            );
        }
        assert_eq!(restriction(&Conditions::Unknown), Restriction::Unknown);
    }
}
