//! Rule documentation, all from the embedded `policies/<ID>.toml`: `ftrlint rules` (the list),
//! `ftrlint explain ID` (one rule in full), and the generated `docs/rules/<ID>.md` pages and
//! README rules table (kept fresh by `tests/docs.rs`; regenerate with
//! `UPDATE_DOCS=1 cargo test --test docs`).

use crate::resource::Format;
use crate::rules::meta::{self, Profile, RuleMeta};
use crate::severity::Severity;
use serde::Serialize;
use std::fmt::Write as _;

/// The documents the `ftr.references` of `policies/` cite, by the name they are cited with
/// (every reference starts with one of these), and their full titles.
pub const DOCUMENTS: &[(&str, &str)] = &[
    (
        "FTR Question Descriptions",
        "FTR Question Descriptions (the questions of the FTR lens of the AWS Well-Architected Tool)",
    ),
    (
        "CIS AWS Foundations Benchmark",
        "CIS AWS Foundations Benchmark, whose listed controls the AWS Foundational Technical Review Guide requires",
    ),
    (
        "DCX Competency checklist",
        "AWS Digital Customer Experience (DCX) Competency Technology Partner Validation Checklist",
    ),
    (
        "ATO on AWS checklist",
        "Authority to Operate (ATO) on AWS Program checklist",
    ),
];

/// The command that regenerates `docs/rules/` and the README table.
pub const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --test docs";

/// The README markers between which the rules table is generated.
pub const TABLE_START: &str = "<!-- rules-table:start -->";
pub const TABLE_END: &str = "<!-- rules-table:end -->";

pub fn format_key(f: Format) -> &'static str {
    match f {
        Format::Terraform => "terraform",
        Format::CloudFormation => "cloudformation",
    }
}

pub fn format_name(f: Format) -> &'static str {
    match f {
        Format::Terraform => "Terraform",
        Format::CloudFormation => "CloudFormation",
    }
}

