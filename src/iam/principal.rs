//! Who a trust-policy principal is: the same account, another account, or anyone.
//!
//! The catalog's one deliberate exception to "unknown never fires": an `AWS` principal built
//! from a variable or parameter is read as another account, because that is how partner-account
//! roles are written.

use crate::value::{Kind, Origin, RefKind, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountKind {
    /// `"*"`: anyone.
    Wildcard,
    /// Another account; the string says how we know (for messages).
    External(String),
    /// The account the template is deployed in, or a role/user defined in the same code.
    SameAccount,
    /// Cannot tell: never a finding.
    Unknown,
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account id of an IAM/STS ARN (`arn:aws:iam::123456789012:root`).
pub fn arn_account(s: &str) -> Option<&str> {
    let mut parts = s.splitn(6, ':');
    let (arn, _partition, service, _region, account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (arn == "arn" && (service == "iam" || service == "sts") && is_account_id(account))
        .then_some(account)
}

/// Data sources that describe the deploying account or its own IAM entities.
const SAME_ACCOUNT_DATA: &[&str] = &[
    "aws_caller_identity",
    "aws_iam_session_context",
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_roles",
    "aws_partition",
    "aws_region",
];

/// `module.a["k"].module.b.data.t.n` → `data.t.n`: the address inside its module.
fn strip_module_prefix(target: &str) -> &str {
    let mut s = target;
    while let Some(rest) = s.strip_prefix("module.") {
        // The module name, then an optional `[key]` (which may contain dots), then `.`.
        let name_end = rest.find(['.', '[']).unwrap_or(rest.len());
        let mut after = &rest[name_end..];
        if after.starts_with('[') {
            let Some(close) = after.find("].") else {
                return s;
            };
            after = &after[close + 1..];
        }
        match after.strip_prefix('.') {
            Some(next) => s = next,
            None => return s,
        }
    }
    s
}

/// The type of a data source reference (`data.aws_caller_identity.current` →
/// `aws_caller_identity`), also inside a module.
fn data_type(target: &str) -> Option<&str> {
    let rest = strip_module_prefix(target).strip_prefix("data.")?;
    rest.split('.').next()
}

fn origin_note(v: &Value) -> String {
    match &*v.origin {
        Origin::Default(n) => format!(" (default of `{n}`)"),
        Origin::ValueFile(n) | Origin::Cli(n) => format!(" (value of `{n}`)"),
        _ => String::new(),
    }
}

/// Classifies one value of an `AWS` principal.
pub fn classify_aws_principal(v: &Value) -> AccountKind {
    match &v.kind {
        Kind::String(s) => {
            let s = s.trim();
            if s == "*" {
                AccountKind::Wildcard
            } else if is_account_id(s) {
                AccountKind::External(format!("account {s}{}", origin_note(v)))
            } else if let Some(acct) = arn_account(s) {
                // An ARN is often assembled from several inputs: naming one would mislead.
                AccountKind::External(format!("account {acct}"))
            } else {
                AccountKind::SameAccount
            }
        }
        Kind::Number(n) if n.fract() == 0.0 && *n >= 0.0 => {
            let s = format!("{:012}", *n as u64);
            if is_account_id(&s) {
                AccountKind::External(format!("account {s}{}", origin_note(v)))
            } else {
                AccountKind::Unknown
            }
        }
        Kind::Unknown(u) => {
            if let Some(input) = u.refs.iter().find(|r| r.kind == RefKind::Input) {
                return AccountKind::External(format!(
                    "an account supplied through `{}`",
                    input.target
                ));
            }
            if u.refs.is_empty() {
                return AccountKind::Unknown;
            }
            let own = u.refs.iter().all(|r| match r.kind {
                RefKind::Pseudo => r.target == "AWS::AccountId" || r.target == "AWS::Partition",
                RefKind::Data => {
                    data_type(&r.target).is_some_and(|t| SAME_ACCOUNT_DATA.contains(&t))
                }
                // A role or user created by the same code is in the same account.
                RefKind::Resource => true,
                _ => false,
            });
            if own {
                return AccountKind::SameAccount;
            }
            // A value read at deploy time (SSM parameter, remote state, …) is not known from
            // the code: read as another account, like a variable (the catalog's exception).
            if let Some(r) = u.refs.iter().find(|r| {
                r.kind == RefKind::Data
                    && data_type(&r.target).is_some_and(|t| !SAME_ACCOUNT_DATA.contains(&t))
            }) {
                return AccountKind::External(format!(
                    "an account read from `{}`",
                    strip_module_prefix(&r.target)
                ));
            }
            AccountKind::Unknown
        }
        _ => AccountKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};
    use crate::value::Reference;

    fn s(text: &str) -> Value {
        Value::string(text, Span::new(FileId(0), 0, 1))
    }
    fn unknown(kind: RefKind, target: &str) -> Value {
        Value::unknown(
            Span::default(),
            vec![Reference {
                kind,
                target: target.into(),
                attr: None,
                span: Span::default(),
            }],
            None,
        )
    }

    #[test]
    fn classifies() {
        assert_eq!(classify_aws_principal(&s("*")), AccountKind::Wildcard);
        assert!(matches!(
            classify_aws_principal(&s("arn:aws:iam::111122223333:root")),
            AccountKind::External(_)
        ));
        assert!(matches!(
            classify_aws_principal(&s("111122223333")),
            AccountKind::External(_)
        ));
        assert!(matches!(
            classify_aws_principal(&unknown(RefKind::Input, "partner")),
            AccountKind::External(_)
        ));
        assert_eq!(
            classify_aws_principal(&unknown(RefKind::Pseudo, "AWS::AccountId")),
            AccountKind::SameAccount
        );
        assert_eq!(
            classify_aws_principal(&unknown(
                RefKind::Data,
                "module.a[\"x.y\"].module.b.data.aws_caller_identity.current"
            )),
            AccountKind::SameAccount
        );
        assert!(matches!(
            classify_aws_principal(&unknown(RefKind::Data, "data.aws_ssm_parameter.partner")),
            AccountKind::External(m) if m == "an account read from `data.aws_ssm_parameter.partner`"
        ));
        assert_eq!(
            classify_aws_principal(&unknown(RefKind::Data, "data.aws_caller_identity.current")),
            AccountKind::SameAccount
        );
        assert_eq!(
            classify_aws_principal(&unknown(RefKind::Module, "m")),
            AccountKind::Unknown
        );
    }
}
