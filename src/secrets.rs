//! Recognising secrets in text and names, shared by the secrets rules (FTR-SEC-…) and masking.
//!
//! Pure functions over strings: AWS access keys anywhere in raw text, whether a name "looks
//! secret" (the catalog's heuristic), whether a literal only points at a secret, and
//! `NAME=value` assignments in scripts (EC2 user data). No parsing of IaC formats here.

use memchr::memmem;
use std::sync::LazyLock;

/// What an AWS credential found in text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `AKIA…` (long-lived) or `ASIA…` (temporary) access key id.
    AccessKeyId,
    /// A 40-character secret access key on a line that names a secret.
    SecretAccessKey,
}

/// An AWS credential in text: byte range and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHit {
    pub start: usize,
    pub end: usize,
    pub kind: KeyKind,
    /// One of AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`, `…EXAMPLEKEY`).
    pub example: bool,
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+'
}

/// The first position at or after `from` where `secret` occurs in `hay`, ignoring ASCII case.
///
/// Every file of a scan is searched (by FTR-SEC-001 and by masking): candidates are found by
/// SIMD search for its rarest letter, `c`, instead of comparing a window at every byte (that
/// was 4 % of a corpus scan).
fn find_secret_ci(hay: &[u8], from: usize) -> Option<usize> {
    const NEEDLE: &[u8] = b"secret";
    const RARE: usize = 2; // the `c` of `secret`
    let mut at = from.checked_add(RARE)?;
    while let Some(k) = memchr::memchr2(b'c', b'C', hay.get(at..)?) {
        let c = at + k;
        let start = c - RARE;
        if hay
            .get(start..start + NEEDLE.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(NEEDLE))
        {
            return Some(start);
        }
        at = c + 1;
    }
    None
}