fn formats_text(m: &RuleMeta) -> String {
    m.formats()
        .into_iter()
        .map(format_name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn profiles_text(m: &RuleMeta) -> String {
    m.profiles
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One entry of `ftrlint rules --format json`. Keys are stable (added, never renamed); they
/// match the keys of a finding in the scan report.
#[derive(Debug, Serialize)]
pub struct RuleEntry<'a> {
    pub rule_id: &'a str,
    pub title: &'a str,
    pub severity: Severity,
    pub profiles: &'a [Profile],
    /// `terraform` and/or `cloudformation`: the formats whose resource types the rule checks.
    pub formats: Vec<&'static str>,
    pub ftr_requirement: &'a str,
    pub ftr_references: &'a [String],
}

pub fn rule_entries() -> Vec<RuleEntry<'static>> {
    meta::all()
        .iter()
        .map(|m| RuleEntry {
            rule_id: &m.id,
            title: &m.title,
            severity: m.severity,
            profiles: &m.profiles,
            formats: m.formats().into_iter().map(format_key).collect(),
            ftr_requirement: m.ftr.requirement.trim(),
            ftr_references: &m.ftr.references,
        })
        .collect()
}

/// `ftrlint rules --format json`: an array, one object per implemented rule, in ID order.
pub fn rules_json() -> String {
    let mut s = serde_json::to_string_pretty(&rule_entries()).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// `ftrlint rules`: one line per rule.
pub fn rules_human() -> String {
    let rules = meta::all();
    let id_w = rules.iter().map(|m| m.id.len()).max().unwrap_or(0);
    let short_profile = |p: &Profile| match p {
        Profile::PartnerHosted => "PH",
        Profile::CustomerDeployed => "CD",
    };
    let short_format = |f: Format| match f {
        Format::Terraform => "TF",
        Format::CloudFormation => "CFN",
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:id_w$}  {:8}  {:8}  {:9}  TITLE",
        "ID", "SEVERITY", "PROFILES", "FORMATS"
    );
    for m in rules {
        let profiles: Vec<&str> = m.profiles.iter().map(short_profile).collect();
        let formats: Vec<&str> = m.formats().into_iter().map(short_format).collect();
        let _ = writeln!(
            out,
            "{:id_w$}  {:8}  {:8}  {:9}  {}",
            m.id,
            m.severity.as_str(),
            profiles.join(" "),
            formats.join(" "),
            m.title
        );
    }
    let _ = writeln!(
        out,
        "\n{} rules. Profiles: PH partner-hosted, CD customer-deployed. Formats: TF Terraform, CFN CloudFormation.\n`ftrlint explain ID` shows a rule's requirement, fix and compliant examples.",
        rules.len()
    );
    out
}

/// The rule with this ID (case-insensitive; the `FTR-` prefix may be left out), or the IDs
/// close to it.
pub fn lookup(id: &str) -> Result<&'static RuleMeta, Vec<&'static str>> {
    let wanted = normalize_id(id);
    if let Some(m) = meta::all().iter().find(|m| m.id == wanted) {
        return Ok(m);
    }
    let section = |s: &str| s.rsplit_once('-').map(|(a, _)| a.to_string());
    let mut close: Vec<(usize, &'static str)> = meta::all()
        .iter()
        .filter_map(|m| {
            let d = edit_distance(&wanted, &m.id);
            let same_section = section(&wanted).is_some() && section(&wanted) == section(&m.id);
            (d <= 2 || same_section).then_some((d, m.id.as_str()))
        })
        .collect();
    close.sort();
    close.truncate(6);
    Err(close.into_iter().map(|(_, id)| id).collect())
}

/// The error message for an unknown rule ID.
pub fn unknown_rule_message(id: &str, close: &[&str]) -> String {
    if close.is_empty() {
        format!("unknown rule `{id}`; `ftrlint rules` lists the implemented rules")
    } else {
        format!(
            "unknown rule `{id}`; did you mean {}? (`ftrlint rules` lists them all)",
            close.join(", ")
        )
    }
}

fn normalize_id(id: &str) -> String {
    let id = id.trim().to_ascii_uppercase();
    if id.starts_with("FTR-") {
        id
    } else {
        format!("FTR-{id}")
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The full titles of the documents `m` cites.
fn documents_cited(m: &RuleMeta) -> Vec<&'static str> {
    DOCUMENTS
        .iter()
        .filter(|(short, _)| m.ftr.references.iter().any(|r| r.starts_with(short)))
        .map(|(_, full)| *full)
        .collect()
}

/// The formats with their remediation and compliant example, for the formats the rule covers.
fn per_format(m: &RuleMeta) -> Vec<(Format, &str, &str)> {
    m.formats()
        .into_iter()
        .map(|f| {
            let example = match f {
                Format::Terraform => m.docs.terraform.as_str(),
                Format::CloudFormation => m.docs.cloudformation.as_str(),
            };
            (f, m.remediation(f), example.trim_matches('\n'))
        })
        .collect()
}

/// Greedy word wrap of `text` at `width` characters, the first line prefixed with `first`,
/// the others with `rest` (a hanging indent for list items).
fn wrap_hanging(text: &str, first: &str, rest: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut indent = first;
    for word in text.split_whitespace() {
        if !line.is_empty()
            && indent.chars().count() + line.chars().count() + 1 + word.chars().count() > width
        {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
            indent = rest;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

fn wrap(text: &str, indent: &str, width: usize) -> String {
    wrap_hanging(text, indent, indent, width)
}

/// `ftrlint explain ID`: the rule in full, as plain text.
pub fn explain(m: &RuleMeta) -> String {
    const WIDTH: usize = 100;
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", m.id, m.title);
    let _ = writeln!(
        out,
        "severity: {} · profiles: {} · formats: {}",
        m.severity.as_str(),
        profiles_text(m),
        formats_text(m)
    );
    let section = |out: &mut String, title: &str, body: &str| {
        let _ = writeln!(out, "\n{title}");
        out.push_str(&wrap(body, "  ", WIDTH));
    };
    section(&mut out, "FTR requirement", m.ftr.requirement.trim());
    section(&mut out, "What it checks", m.docs.what.trim());
    section(&mut out, "Why", m.docs.why.trim());
    let formats = per_format(m);
    let _ = writeln!(out, "\nHow to fix");
    for (f, fix, _) in &formats {
        out.push_str(&wrap_hanging(
            &format!("{}: {fix}", format_name(*f)),
            "  ",
            "    ",
            WIDTH,
        ));
    }
    for (f, _, example) in &formats {
        let _ = writeln!(out, "\nCompliant {} example", format_name(*f));
        for line in example.lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    let _ = writeln!(out, "\nFTR references");
    for r in &m.ftr.references {
        out.push_str(&wrap_hanging(&format!("- {r}"), "  ", "    ", WIDTH));
    }
    let docs = documents_cited(m);
    if !docs.is_empty() {
        let _ = writeln!(out, "\nDocuments");
        for d in docs {
            out.push_str(&wrap_hanging(&format!("- {d}"), "  ", "    ", WIDTH));
        }
    }
    out
}

/// Prose as Markdown text: the characters Markdown would read as emphasis, links or HTML
/// escaped, so `sts:*` or `arn:aws:iam::<account>:root` show as written.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            '\\' | '*' | '[' | ']' | '`' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown table cell: newlines flattened, escaped as [`md`].
fn cell(s: &str) -> String {
    md(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `docs/rules/<ID>.md`.
pub fn rule_page(m: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- Generated from policies/{}.toml by `{REGENERATE}`; do not edit. -->",
        m.id
    );
    let _ = writeln!(out, "# {}: {}\n", m.id, md(&m.title));
    let _ = writeln!(out, "| Severity | Profiles | Formats |");
    let _ = writeln!(out, "|---|---|---|");
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n",
        m.severity.as_str(),
        profiles_text(m),
        formats_text(m)
    );
    let resources: Vec<String> = m.resources.iter().map(|r| format!("`{r}`")).collect();
    let _ = writeln!(out, "Resource types: {}\n", resources.join(", "));
    let _ = writeln!(out, "## FTR requirement\n\n{}\n", md(&m.ftr.requirement));
    let _ = writeln!(out, "## What it checks\n\n{}\n", md(&m.docs.what));
    let _ = writeln!(out, "## Why\n\n{}\n", md(&m.docs.why));
    let formats = per_format(m);
    let _ = writeln!(out, "## How to fix\n");
    for (f, fix, _) in &formats {
        let _ = writeln!(out, "- **{}**: {}", format_name(*f), md(fix));
    }
    out.push('\n');
    let _ = writeln!(out, "## Compliant examples\n");
    for (f, _, example) in &formats {
        let lang = match f {
            Format::Terraform => "hcl",
            Format::CloudFormation => "yaml",
        };
        let _ = writeln!(
            out,
            "### {}\n\n```{lang}\n{example}\n```\n",
            format_name(*f)
        );
    }
    let _ = writeln!(out, "## FTR references\n");
    for r in &m.ftr.references {
        let _ = writeln!(out, "- {}", md(r));
    }
    let docs = documents_cited(m);
    if !docs.is_empty() {
        let _ = writeln!(out, "\nDocuments:\n");
        for d in docs {
            let _ = writeln!(out, "- {}", md(d));
        }
    }
    out
}

/// The generated rule pages: (path relative to the repository root, content), in ID order.
pub fn rule_pages() -> Vec<(String, String)> {
    meta::all()
        .iter()
        .map(|m| (format!("docs/rules/{}.md", m.id), rule_page(m)))
        .collect()
}

/// The README rules table (the lines between the markers).
pub fn rules_table() -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- Generated from policies/ by `{REGENERATE}`; do not edit. -->"
    );
    let _ = writeln!(out, "| ID | Severity | Profiles | Formats | Title |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for m in meta::all() {
        let _ = writeln!(
            out,
            "| [{id}](docs/rules/{id}.md) | {} | {} | {} | {} |",
            m.severity.as_str(),
            profiles_text(m),
            formats_text(m),
            cell(&m.title),
            id = m.id
        );
    }
    out
}

/// `readme` with the text between the rules-table markers replaced by [`rules_table`], or
/// `None` when the markers are missing or out of order.
pub fn update_readme(readme: &str) -> Option<String> {
    let start = readme.find(TABLE_START)? + TABLE_START.len();
    let end = start + readme.get(start..)?.find(TABLE_END)?;
    Some(format!(
        "{}\n{}{}",
        readme.get(..start)?,
        rules_table(),
        readme.get(end..)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_and_suggests_close_ids() {
        assert_eq!(
            lookup("ftr-xa-002").map(|m| m.id.as_str()),
            Ok("FTR-XA-002")
        );
        assert_eq!(lookup("XA-002").map(|m| m.id.as_str()), Ok("FTR-XA-002"));
        let close = lookup("FTR-XA-02").err().unwrap_or_default();
        assert!(close.contains(&"FTR-XA-002"), "{close:?}");
        assert!(lookup("nothing-like-it")
            .err()
            .is_some_and(|c| c.is_empty()));
    }

    #[test]
    fn markdown_prose_is_escaped() {
        assert_eq!(
            md("arn:aws:iam::<account>:root, sts:* [x]"),
            "arn:aws:iam::&lt;account&gt;:root, sts:\\* \\[x\\]"
        );
        assert_eq!(cell("a |\n b"), "a \\| b");
    }

    #[test]
    fn wrap_keeps_words_and_width() {
        let w = wrap("aaa bbb ccc ddd", "  ", 9);
        assert_eq!(w, "  aaa bbb\n  ccc ddd\n");
        let w = wrap_hanging("- aaa bbb ccc", "  ", "    ", 10);
        assert_eq!(w, "  - aaa\n    bbb\n    ccc\n");
    }

    #[test]
    fn readme_table_replaces_only_between_markers() {
        let readme = format!("a\n{TABLE_START}\nold\n{TABLE_END}\nb\n");
        let new = update_readme(&readme).unwrap_or_default();
        assert!(new.starts_with(&format!("a\n{TABLE_START}\n<!-- Generated")));
        assert!(new.ends_with(&format!("|\n{TABLE_END}\nb\n")));
        assert!(!new.contains("old"));
        assert_eq!(update_readme("no markers"), None);
    }
}
