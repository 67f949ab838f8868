//! Action and ARN matching: IAM actions are case-insensitive and may hold `*` / `?` wildcards.

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

#[cfg(test)]
mod tests {
    use super::*;

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