/// Every AWS access key id and secret access key in `text`.
///
/// Key ids: `AKIA`/`ASIA` and 16 upper-case letters or digits, not inside a longer word.
/// Secret keys: exactly 40 base64 characters mixing upper, lower case and digits,
/// on a line that says `secret` before them (`aws_secret_access_key = …`,
/// `SecretAccessKey: …`, `export AWS_SECRET_ACCESS_KEY=…`): a bare 40-character string is
/// too often something else (a hash, an encoded blob).
pub fn aws_keys(text: &str) -> Vec<KeyHit> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Every file of a scan is searched (by FTR-SEC-001 and by masking): the prefixes are
    // found by SIMD substring search (testing each byte was a fifth of a corpus scan, the
    // standard library's `match_indices` 3 %).
    static PREFIXES: LazyLock<[memmem::Finder<'static>; 2]> =
        LazyLock::new(|| [memmem::Finder::new("AKIA"), memmem::Finder::new("ASIA")]);
    for finder in PREFIXES.iter() {
        for i in finder.find_iter(b) {
            if i + 20 <= b.len()
                && (i == 0 || !is_alnum(b[i - 1]))
                && b[i + 4..i + 20]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && b.get(i + 20).is_none_or(|c| !is_alnum(*c))
            {
                out.push(KeyHit {
                    start: i,
                    end: i + 20,
                    kind: KeyKind::AccessKeyId,
                    example: text[i..i + 20].ends_with("EXAMPLE"),
                });
            }
        }
    }
    // Secret access keys: runs of exactly 40 base64 characters after `secret` on their line.
    // Only lines saying `secret` are walked (found by substring search, in any case).
    // Searched in place: a lower-cased copy would double the memory of a large template.
    let mut from = 0;
    while let Some(p) = find_secret_ci(b, from) {
        let line_end = b[p..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |k| p + k);
        // The run holding this first `secret` of the line has no `secret` before it.
        let mut i = p;
        while i < line_end && is_b64(b[i]) {
            i += 1;
        }
        while i < line_end {
            if !is_b64(b[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < line_end && is_b64(b[i]) {
                i += 1;
            }
            // A trailing `=` would make it base64 padding of something longer.
            if i - start != 40 || b.get(i) == Some(&b'=') {
                continue;
            }
            let run = &text[start..i];
            let upper = run.bytes().any(|c| c.is_ascii_uppercase());
            let lower = run.bytes().any(|c| c.is_ascii_lowercase());
            // Random base64 of 40 characters has a digit (all but 0.1 %); paths and words do not.
            let other = run.bytes().any(|c| c.is_ascii_digit());
            if upper && lower && other {
                out.push(KeyHit {
                    start,
                    end: i,
                    kind: KeyKind::SecretAccessKey,
                    example: run.ends_with("EXAMPLEKEY"),
                });
            }
        }
        from = line_end;
    }
    out.sort_by_key(|h| h.start);
    out
}

/// Whether a value (of a secret-looking name) is itself an AWS key: an access key id, or a
/// 40-character secret access key (no `secret` context needed: the name gives it).
pub fn is_aws_key(value: &str) -> bool {
    let v = value.trim();
    if aws_keys(v).iter().any(|h| !h.example) {
        return true;
    }
    let b = v.as_bytes();
    b.len() == 40
        && b.iter().all(|c| is_b64(*c))
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_digit)
        && !v.ends_with("EXAMPLEKEY")
}

/// A name split into lower-case words: `DBMasterPassword` → `db master password`,
/// `api_key` → `api key`, `/app/prod/db-password` → `app prod db password`.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that make a name look secret when they are its head (the catalog's list, plurals
/// included; `api_key`, `private_key` and `secret_key` end in `key`).
const SECRET_HEADS: &[&str] = &[
    "password",
    "passwords",
    "passwd",
    "secret",
    "secrets",
    "token",
    "tokens",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
];

/// Words after the head that still name the secret itself (`api_key_value`,
/// `secret_string`, `password_wo`, `github_token_override`).
const TRAILING: &[&str] = &[
    "value",
    "values",
    "string",
    "binary",
    "wo",
    "override",
    "plaintext",
    "text",
];

/// Words that, anywhere in a name, make it about a secret without holding it: pointers
/// (`kms_key_id`, `*_arn`, `ssm_*` paths, `*_secret_name`, `key_name`), settings about secrets
/// (`allow_users_to_change_password`, `encrypt_secrets`, `password_policy`), and
/// metadata (`token_validity_units`, `password_length`).
const NOT_A_SECRET: &[&str] = &[
    "arn",
    "arns",
    "id",
    "ids",
    "name",
    "names",
    "kms",
    "ssm",
    "path",
    "paths",
    "url",
    "uri",
    "endpoint",
    "length",
    "ttl",
    "validity",
    "expiry",
    "expiration",
    "expires",
    "type",
    "version",
    "enabled",
    "enable",
    "disable",
    "disabled",
    "rotation",
    "rotate",
    "policy",
    "prefix",
    "suffix",
    "count",
    "duration",
    "header",
    "file",
    "region",
    "table",
    "bucket",
    "required",
    "require",
    "reset",
    "age",
    "reuse",
    "location",
    "hint",
    "manager",
    "parameter",
    "param",
    "params",
    "ref",
    "days",
    "format",
    "source",
    "store",
    "mode",
    "alias",
    "allow",
    "change",
    "manage",
    "managed",
    "create",
    "generate",
    "generation",
    "use",
    "deploy",
    "encrypt",
    "encryption",
    "stack",
    "pattern",
    "selection",
    "expression",
    "schedule",
    "strategy",
    "specs",
    "configuration",
    "directory",
    "domains",
    "arnlist",
    "special",
    "association",
    "service",
    "http",
    "creation",
    "lookup",
    "min",
    "max",
    "minimum",
    "maximum",
    "units",
    "characters",
    "prevention",
    "solution",
];

/// Whether a name (variable, parameter, environment variable, SSM parameter path) looks like it
/// holds a secret: its head word is one of the catalog's (password, passwd, secret, token,
/// api_key, private_key, credentials), and no word makes it a pointer to a secret or a
/// setting about one.
pub fn looks_secret(name: &str) -> bool {
    // An SSM path is judged on its last segment (`/app/db/password`).
    let last_segment = name.rsplit('/').find(|s| !s.is_empty()).unwrap_or(name);
    let mut w = words(last_segment);
    if w.iter().any(|x| NOT_A_SECRET.contains(&x.as_str())) {
        return false;
    }
    while w.len() > 1 && w.last().is_some_and(|x| TRAILING.contains(&x.as_str())) {
        w.pop();
    }
    let Some(head) = w.last() else {
        return false;
    };
    if head == "key" {
        // `api_key`, `private_key`, `secret_key`, `SecretAccessKey`.
        return w[..w.len() - 1].iter().any(|x| {
            matches!(x.as_str(), "api" | "private") || SECRET_HEADS.iter().any(|m| x.contains(m))
        });
    }
    SECRET_HEADS.iter().any(|m| head.ends_with(m))
}

/// A declaration whose description says it holds an ARN (`Arn of the Secrets Manager secret
/// …`): it points at a secret.
pub fn described_as_arn(description: &str) -> bool {
    description
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("arn") || w.eq_ignore_ascii_case("arns"))
}

/// A literal that only designates a secret kept elsewhere (so it is not itself one): a
/// dynamic reference (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}`), an ARN.
pub fn points_elsewhere(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("{{resolve:") || v.starts_with("arn:")
}

