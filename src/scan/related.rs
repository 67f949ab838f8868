//! Where a failing value is written, when not at the reported attribute: a module input set by
//! the caller (`storage_encrypted = var.encrypted` in the module, `encrypted = false` in the
//! calling root), a variable default, a value file, a CloudFormation parameter default
//! (`!Ref Param`). The finding stays at the attribute (that is what to change in the module);
//! the related location shows the line that decided it.
//!
//! Only a value that is exactly a reference is followed (`var.x`, `var.x.key`, `!Ref P`): for
//! any other expression no single line decides the value.

use super::RelatedLocation;
use crate::resource::{Format, Input, Resource, Scope};
use crate::source::{SourceMap, Span};
use crate::value::{Origin, Value};

/// How many module levels a pass-through variable is followed up (`var.x` in a module whose
/// caller passes its own `var.x`).
const MAX_HOPS: usize = 8;

/// The related location of a failure at `span` (an attribute of `res`), if its value is a plain
/// reference to a variable or parameter whose value is written elsewhere.
pub(super) fn value_source(
    res: &Resource,
    scopes: &[Scope],
    sources: &SourceMap,
    span: Span,
) -> Option<RelatedLocation> {
    let mut scope_idx = res.scope.0 as usize;
    let mut text = value_text(sources, span, res.format)?;
    let mut found: Option<(Span, String)> = None;
    for _ in 0..MAX_HOPS {
        // A hop that cannot be followed keeps what the previous one found.
        let Some((scope, input, value, message)) = hop(res.format, scopes, scope_idx, &text) else {
            break;
        };
        found = Some((value.span, message));
        // A caller passing its own variable through: follow it to the caller's caller.
        if !is_caller_input(input, scope, res.format) {
            break;
        }
        let Some(parent) = parent_scope(scopes, scope_idx) else {
            break;
        };
        match value_text(sources, value.span, res.format) {
            Some(t) if terraform_variable(&t).is_some() => {
                text = t;
                scope_idx = parent;
            }
            _ => break,
        }
    }
    let (span, message) = found?;
    located(sources, span, message)
}

/// One step: the variable or parameter `text` names in scope `scope_idx`, the value in effect
/// and what to say about where it is written. `None` when it is not a plain reference or its
/// value has no line in the code (a `--var`, no value).
fn hop<'s>(
    format: Format,
    scopes: &'s [Scope],
    scope_idx: usize,
    text: &str,
) -> Option<(&'s Scope, &'s Input, &'s Value, String)> {
    let scope = scopes.get(scope_idx)?;
    let (name, path) = match format {
        Format::Terraform => terraform_variable(text)?,
        Format::CloudFormation => (cloudformation_ref(text)?, Vec::new()),
    };
    let input = scope.input(&name)?;
    let word = match format {
        Format::Terraform => "variable",
        Format::CloudFormation => "parameter",
    };
    let (value, message) = match (&input.value, &input.default) {
        (Some(v), _) => match &*v.origin {
            Origin::Cli(_) => return None,
            Origin::ValueFile(file) => (v, format!("`{name}` is set in `{file}`")),
            _ if format == Format::Terraform && scope.name.starts_with("module.") => (
                v,
                format!("`{name}` is set by the caller of `{}`", scope.name),
            ),
            _ => (v, format!("the value of {word} `{name}`")),
        },
        (None, Some(d)) => (d, format!("the default of {word} `{name}` decides it")),
        (None, None) => return None,
    };
    Some((scope, input, walk(value, &path)?, message))
}

fn located(sources: &SourceMap, span: Span, message: String) -> Option<RelatedLocation> {
    let f = sources.get(span.file)?;
    let at = f.line_col(span.start);
    Some(RelatedLocation {
        file: f.display.clone(),
        line: at.line,
        column: at.column,
        message,
        span,
    })
}

