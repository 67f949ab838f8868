//! Guard policy files: found (`--policy FILE|DIR`, `policies = [...]`), read, parsed once per
//! run with cfn-guard's parser, and described (rule IDs, severities, messages, the keys their
//! queries name).

use crate::severity::Severity;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every policy file of the run, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub files: Vec<PolicyFile>,
}

/// One `.guard` file.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub path: PathBuf,
    /// As shown to the user.
    pub display: String,
    /// The file name without `.guard`: the middle part of the rule IDs.
    pub stem: String,
    pub text: String,
    pub rules: Vec<PolicyRule>,
    /// The keys the file's queries name (see [`Keys`]).
    pub keys: Keys,
}

/// One named rule of a policy file.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyRule {
    /// `GUARD:<stem>:<name>`.
    pub id: String,
    pub name: String,
    pub severity: Severity,
    /// 1-based line of `rule <name>` in the file (1 when not found).
    pub line: u32,
    /// The first custom message (`<< … >>`) written in the rule, if any.
    pub message: Option<String>,
}

/// The property keys a policy's queries name, to tell whether an unknown value could have
/// changed a rule's verdict. `any`: the policy reads values by wildcard below a resource
/// (`Properties.*`, a key filter), so any key may matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys {
    pub names: BTreeSet<String>,
    pub any: bool,
}

impl Keys {
    pub fn touches(&self, key: &str) -> bool {
        self.any || self.names.contains(key)
    }
}

/// Severity of a Guard rule without a `# severity:` comment.
pub const DEFAULT_SEVERITY: Severity = Severity::Medium;

/// The `*.guard` files of `paths` (files as given; directories walked recursively, in name
/// order). A path that does not exist, or a directory without any `.guard` file, is an error.
pub fn find(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| format!("--policy {}: {e}", p.display()))?;
        if meta.is_dir() {
            let before = out.len();
            walk(p, &mut out, 0)?;
            if out.len() == before {
                return Err(format!(
                    "--policy {}: no `.guard` file in this directory",
                    p.display()
                ));
            }
        } else {
            out.push(p.clone());
        }
    }
    // The same file named twice (a directory and a file in it) is loaded once.
    let mut seen = BTreeSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}

/// Directory depth walked below a `--policy` directory (a symlink loop must not hang the run).
const MAX_DEPTH: usize = 32;

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out, depth + 1)?;
        } else if p.extension().is_some_and(|e| e == "guard") && p.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads and parses the policy files of `paths`. Errors name the file and, for a syntax error,
/// the line: `policies/tags.guard:4: …`.
pub fn load(paths: &[PathBuf]) -> Result<PolicySet, String> {
    let files = find(paths)?;
    let mut set = PolicySet::default();
    for path in files {
        let text =
            crate::input::read_text(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let display = path.display().to_string();
        let file = parse(&path, display, text)?;
        if let Some(other) = set.files.iter().find(|f| f.stem == file.stem) {
            return Err(format!(
                "{} and {} have the same name: rule IDs (`GUARD:{}:…`) would be ambiguous; rename one",
                other.display, file.display, file.stem
            ));
        }
        set.files.push(file);
    }
    Ok(set)
}

/// Parses one policy file's text (`display` names it in errors).
pub fn parse(path: &Path, display: String, text: String) -> Result<PolicyFile, String> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tree = parse_tree(&text, &display)?;
    let names = rule_names(&tree);
    if names.is_empty() {
        return Err(format!("{display}: no Guard rule in this file"));
    }
    let mut rules = Vec::new();
    for name in names {
        let line = rule_line(&text, &name);
        let severity = severity_comment(&text, line)
            .map_err(|(at, e)| format!("{display}:{at}: {e}"))?
            .unwrap_or(DEFAULT_SEVERITY);
        rules.push(PolicyRule {
            id: format!("GUARD:{stem}:{name}"),
            message: rule_message(&text, line),
            name,
            severity,
            line,
        });
    }
    let keys = query_keys(&tree);
    Ok(PolicyFile {
        path: path.to_path_buf(),
        display,
        stem,
        text,
        rules,
        keys,
    })
}