/// A value that cannot be a secret: empty, a boolean or a number.
pub fn trivially_not_secret(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || [
            "true", "false", "yes", "no", "null", "none", "enabled", "disabled", "required",
            "optional", "default",
        ]
        .iter()
        .any(|w| v.eq_ignore_ascii_case(w))
        || v.parse::<f64>().is_ok()
}

/// `NAME=value`, `NAME: value`, `--name value` in a script with a literal value: byte ranges
/// of the name and of the value in `script`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub name: (usize, usize),
    pub value: (usize, usize),
}

/// Assignments of secret-looking names to literal values in a script (EC2 user data): shell
/// `export DB_PASSWORD=…`, `KEY: value` (YAML, cloud-init), `"token": "…"` (JSON),
/// `--password value` / `--password=value`. Values built from variables (`$X`, `${X}`,
/// `$(cmd)`), dynamic references and ARNs are not literals; comment lines are skipped.
pub fn script_assignments(script: &str) -> Vec<Assignment> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in script.split_inclusive('\n') {
        let base = line_start;
        line_start += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        let b = line.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            let sep_is_space = c == b' ';
            if c != b'=' && c != b':' && !sep_is_space {
                continue;
            }
            // The name: identifier characters right before the separator (after quotes).
            let mut end = i;
            while end > 0 && (b[end - 1] == b'"' || b[end - 1] == b'\'') && !sep_is_space {
                end -= 1;
            }
            if c != b' ' {
                while end > 0 && b[end - 1] == b' ' {
                    end -= 1;
                }
            }
            let mut start = end;
            while start > 0
                && (b[start - 1].is_ascii_alphanumeric()
                    || matches!(b[start - 1], b'_' | b'-' | b'.'))
            {
                start -= 1;
            }
            let name = &line[start..end];
            if sep_is_space && !name.starts_with("--") {
                continue;
            }
            if c == b'=' && b.get(i + 1) == Some(&b'=') {
                continue;
            }
            if name.is_empty() || !looks_secret(name.trim_start_matches('-')) {
                continue;
            }
            // The value: after spaces and an opening quote, to the closing quote or blank.
            let mut v = i + 1;
            while v < b.len() && b[v] == b' ' && !sep_is_space {
                v += 1;
            }
            let quote = b.get(v).copied().filter(|q| *q == b'"' || *q == b'\'');
            if quote.is_some() {
                v += 1;
            }
            let mut ve = v;
            while ve < b.len() {
                let ch = b[ve];
                let stop = match quote {
                    Some(q) => ch == q,
                    None => {
                        ch.is_ascii_whitespace() || matches!(ch, b';' | b',' | b'}' | b'"' | b'\'')
                    }
                };
                if stop {
                    break;
                }
                ve += 1;
            }
            let value = &line[v..ve];
            if value.chars().count() < 3
                || value.contains('$')
                || value.contains("{{")
                || value.starts_with('<')
                || value.starts_with('/')
                || value.starts_with('%')
                || value.starts_with('-')
                || points_elsewhere(value)
                || trivially_not_secret(value)
            {
                continue;
            }
            out.push(Assignment {
                name: (base + start, base + end),
                value: (base + v, base + ve),
            });
        }
    }
    out
}

/// The text of a base64 string (`Fn::Base64` of a literal evaluates to it), when it decodes
/// to UTF-8.
pub fn decode_base64(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || !s.len().is_multiple_of(4) {
        return None;
    }
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    for chunk in s.as_bytes().chunks(4) {
        let pad = chunk.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        out.push((n >> 16) as u8);
        if pad < 2 {
            out.push((n >> 8) as u8);
        }
        if pad < 1 {
            out.push(n as u8);
        }
    }
    String::from_utf8(out).ok()
}

