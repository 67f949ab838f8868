//! Rule selection, ruff-style: `--select FTR-ENC-001,FTR-CT-*` and `--ignore FTR-CT-005`.
//!
//! A selector is a rule ID (`FTR-ENC-001`), a prefix of one (`FTR-CT`, `FTR-CT-00`, `CT`), a
//! glob with `*` (`FTR-CT-*`, `*-004`) or `ALL`; case-insensitive. `--ignore` wins over
//! `--select`. A selector that matches no rule is an error (a typo must not silently run
//! nothing).

/// Which rules run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `None`: every rule (of the profile).
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
}

impl Selection {
    /// Every rule.
    pub fn all() -> Self {
        Self::default()
    }

    /// Exactly these selectors.
    pub fn only<S: AsRef<str>>(selectors: &[S]) -> Self {
        Selection {
            select: Some(selectors.iter().map(|s| s.as_ref().to_string()).collect()),
            ignore: Vec::new(),
        }
    }

    /// Whether the rule `id` runs.
    pub fn includes(&self, id: &str) -> bool {
        let selected = match &self.select {
            None => true,
            Some(list) => list.iter().any(|s| matches(s, id)),
        };
        selected && !self.ignore.iter().any(|s| matches(s, id))
    }

    /// Selectors that match none of `ids` (each is a usage error).
    pub fn unmatched<'a>(&'a self, ids: &[&str]) -> Vec<&'a str> {
        self.select
            .iter()
            .flatten()
            .chain(self.ignore.iter())
            .filter(|s| !ids.iter().any(|id| matches(s, id)))
            .map(String::as_str)
            .collect()
    }
}

/// Splits a command-line value at commas (`FTR-CT-001,FTR-CT-002`), dropping empty parts.
pub fn split_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `selector` designates rule `id`.
pub fn matches(selector: &str, id: &str) -> bool {
    let sel = selector.trim().to_ascii_uppercase();
    let id = id.to_ascii_uppercase();
    if sel == "ALL" {
        return true;
    }
    // `CT-001`, `CT` are shorthands for `FTR-CT-001`, `FTR-CT`. Guard rules are
    // `GUARD:<file>:<rule>`: `GUARD`, `GUARD:tags` and `GUARD:*` select them.
    let sel = if sel.starts_with("FTR") || sel.starts_with("GUARD") || sel.starts_with('*') {
        sel
    } else {
        format!("FTR-{sel}")
    };
    if sel.contains('*') {
        return glob(sel.as_bytes(), id.as_bytes());
    }
    // A prefix must end at a segment boundary or inside the number: `FTR-C` is not `FTR-CT`.
    id == sel
        || (id.starts_with(&sel)
            && (sel.ends_with('-')
                || matches!(id.as_bytes().get(sel.len()), Some(b'-' | b':'))
                || sel.bytes().last().is_some_and(|b| b.is_ascii_digit())))
}

/// `*` matches any run of characters (iterative, no backtracking blow-up).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        assert!(matches("FTR-ENC-001", "FTR-ENC-001"));
        assert!(matches("ftr-enc-001", "FTR-ENC-001"));
        assert!(matches("FTR-CT-*", "FTR-CT-004"));
        assert!(matches("FTR-CT", "FTR-CT-004"));
        assert!(matches("CT", "FTR-CT-004"));
        assert!(matches("CT-00", "FTR-CT-004"));
        assert!(matches("*-004", "FTR-CT-004"));
        assert!(matches("ALL", "FTR-CT-004"));
        assert!(!matches("FTR-C", "FTR-CT-004"));
        assert!(!matches("FTR-CT-*", "FTR-ENC-001"));
        assert!(!matches("FTR-ENC-00", "FTR-ENC-010"));
        assert!(matches("FTR-ENC-01", "FTR-ENC-010"));
        assert!(matches("GUARD", "GUARD:tags:bucket_tags"));
        assert!(matches("guard:tags", "GUARD:tags:bucket_tags"));
        assert!(matches("GUARD:*", "GUARD:tags:bucket_tags"));
        assert!(matches("GUARD:tags:bucket_tags", "GUARD:tags:bucket_tags"));
        assert!(!matches("GUARD:tag", "GUARD:tags:bucket_tags"));
        assert!(!matches("GUARD", "FTR-CT-004"));
        assert!(!matches("FTR", "GUARD:tags:bucket_tags"));
    }

    #[test]
    fn ignore_wins() {
        let s = Selection {
            select: Some(vec!["FTR-CT".into()]),
            ignore: vec!["FTR-CT-005".into()],
        };
        assert!(s.includes("FTR-CT-004"));
        assert!(!s.includes("FTR-CT-005"));
        assert!(!s.includes("FTR-ENC-001"));
        assert!(Selection::all().includes("FTR-ENC-001"));
        assert_eq!(
            s.unmatched(&["FTR-CT-004", "FTR-CT-005"]),
            Vec::<&str>::new()
        );
        assert_eq!(
            Selection::only(&["FTR-NOPE-1"]).unmatched(&["FTR-CT-004"]),
            ["FTR-NOPE-1"]
        );
    }

    #[test]
    fn lists() {
        assert_eq!(
            split_list(&[
                "FTR-CT-001,FTR-CT-002".into(),
                " FTR-XA ".into(),
                ",".into()
            ]),
            ["FTR-CT-001", "FTR-CT-002", "FTR-XA"]
        );
    }
}