/// The parse tree of a rules file as JSON (cfn-guard's tree type is not nameable outside the
/// crate; its serialised form is). cfn-guard may panic on odd input: a panic is a parse error.
fn parse_tree(text: &str, display: &str) -> Result<serde_json::Value, String> {
    let run = || -> Result<serde_json::Value, String> {
        match cfn_guard::commands::validate::parse_rules(text, display) {
            Ok(Some(tree)) => serde_json::to_value(&tree).map_err(|e| e.to_string()),
            Ok(None) => Ok(serde_json::Value::Null),
            Err(e) => Err(e.to_string()),
        }
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(tree)) => Ok(tree),
        Ok(Err(message)) => Err(syntax_error(display, &message)),
        Err(_) => Err(format!(
            "{display}: the Guard parser failed on this file (cfn-guard panicked)"
        )),
    }
}

/// `tags.guard:2: expecting …` from cfn-guard's "… parsing file tags.guard at line 2 at column
/// 18, when handling expecting …".
fn syntax_error(display: &str, message: &str) -> String {
    let line = message.find(" at line ").and_then(|i| {
        message[i + 9..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse::<u32>().ok())
    });
    let detail = message
        .split_once(", when handling ")
        .map(|(_, d)| d)
        .unwrap_or(message)
        .trim()
        .trim_end_matches('`')
        .trim();
    // The fragment cfn-guard appends is the rest of the file: keep its first line only.
    let detail = match detail.split_once(", fragment") {
        Some((head, frag)) => {
            let first = frag.trim().lines().next().unwrap_or("").trim();
            if first.is_empty() {
                head.to_string()
            } else {
                format!("{head} (at `{first}`)")
            }
        }
        None => detail.to_string(),
    };
    match line {
        Some(l) => format!("{display}:{l}: Guard syntax error: {detail}"),
        None => format!("{display}: Guard syntax error: {detail}"),
    }
}