/// The masked form of a secret: at most its first 4 characters (fewer for a short one, so
/// at most a quarter of it shows), then `****`.
pub fn masked(secret: &str) -> String {
    let shown = (secret.chars().count() / 4).min(4);
    let mut out: String = secret.chars().take(shown).collect();
    out.push_str("****");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_a_word_in_any_case_without_copying() {
        let hay = b"x SECRET y Secret z secret";
        assert_eq!(super::find_secret_ci(hay, 0), Some(2));
        assert_eq!(super::find_secret_ci(hay, 3), Some(11));
        assert_eq!(super::find_secret_ci(hay, 12), Some(20));
        assert_eq!(super::find_secret_ci(hay, 21), None);
        assert_eq!(super::find_secret_ci(hay, 99), None);
        // A `c` that is not the third letter of the word, at the ends, in mixed case.
        assert_eq!(super::find_secret_ci(b"cc secrecy sEcReT", 0), Some(11));
        assert_eq!(super::find_secret_ci(b"secret", 0), Some(0));
        assert_eq!(super::find_secret_ci(b"secret", 1), None);
        assert_eq!(super::find_secret_ci(b"secre", 0), None);
        assert_eq!(super::find_secret_ci("é secrets".as_bytes(), 0), Some(3));
    }

    use super::*;

    #[test]
    fn finds_access_keys_and_secret_keys() {
        let text = "provider \"aws\" {\n  access_key = \"AKIAZ7Q3HMDKQ2XW4P5N\"\n  secret_key = \"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\"\n}\nid = \"xAKIAZ7Q3HMDKQ2XW4P5N\"\n";
        let hits = aws_keys(text);
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!(hits[0].kind, KeyKind::AccessKeyId);
        assert_eq!(&text[hits[0].start..hits[0].end], "AKIAZ7Q3HMDKQ2XW4P5N");
        assert_eq!(hits[1].kind, KeyKind::SecretAccessKey);
        assert!(!hits[1].example);
        // A 40-character run without `secret` on its line is not a key.
        assert!(aws_keys("sha = \"q8Xv2Lm9Tr4Kp7Wz1Bn6Hd3Fs5Gj0Ya8Ce2Ru9Ni\"").is_empty());
        let ex = aws_keys("k = AKIAIOSFODNN7EXAMPLE");
        assert!(ex[0].example);
    }

    /// `secret` must come before the run on its line, in any case; a run that `secret` is part
    /// of, or one on another line, is not a key.
    #[test]
    fn secret_keys_need_secret_before_them_on_the_line() {
        let key = "q8Xv2Lm9Tr4Kp7Wz1Bn6Hd3Fs5Gj0Ya8Ce2Ru9Ni";
        let starts = |text: &str| -> Vec<usize> {
            aws_keys(text)
                .iter()
                .filter(|h| h.kind == KeyKind::SecretAccessKey)
                .map(|h| h.start)
                .collect()
        };
        assert_eq!(starts(&format!("AWS_SECRET_ACCESS_KEY={key}")), vec![22]);
        assert_eq!(starts(&format!("SeCrEt: x {key} {key}")), vec![10, 51]);
        assert_eq!(starts(&format!("{key} # secret")), Vec::<usize>::new());
        assert_eq!(starts(&format!("secret\n{key}")), Vec::<usize>::new());
        assert_eq!(
            starts("secretq8Xv2Lm9Tr4Kp7Wz1Bn6Hd3Fs5Gj0Ya8"),
            Vec::<usize>::new()
        );
        assert_eq!(
            starts(&format!("x secret y secret {key}=")),
            Vec::<usize>::new()
        );
        assert_eq!(starts(&format!("x secret y\nz secret {key}")), vec![20]);
    }

    #[test]
    fn names_that_look_secret() {
        for n in [
            "db_password",
            "DBMasterPassword",
            "api_key",
            "ApiKey",
            "GITHUB_TOKEN",
            "client_secret",
            "private_key",
            "db-credentials",
            "/app/prod/db-password",
            "SecretAccessKey",
            "secret_string",
            "github_token_override",
            "ApiKeyValue",
        ] {
            assert!(looks_secret(n), "{n}");
        }
        for n in [
            "kms_key_id",
            "db_password_secret_arn",
            "key_name",
            "KeyPairName",
            "db_secret_name",
            "SecretKeyId",
            "password_length",
            "region",
            "instance_type",
            "access_key",
            "AllowUsersToChangePassword",
            "client_token_validity_units",
            "EC2MetadataHttpTokens",
            "EipLookupServiceToken",
            "ssm_github_api_key",
            "creation_token",
            "pSRASecretsKeyAlias",
            "EKSEncryptSecrets",
            "password_reuse_prevention",
            "master_user_password_rotation_schedule_expression",
        ] {
            assert!(!looks_secret(n), "{n}");
        }
    }

    #[test]
    fn script_assignments_are_literals_only() {
        let s = "#!/bin/bash\nexport DB_PASSWORD=hunter2secret\nTOKEN=$(aws ssm get-parameter)\n# API_KEY=commented\nmysql --password s3cr3tpass\nAPI_KEY=\"${var}\"\n";
        let a = script_assignments(s);
        let values: Vec<&str> = a.iter().map(|x| &s[x.value.0..x.value.1]).collect();
        assert_eq!(values, ["hunter2secret", "s3cr3tpass"]);
    }

    #[test]
    fn base64_round_trip_and_masking() {
        assert_eq!(
            decode_base64("aGVsbG8gd29ybGQ=").as_deref(),
            Some("hello world")
        );
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(masked("AKIAZ7Q3HMDKQ2XW4P5N"), "AKIA****");
        assert_eq!(masked("hunter2"), "h****");
        assert_eq!(masked("abc"), "****");
    }
}