/// The input's value is given by a calling module (not a value file or the command line).
fn is_caller_input(input: &Input, scope: &Scope, format: Format) -> bool {
    format == Format::Terraform
        && scope.name.starts_with("module.")
        && input
            .value
            .as_ref()
            .is_some_and(|v| !matches!(*v.origin, Origin::Cli(_) | Origin::ValueFile(_)))
}

/// The calling module's scope: `module.a` for `module.a.module.b`, the root for `module.a`.
fn parent_scope(scopes: &[Scope], idx: usize) -> Option<usize> {
    let name = &scopes.get(idx)?.name;
    let parent_name = match name.rfind(".module.") {
        Some(i) => &name[..i],
        None if name.starts_with("module.") => "",
        None => return None,
    };
    // Module scopes follow their root contiguously (see `resource::tree_roots`).
    (0..idx).rev().find(|&i| {
        scopes
            .get(i)
            .is_some_and(|s| s.format == Format::Terraform && s.name == parent_name)
    })
}

/// The text of the value at `span`: after `name =` (Terraform) or `Key:` (CloudFormation YAML)
/// when the span covers the whole attribute.
fn value_text(sources: &SourceMap, span: Span, format: Format) -> Option<String> {
    let file = sources.get(span.file)?;
    let text = file.text.get(span.start as usize..span.end as usize)?;
    if text.len() > 512 {
        return None;
    }
    let value = match format {
        Format::Terraform => match text.split_once('=') {
            Some((key, v)) if is_identifier(key.trim()) => v,
            _ => text,
        },
        Format::CloudFormation => match text.split_once(':') {
            Some((key, v)) if is_identifier(key.trim().trim_matches('"')) => v,
            _ => text,
        },
    };
    Some(value.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `var.name` or `var.name.key.key` → the variable and the keys.
fn terraform_variable(text: &str) -> Option<(String, Vec<String>)> {
    let rest = text.strip_prefix("var.")?;
    let mut parts = rest.split('.');
    let name = parts.next().filter(|n| is_identifier(n))?.to_string();
    let path: Vec<String> = parts.map(str::to_string).collect();
    path.iter()
        .all(|p| is_identifier(p))
        .then_some((name, path))
}

/// `!Ref P`, `Ref: P`, `{"Ref": "P"}` → `P` (not a pseudo parameter).
fn cloudformation_ref(text: &str) -> Option<String> {
    let name = if let Some(n) = text.strip_prefix("!Ref ") {
        n.trim()
    } else if let Some(n) = text.strip_prefix("Ref:") {
        n.trim()
    } else {
        let inner = text.strip_prefix('{')?.strip_suffix('}')?.trim();
        let (k, v) = inner.split_once(':')?;
        if k.trim() != "\"Ref\"" {
            return None;
        }
        v.trim().strip_prefix('"')?.strip_suffix('"')?
    };
    let name = name.trim_matches(|c| c == '"' || c == '\'');
    (is_identifier(name) && !name.contains("::")).then(|| name.to_string())
}

fn walk<'v>(mut v: &'v Value, path: &[String]) -> Option<&'v Value> {
    for key in path {
        v = v.get(key)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_recognised() {
        assert_eq!(
            terraform_variable("var.db.encrypted"),
            Some(("db".into(), vec!["encrypted".into()]))
        );
        assert_eq!(terraform_variable("var.a && var.b"), None);
        assert_eq!(terraform_variable("local.x"), None);
        assert_eq!(cloudformation_ref("!Ref Enc"), Some("Enc".into()));
        assert_eq!(cloudformation_ref("Ref: Enc"), Some("Enc".into()));
        assert_eq!(
            cloudformation_ref(r#"{ "Ref": "Enc" }"#),
            Some("Enc".into())
        );
        assert_eq!(cloudformation_ref("!Ref AWS::Region"), None);
        assert_eq!(cloudformation_ref("!If [A, B, C]"), None);
    }
}