/// Names of the rules of a parse tree (`guard_rules[].rule_name`), in file order.
fn rule_names(tree: &serde_json::Value) -> Vec<String> {
    tree.get("guard_rules")
        .and_then(|r| r.as_array())
        .map(|rules| {
            rules
                .iter()
                .filter_map(|r| r.get("rule_name")?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The line of `rule <name>` (a rule declaration starts its line), 1 when not found (the
/// unnamed `default` rule of top-level clauses).
fn rule_line(text: &str, name: &str) -> u32 {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("rule") {
            let rest = rest.trim_start();
            if rest.len() < t.len() - 4
                && rest.starts_with(name)
                && rest[name.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
            {
                return i as u32 + 1;
            }
        }
    }
    1
}

/// The `# severity: high` comment among the comment lines right above line `line`.
/// An unknown severity is an error at its line.
fn severity_comment(text: &str, line: u32) -> Result<Option<Severity>, (u32, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut n = line as usize;
    while n >= 2 {
        let t = lines.get(n - 2).map(|l| l.trim()).unwrap_or("");
        let Some(comment) = t.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if let Some(v) = comment
            .get(..9)
            .filter(|p| p.eq_ignore_ascii_case("severity:"))
            .map(|_| comment[9..].trim())
        {
            return match v.to_ascii_lowercase().as_str() {
                "critical" => Ok(Some(Severity::Critical)),
                "high" => Ok(Some(Severity::High)),
                "medium" => Ok(Some(Severity::Medium)),
                "low" => Ok(Some(Severity::Low)),
                _ => Err((
                    n as u32 - 1,
                    format!("unknown severity `{v}` (critical, high, medium or low)"),
                )),
            };
        }
        n -= 1;
    }
    Ok(None)
}

/// The first `<< … >>` message of the rule declared at `line` (up to the next rule).
fn rule_message(text: &str, line: u32) -> Option<String> {
    let start: usize = text
        .lines()
        .take(line.saturating_sub(1) as usize)
        .map(|l| l.len() + 1)
        .sum();
    let body = text.get(start.min(text.len())..)?;
    // The rule ends where the next top-level `rule` starts.
    let end = body
        .match_indices("\nrule ")
        .next()
        .map(|(i, _)| i)
        .unwrap_or(body.len());
    let body = &body[..end];
    let open = body.find("<<")?;
    let close = body[open + 2..].find(">>")?;
    let msg = body[open + 2..open + 2 + close]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!msg.is_empty()).then_some(msg)
}

/// The keys named in the queries of a parse tree: `Key` parts (not variables), and whether a
/// wildcard reads values below a resource (`*` or a key filter that does not directly follow
/// `Resources`).
fn query_keys(tree: &serde_json::Value) -> Keys {
    let mut keys = Keys::default();
    collect_keys(tree, &mut keys, 0);
    keys
}

const QUERY_PARTS: [&str; 7] = [
    "This",
    "Key",
    "MapKeyFilter",
    "AllValues",
    "AllIndices",
    "Index",
    "Filter",
];

fn collect_keys(v: &serde_json::Value, keys: &mut Keys, depth: usize) {
    // Parse trees are shallow; the bound only guards the recursion.
    if depth > 256 {
        keys.any = true;
        return;
    }
    match v {
        serde_json::Value::Array(items) => {
            let is_query = !items.is_empty()
                && items.iter().all(|i| match i {
                    serde_json::Value::String(s) => s == "This",
                    serde_json::Value::Object(m) => {
                        m.len() == 1 && m.keys().all(|k| QUERY_PARTS.contains(&k.as_str()))
                    }
                    _ => false,
                });
            if is_query {
                let mut previous: Option<&str> = None;
                for part in items {
                    if let Some(m) = part.as_object() {
                        if let Some(k) = m.get("Key").and_then(|k| k.as_str()) {
                            if !k.starts_with('%') {
                                keys.names.insert(k.to_string());
                            }
                            previous = Some(k);
                            continue;
                        }
                        if (m.contains_key("AllValues") || m.contains_key("MapKeyFilter"))
                            && previous != Some("Resources")
                        {
                            keys.any = true;
                        }
                    }
                    previous = None;
                }
            }
            for i in items {
                collect_keys(i, keys, depth + 1);
            }
        }
        serde_json::Value::Object(m) => {
            for x in m.values() {
                collect_keys(x, keys, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<PolicyFile, String> {
        parse(
            Path::new("p/tags.guard"),
            "p/tags.guard".into(),
            text.into(),
        )
    }

    #[test]
    fn rules_with_severity_line_and_message() {
        let f = parsed(
            "let buckets = Resources.*[ Type == 'AWS::S3::Bucket' ]\n\n# Tags first.\n# severity: high\nrule bucket_tags when %buckets !empty {\n  %buckets.Properties.Tags exists <<Buckets need\n   tags>>\n}\n\nrule other {\n  Resources.*.Properties.X == 1\n}\n",
        )
        .expect("valid");
        assert_eq!(f.stem, "tags");
        assert_eq!(
            f.rules,
            vec![
                PolicyRule {
                    id: "GUARD:tags:bucket_tags".into(),
                    name: "bucket_tags".into(),
                    severity: Severity::High,
                    line: 5,
                    message: Some("Buckets need tags".into()),
                },
                PolicyRule {
                    id: "GUARD:tags:other".into(),
                    name: "other".into(),
                    severity: Severity::Medium,
                    line: 10,
                    message: None,
                },
            ]
        );
        assert!(f.keys.names.contains("Tags"));
        assert!(f.keys.names.contains("X"));
        assert!(!f.keys.names.contains("%buckets"));
        // `Resources.*` reads resources by wildcard, which is not "any key of a resource".
        assert!(!f.keys.any);
    }

    #[test]
    fn wildcards_below_a_resource_read_any_key() {
        let f = parsed("rule r {\n  Resources.*.Properties.* exists\n}\n").expect("valid");
        assert!(f.keys.any);
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let e = parsed("rule x {\n  Properties.X ==\n}\n").expect_err("broken");
        assert!(e.starts_with("p/tags.guard:2: Guard syntax error: "), "{e}");
        let e = parsed("# severity: urgent\nrule x {\n  Properties.X == 1\n}\n").expect_err("bad");
        assert_eq!(
            e,
            "p/tags.guard:1: unknown severity `urgent` (critical, high, medium or low)"
        );
        let e = parsed("# nothing here\n").expect_err("empty");
        assert_eq!(e, "p/tags.guard: no Guard rule in this file");
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "rule",
            "rule x {",
            "rule x { Resources.*[",
            "<<",
            "rule x { a == /[/ }",
            "rule x { a[99999999999999999999] == 1 }",
            "\u{0}\u{feff}rule é { ö == 'ü' }",
            "let x = \nrule y { %x == 1 }",
        ] {
            let _ = parsed(text);
        }
    }
}
