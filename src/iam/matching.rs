//! Action and ARN matching: IAM actions are case-insensitive and may hold `*` / `?` wildcards.

use crate::value::{Kind, RefKind, Value};

/// Glob match with `*` and `?`, ASCII case-insensitive (IAM action semantics).
pub fn glob_match_ci(pattern: &str, text: &str) -> bool {
    let p: Vec<u8> = pattern.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let t: Vec<u8> = text.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// `*` or `*:*`: every action of every service.
pub fn is_full_wildcard_action(action: &str) -> bool {
    let a = action.trim();
    a == "*" || a == "*:*"
}

/// Does an action pattern in a policy allow `action` (e.g. `sts:AssumeRole`)?
pub fn action_allows(pattern: &str, action: &str) -> bool {
    glob_match_ci(pattern.trim(), action)
}

/// `arn:<partition>:iam::aws:policy/AdministratorAccess` in any partition.
pub fn is_administrator_access_arn(arn: &str) -> bool {
    let Some(rest) = arn.trim().strip_prefix("arn:") else {
        return false;
    };
    let Some((partition, tail)) = rest.split_once(':') else {
        return false;
    };
    partition.starts_with("aws") && tail == "iam::aws:policy/AdministratorAccess"
}

/// A policy ARN template whose policy name is known text after the last unknown part
/// (`arn:${partition}:iam::aws:policy/ReadOnlyAccess`): true when that name is not
/// AdministratorAccess, so the ARN cannot be it whatever the unknown parts are.
pub fn partial_is_other_policy(partial: &str) -> bool {
    let Some(tail) = partial.rsplit(crate::value::HOLE).next() else {
        return false;
    };
    let Some((_, path)) = tail.rsplit_once(":policy/") else {
        return false;
    };
    let name = path.rsplit('/').next().unwrap_or(path).trim();
    !name.is_empty() && !name.eq_ignore_ascii_case("AdministratorAccess")
}

/// Whether a value can be one of `texts` (wildcards): a known string that is, or an
/// unknown one whose known parts do not rule it out (a template's literal text, an ARN
/// attribute, every branch of an undecided `Fn::If`).
pub fn may_be(v: &Value, texts: &[&str]) -> bool {
    match &v.kind {
        Kind::String(s) => texts.contains(&s.trim()),
        Kind::Unknown(u) => {
            if !u.alternatives.is_empty() {
                return u
                    .alternatives
                    .iter()
                    .any(|a| a.value.as_ref().is_some_and(|v| may_be(v, texts)));
            }
            if let Some(p) = u.partial.as_deref() {
                return texts.iter().any(|t| template_may_be(p, t));
            }
            // `!GetAtt Queue.Arn`, `aws_sqs_queue.q.arn`: an ARN, never a wildcard.
            let arn_attr = !u.refs.is_empty()
                && u.refs.iter().all(|r| {
                    r.kind == RefKind::Resource
                        && r.attr
                            .as_deref()
                            .is_some_and(|a| a.eq_ignore_ascii_case("arn"))
                });
            !arn_attr
        }
        // A list or map where a string is expected: not a wildcard string.
        _ => false,
    }
}

/// Can the template `partial` (known text with holes) produce exactly `text`?
fn template_may_be(partial: &str, text: &str) -> bool {
    let parts: Vec<&str> = partial.split(crate::value::HOLE).collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return true;
    };
    if parts.len() == 1 {
        return partial == text;
    }
    if first.len() + last.len() > text.len() || !text.starts_with(first) || !text.ends_with(last) {
        return false;
    }
    // The middle parts in order, between the first and the last.
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_that_cannot_be_wildcards() {
        let h = crate::value::HOLE;
        assert!(!template_may_be(&format!("arn:aws:s3:::{h}/{h}/*"), "*"));
        assert!(template_may_be(&format!("{h}:*"), "*:*"));
        assert!(template_may_be(&format!("{h}"), "*"));
        assert!(!template_may_be(&format!("s3:{h}"), "*"));
        assert!(partial_is_other_policy(&format!(
            "arn:{h}:iam::aws:policy/ReadOnlyAccess"
        )));
        assert!(!partial_is_other_policy(&format!(
            "arn:{h}:iam::aws:policy/AdministratorAccess"
        )));
        assert!(!partial_is_other_policy(&format!(
            "arn:aws:iam::aws:policy/{h}"
        )));
    }

    #[test]
    fn globbing() {
        assert!(action_allows("sts:*", "sts:AssumeRole"));
        assert!(action_allows("STS:assumerole", "sts:AssumeRole"));
        assert!(action_allows("*", "sts:AssumeRole"));
        assert!(action_allows("sts:Assume?ole", "sts:AssumeRole"));
        assert!(!action_allows("sts:AssumeRoleWithSAML", "sts:AssumeRole"));
        assert!(!action_allows("s3:*", "sts:AssumeRole"));
        assert!(is_full_wildcard_action("*:*"));
        assert!(!is_full_wildcard_action("s3:*"));
    }

    #[test]
    fn admin_arn() {
        assert!(is_administrator_access_arn(
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ));
        assert!(is_administrator_access_arn(
            "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
        ));
        assert!(!is_administrator_access_arn(
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        ));
        assert!(!is_administrator_access_arn(
            "arn:aws:iam::123456789012:policy/AdministratorAccess"
        ));
    }
}
