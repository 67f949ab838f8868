//! The readiness report as one self-contained HTML page: inline CSS and SVG, no script, no
//! network; printable. Every text from the scan is escaped ([`esc`]).

use super::{location, plural, undecided_text, Readiness, Status};
use crate::rules::meta::Severity;
use std::fmt::Write as _;

const CSS: &str = r#"
:root { --violations:#c62828; --unverified:#ef6c00; --verified:#2e7d32; --no-resources:#607d8b; --attest-manually:#1565c0;
  --critical:#7b1fa2; --high:#c62828; --medium:#ef6c00; --low:#9e9d24; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color:#1b1b1b; margin:0; background:#fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; background:#fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0; }
.meta { color:#555; margin: 0 0 16px; }
.summary { display:flex; gap: 32px; flex-wrap: wrap; align-items:flex-start; }
.summary figure { margin:0; }
.summary figcaption { font-weight:600; margin-bottom:4px; }
.banner { border-left: 6px solid var(--violations); background:#fdecea; padding: 8px 12px; margin: 12px 0; }
.errors { border-left: 6px solid var(--unverified); background:#fff4e5; padding: 8px 12px; margin: 12px 0; }
table { border-collapse: collapse; width:100%; }
th, td { text-align:left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e5e5e5; }
th { background:#f3f3f3; }
td:first-child, td:last-child { white-space: nowrap; }
.badge { display:inline-block; padding: 1px 8px; border-radius: 10px; color:#fff; font-size:12px; white-space:nowrap; }
.s-violations { background: var(--violations); } .s-unverified { background: var(--unverified); }
.s-verified { background: var(--verified); } .s-no-resources { background: var(--no-resources); }
.s-attest-manually { background: var(--attest-manually); }
.sev { font-size:12px; font-weight:600; text-transform: uppercase; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); } .sev-low { color: var(--low); }
section.req { border: 1px solid #e0e0e0; border-left: 6px solid #999; border-radius: 4px; padding: 10px 14px; margin: 12px 0; page-break-inside: avoid; }
section.req.violations { border-left-color: var(--violations); } section.req.unverified { border-left-color: var(--unverified); }
section.req.verified { border-left-color: var(--verified); } section.req.no-resources { border-left-color: var(--no-resources); }
section.req.attest-manually { border-left-color: var(--attest-manually); }
section.req header { display:flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
section.req ul { margin: 6px 0; padding-left: 20px; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background:#f4f4f4; padding: 0 3px; border-radius: 3px; word-break: break-all; }
.blocker { color:#fff; background: var(--violations); font-size: 11px; padding: 0 6px; border-radius: 3px; }
.muted { color:#666; }
.legend dt { font-weight:600; } .legend dd { margin: 0 0 4px 0; }
@media print {
  body { background:#fff; font-size: 11px; }
  main { max-width:none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2 { page-break-after: avoid; }
  .badge, .blocker, section.req { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn class(s: Status) -> &'static str {
    match s {
        Status::Violations => "violations",
        Status::Unverified => "unverified",
        Status::Verified => "verified",
        Status::NoResources => "no-resources",
        Status::AttestManually => "attest-manually",
    }
}

fn badge(s: Status) -> String {
    format!(
        "<span class=\"badge s-{}\">{}</span>",
        class(s),
        esc(s.label())
    )
}

/// A horizontal bar chart: one bar per `(label, count, css colour variable)`.
fn chart(title: &str, bars: &[(String, usize, String)]) -> String {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (120usize, 220usize, 24usize);
    let height = bars.len() * row_h + 8;
    let width = label_w + bar_w + 50;
    let mut svg = format!(
        "<svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" aria-label=\"{}\">",
        esc(title)
    );
    for (i, (label, n, colour)) in bars.iter().enumerate() {
        let y = i * row_h + 4;
        let w = if *n == 0 { 0 } else { (n * bar_w / max).max(2) };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"12\" fill=\"#333\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"3\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#333\">{n}</text>",
            y + 14,
            esc(label),
            row_h - 8,
            esc(colour),
            label_w + w + 6,
            y + 14
        );
    }
    svg.push_str("</svg>");
    format!(
        "<figure><figcaption>{}</figcaption>{svg}</figure>",
        esc(title)
    )
}

pub fn render(r: &Readiness) -> String {
    let mut h = String::new();
    let title = format!("FTR readiness report — {}", r.profile.as_str());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"ftrlint {}\"><title>{}</title><style>{CSS}</style></head><body><main>",
        esc(r.version),
        esc(&title)
    );
    let _ = write!(
        h,
        "<h1>{}</h1><p class=\"meta\">{} file{} scanned, {} resource{}, {} requirement{} of the {} profile; generated by ftrlint {}.</p>",
        esc(&title),
        r.files_scanned,
        plural(r.files_scanned),
        r.resources,
        plural(r.resources),
        r.rows.len(),
        plural(r.rows.len()),
        esc(r.profile.as_str()),
        esc(r.version)
    );
    if r.blockers > 0 {
        let _ = write!(
            h,
            "<div class=\"banner\" id=\"blockers\"><strong>{} publication blocker{}</strong>: a literal external ID is the same for every customer who deploys the template (see REQ-11.4 / REQ-11.5).</div>",
            r.blockers,
            plural(r.blockers)
        );
    }
    if !r.errors.is_empty() {
        h.push_str("<div class=\"errors\"><strong>Input errors: these files were not checked.</strong><ul>");
        for e in &r.errors {
            let _ = write!(h, "<li><code>{}</code></li>", esc(e));
        }
        h.push_str("</ul></div>");
    }

    h.push_str("<h2 id=\"summary\">Summary</h2><div class=\"summary\">");
    let statuses: Vec<(String, usize, String)> = Status::ALL
        .iter()
        .map(|s| {
            (
                s.label().to_string(),
                r.by_status.get(s).copied().unwrap_or(0),
                status_colour(*s).to_string(),
            )
        })
        .collect();
    h.push_str(&chart("Requirements per status", &statuses));
    let severities: Vec<(String, usize, String)> = r
        .by_severity
        .iter()
        .map(|(s, n)| (s.as_str().to_string(), *n, severity_colour(*s).to_string()))
        .collect();
    h.push_str(&chart("Findings per severity", &severities));
    h.push_str("<dl class=\"legend\">");
    for s in Status::ALL {
        let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", badge(s), esc(s.meaning()));
    }
    h.push_str("</dl></div>");

    h.push_str("<h2 id=\"worksheet\">Worksheet</h2><table><thead><tr><th>ID</th><th>Requirement</th><th>Status</th><th>Evidence</th></tr></thead><tbody>");
    for row in &r.rows {
        let summary = match row.status {
            Status::Violations => format!(
                "{} finding{}",
                row.violations.len(),
                plural(row.violations.len())
            ),
            Status::Unverified => format!(
                "{} undecided, {} accepted",
                row.undecided.len(),
                row.accepted.len()
            ),
            Status::Verified => format!(
                "{} resource{} passed",
                row.passed.len(),
                plural(row.passed.len())
            ),
            Status::NoResources => "nothing to check".to_string(),
            Status::AttestManually => "self-assessment".to_string(),
        };
        let _ = write!(
            h,
            "<tr><td><a href=\"#{id}\">{id}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&row.requirement),
            badge(row.status),
            esc(&summary),
            id = esc(&row.id)
        );
    }
    h.push_str("</tbody></table>");

    h.push_str("<h2 id=\"requirements\">Findings by requirement</h2>");
    let mut section = "";
    for row in &r.rows {
        if row.section != section {
            section = &row.section;
            let _ = write!(h, "<h2>{}</h2>", esc(section));
        }
        let _ = write!(
            h,
            "<section class=\"req {}\" id=\"{}\"><header><h3>{} {}</h3>{}</header>",
            class(row.status),
            esc(&row.id),
            esc(&row.id),
            esc(&row.requirement),
            badge(row.status)
        );
        if !row.rules.is_empty() {
            let _ = write!(
                h,
                "<p class=\"muted\">Checked by {}.</p>",
                esc(&row.rules.join(", "))
            );
        }
        let mut items: Vec<String> = Vec::new();
        for v in &row.violations {
            items.push(format!(
                "{}<code>{}</code> <strong>{}</strong> <span class=\"sev sev-{}\">{}</span> <code>{}</code>: {}",
                if v.blocker {
                    "<span class=\"blocker\">publication blocker</span> "
                } else {
                    ""
                },
                esc(&location(&v.file, v.line)),
                esc(&v.rule_id),
                sev_class(v.severity),
                esc(v.severity.as_str()),
                esc(&v.resource),
                esc(&v.message)
            ));
        }
        for v in &row.accepted {
            items.push(format!(
                "accepted <code>{}</code> <strong>{}</strong> <code>{}</code>: {}",
                esc(&location(&v.file, v.line)),
                esc(&v.rule_id),
                esc(&v.resource),
                esc(v.accepted.as_deref().unwrap_or_default())
            ));
        }
        for u in &row.undecided {
            items.push(format!(
                "unverified <code>{}</code> <strong>{}</strong> <code>{}</code>: {}",
                esc(&location(&u.file, u.line)),
                esc(&u.rule_id),
                esc(&u.resource),
                esc(&undecided_text(u, r.profile))
            ));
        }
        if !row.not_run.is_empty() {
            items.push(format!("not run: {}", esc(&row.not_run.join(", "))));
        }
        if !items.is_empty() {
            h.push_str("<ul>");
            for i in items {
                let _ = write!(h, "<li>{i}</li>");
            }
            h.push_str("</ul>");
        }
        if !row.passed.is_empty() {
            let _ = write!(
                h,
                "<p>{} resource{} checked and passed:</p><ul>",
                row.passed.len(),
                plural(row.passed.len())
            );
            for p in &row.passed {
                let at = location(&p.file, p.line);
                let _ = write!(
                    h,
                    "<li><code>{}</code>{} <span class=\"muted\">{}</span></li>",
                    esc(&p.resource),
                    if at.is_empty() {
                        String::new()
                    } else {
                        format!(" <code>{}</code>", esc(&at))
                    },
                    esc(&p.rules.join(", "))
                );
            }
            h.push_str("</ul>");
        }
        if !row.present.is_empty() {
            let _ = write!(
                h,
                "<p>In the code (partial evidence): {}</p>",
                row.present
                    .iter()
                    .map(|p| format!("<code>{}</code>", esc(p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if let Some(a) = &row.attest {
            let _ = write!(h, "<p><strong>Attest:</strong> {}</p>", esc(a));
        }
        if !row.remediation.is_empty() {
            h.push_str("<p><strong>Fix:</strong></p><ul>");
            for fix in &row.remediation {
                let _ = write!(h, "<li>{}</li>", esc(fix));
            }
            h.push_str("</ul>");
        }
        h.push_str("</section>");
    }
    h.push_str("</main></body></html>\n");
    h
}

fn sev_class(s: Severity) -> &'static str {
    s.as_str()
}

/// The colours of the stylesheet's variables, for the SVG (which cannot use them everywhere).
fn status_colour(s: Status) -> &'static str {
    match s {
        Status::Violations => "#c62828",
        Status::Unverified => "#ef6c00",
        Status::Verified => "#2e7d32",
        Status::NoResources => "#607d8b",
        Status::AttestManually => "#1565c0",
    }
}

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "#7b1fa2",
        Severity::High => "#c62828",
        Severity::Medium => "#ef6c00",
        Severity::Low => "#9e9d24",
    }
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
