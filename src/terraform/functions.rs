//! Terraform's built-in functions, on evaluated arguments.
//!
//! Rules: an unknown argument gives an Unknown result (some collection functions keep known
//! structure around unknown elements, as Terraform does); a wrong argument type gives an
//! Unknown and counts as an evaluation error (never a wrong value); a function not implemented
//! here gives an Unknown with the reason "function `f` is not evaluated".
//!
//! `jsonencode` of a map or list returns that structure itself, marked as JSON text (see the
//! `terraform` module doc); [`json_text`] serialises it when a string is needed.

use super::values::{
    merge_origins, num, number_text, scalar_to_string, unknown_of, values_equal, MAX_ITEMS,
    MAX_STRING,
};
use crate::source::Span;
use crate::value::{Entry, Kind, Origin, Value};

/// What the built-in functions need from the evaluator (implemented by
/// [`super::eval::Evaluator`]; this module does not depend on it).
pub trait Context {
    /// An unknown value for an evaluation error (counted, with `reason`).
    fn error_unknown(&mut self, span: Span, reason: impl Into<String>) -> Value;
    /// Marks the value at `span` as JSON text (`jsonencode`).
    fn mark_json(&mut self, span: Span);
    fn is_json(&self, v: &Value) -> bool;
    fn respan(&mut self, v: Value, span: Span) -> Value;
    /// A JSON-marked structure as its JSON string.
    fn json_as_string(&self, v: Value) -> Value;
    /// The text of a string-like value, or the unknown to return.
    fn text_of(&mut self, v: &Value) -> Result<String, Value>;
    /// `file`, `templatefile`, `fileexists`: reading files and evaluating templates.
    fn file_function(&mut self, name: &str, args: Vec<Value>, span: Span) -> Value;
}

/// Calls function `name` (not `try`/`can`, which the evaluator handles) at `span`.
pub fn call(ev: &mut impl Context, name: &str, args: Vec<Value>, span: Span) -> Value {
    let origin = merge_origins(&args);
    let mut out = dispatch(ev, name, args, span);
    if out.origin == Origin::Literal {
        out.origin = origin.into();
    }
    out
}

fn dispatch(ev: &mut impl Context, name: &str, args: Vec<Value>, span: Span) -> Value {
    // Functions that keep known structure around unknown parts.
    match name {
        "jsonencode" => return jsonencode(ev, args, span),
        "concat" => return concat(ev, args, span),
        "merge" => return merge(ev, args, span),
        "length" => return length(ev, args, span),
        "lookup" => return lookup(ev, args, span),
        "keys" => return keys(ev, args, span),
        "coalesce" => return coalesce(ev, args, span),
        "tolist" | "tomap" => return to_collection(ev, name, args, span),
        "sensitive" | "nonsensitive" => return one(ev, args, span),
        "element" => return element(ev, args, span),
        "coalescelist" => return coalescelist(ev, args, span),
        "file" | "templatefile" | "fileexists" => return ev.file_function(name, args, span),
        _ => {}
    }
    if !is_known_function(name) {
        return Value::unknown(
            span,
            Vec::new(),
            Some(format!("function `{name}` is not evaluated")),
        );
    }
    if args.iter().any(Value::contains_unknown) {
        let refs: Vec<&Value> = args.iter().collect();
        return unknown_of(span, &refs, &format!("argument of `{name}` is unknown"));
    }
    match name {
        "jsondecode" => jsondecode(ev, args, span),
        "format" => format(ev, args, span),
        "join" => join(ev, args, span),
        "split" => split(ev, args, span),
        "lower" | "upper" | "trimspace" | "title" => string_fn(ev, name, args, span),
        "trimprefix" | "trimsuffix" | "startswith" | "endswith" => {
            string_pair_fn(ev, name, args, span)
        }
        "replace" => replace(ev, args, span),
        "tostring" => tostring(ev, args, span),
        "tonumber" => tonumber(ev, args, span),
        "tobool" => tobool(ev, args, span),
        "toset" => toset(ev, args, span),
        "compact" => compact(ev, args, span),
        "contains" => contains(ev, args, span),
        "values" => values(ev, args, span),
        "flatten" => flatten(ev, args, span),
        "distinct" => distinct(ev, args, span),
        "max" | "min" => minmax(ev, name, args, span),
        "abs" | "ceil" | "floor" => math1(ev, name, args, span),
        "formatlist" => formatlist(ev, args, span),
        "zipmap" => zipmap(ev, args, span),
        "range" => range(ev, args, span),
        "one" => one_of(ev, args, span),
        "reverse" => reverse(ev, args, span),
        _ => Value::unknown(
            span,
            Vec::new(),
            Some(format!("function `{name}` is not evaluated")),
        ),
    }
}

fn is_known_function(name: &str) -> bool {
    matches!(
        name,
        "jsondecode"
            | "format"
            | "join"
            | "split"
            | "lower"
            | "upper"
            | "trimspace"
            | "title"
            | "trimprefix"
            | "trimsuffix"
            | "startswith"
            | "endswith"
            | "replace"
            | "tostring"
            | "tonumber"
            | "tobool"
            | "toset"
            | "compact"
            | "contains"
            | "values"
            | "flatten"
            | "distinct"
            | "max"
            | "min"
            | "abs"
            | "ceil"
            | "floor"
            | "formatlist"
            | "zipmap"
            | "range"
            | "one"
            | "reverse"
    )
}

pub(super) fn arity(
    ev: &mut impl Context,
    name: &str,
    args: &[Value],
    n: usize,
    span: Span,
) -> Option<Value> {
    if args.len() != n {
        return Some(ev.error_unknown(
            span,
            format!("`{name}` takes {n} argument(s), got {}", args.len()),
        ));
    }
    None
}

fn text_arg(ev: &mut impl Context, v: &Value) -> Result<String, Value> {
    ev.text_of(v)
}

pub(super) fn string_result(ev: &mut impl Context, s: String, span: Span) -> Value {
    if s.len() > MAX_STRING {
        return Value::unknown(span, Vec::new(), Some("string too large".into()));
    }
    let _ = ev;
    Value::string(s, span)
}

fn list_result(items: Vec<Value>, span: Span) -> Value {
    if items.len() > MAX_ITEMS {
        return Value::unknown(span, Vec::new(), Some("list too large".into()));
    }
    Value::list(items, span)
}

/// A list argument (a marked JSON list is a string, not a list).
fn list_arg<'v>(ev: &impl Context, v: &'v Value) -> Option<&'v [Value]> {
    if ev.is_json(v) {
        return None;
    }
    v.as_list()
}

pub(super) fn map_arg<'v>(ev: &impl Context, v: &'v Value) -> Option<&'v [Entry]> {
    if ev.is_json(v) {
        return None;
    }
    v.as_map()
}

// ----- JSON --------------------------------------------------------------------------------

fn jsonencode(ev: &mut impl Context, mut args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "jsonencode", &args, 1, span) {
        return u;
    }
    let Some(v) = args.pop() else {
        return ev.error_unknown(span, "jsonencode needs an argument");
    };
    match v.kind {
        Kind::Map(_) | Kind::List(_) => {
            if ev.is_json(&v) {
                // jsonencode of a JSON string: a quoted string.
                return match json_text(&v) {
                    Some(t) => Value::string(json_quote(&t, true), span),
                    None => unknown_of(span, &[&v], "argument of `jsonencode` is unknown"),
                };
            }
            let v = ev.respan(v, span);
            ev.mark_json(span);
            v
        }
        Kind::Unknown(_) => unknown_of(span, &[&v], "argument of `jsonencode` is unknown"),
        _ => match json_text(&v) {
            Some(t) => Value::string(t, span),
            None => unknown_of(span, &[&v], "argument of `jsonencode` is unknown"),
        },
    }
}

/// Compact JSON text of a known value, keys sorted and `<>&` escaped as Terraform does;
/// `None` when it contains an unknown.
pub fn json_text(v: &Value) -> Option<String> {
    let mut out = String::new();
    write_json(v, &mut out)?;
    Some(out)
}

fn write_json(v: &Value, out: &mut String) -> Option<()> {
    if out.len() > MAX_STRING {
        return None;
    }
    match &v.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(n) => out.push_str(&number_text(*n)),
        Kind::String(s) => out.push_str(&json_quote(s, true)),
        Kind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out)?;
            }
            out.push(']');
        }
        Kind::Map(entries) => {
            let mut sorted: Vec<&Entry> = entries.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for (i, e) in sorted.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_quote(&e.key, true));
                out.push(':');
                write_json(&e.value, out)?;
            }
            out.push('}');
        }
        Kind::Unknown(_) => return None,
    }
    Some(())
}

/// A JSON string literal; `html` escapes `<`, `>`, `&` like Go's encoder.
pub fn json_quote(s: &str, html: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn jsondecode(ev: &mut impl Context, mut args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "jsondecode", &args, 1, span) {
        return u;
    }
    let Some(v) = args.pop() else {
        return ev.error_unknown(span, "jsondecode needs an argument");
    };
    if ev.is_json(&v) {
        return ev.respan(v, span);
    }
    let Some(s) = v.as_str() else {
        return ev.error_unknown(span, "jsondecode needs a string");
    };
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(j) => from_json(&j, span, 0),
        Err(e) => ev.error_unknown(span, format!("invalid JSON: {e}")),
    }
}

fn from_json(j: &serde_json::Value, span: Span, depth: usize) -> Value {
    if depth > 200 {
        return Value::unknown(span, Vec::new(), Some("JSON nested too deeply".into()));
    }
    let kind = match j {
        serde_json::Value::Null => Kind::Null,
        serde_json::Value::Bool(b) => Kind::Bool(*b),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) => Kind::Number(f),
            None => return Value::unknown(span, Vec::new(), Some("number out of range".into())),
        },
        serde_json::Value::String(s) => Kind::String(s.clone().into()),
        serde_json::Value::Array(a) => {
            Kind::List(a.iter().map(|x| from_json(x, span, depth + 1)).collect())
        }
        serde_json::Value::Object(o) => Kind::Map(
            o.iter()
                .map(|(k, x)| Entry {
                    key: k.clone().into(),
                    key_span: span,
                    value: from_json(x, span, depth + 1),
                })
                .collect(),
        ),
    };
    Value::new(kind, span)
}

// ----- strings -----------------------------------------------------------------------------

fn format(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    let Some((fmt, rest)) = args.split_first() else {
        return ev.error_unknown(span, "format needs a format string");
    };
    let fmt = match text_arg(ev, fmt) {
        Ok(s) => s,
        Err(u) => return u,
    };
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    let mut next_arg = 0usize;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if it.peek() == Some(&'%') {
            it.next();
            out.push('%');
            continue;
        }
        // Flags, width, precision.
        let mut minus = false;
        let mut zero = false;
        let mut plus = false;
        let mut sharp = false;
        while let Some(&f) = it.peek() {
            match f {
                '-' => minus = true,
                '0' => zero = true,
                '+' => plus = true,
                '#' => sharp = true,
                ' ' => {}
                _ => break,
            }
            it.next();
        }
        let mut width = String::new();
        while let Some(&d) = it.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            it.next();
        }
        let mut precision: Option<usize> = None;
        if it.peek() == Some(&'.') {
            it.next();
            let mut p = String::new();
            while let Some(&d) = it.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                it.next();
            }
            // An empty precision is zero, as in Go; an absurd one is refused before any
            // formatting (Rust's formatter panics above 65535).
            precision = match p.parse::<usize>() {
                Ok(n) if n <= MAX_PRECISION => Some(n),
                Err(_) if p.is_empty() => Some(0),
                _ => return too_large(span),
            };
        }
        let Some(verb) = it.next() else {
            return ev.error_unknown(span, "format string ends in a verb");
        };
        let Some(arg) = rest.get(next_arg) else {
            return ev.error_unknown(span, "not enough arguments for format");
        };
        next_arg += 1;
        let body = match verb {
            's' => match text_arg(ev, arg) {
                Ok(s) => match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                },
                Err(u) => return u,
            },
            'v' if sharp => match json_text(arg) {
                Some(t) => t,
                None => return ev.error_unknown(span, "cannot format value"),
            },
            'v' => match &arg.kind {
                Kind::Map(_) | Kind::List(_) if !ev.is_json(arg) => match json_text(arg) {
                    Some(t) => t,
                    None => return ev.error_unknown(span, "cannot format value"),
                },
                _ => match text_arg(ev, arg) {
                    Ok(s) => s,
                    Err(u) => return u,
                },
            },
            'q' => match text_arg(ev, arg) {
                Ok(s) => json_quote(&s, false),
                Err(u) => return u,
            },
            't' => match arg.as_bool() {
                Some(b) => b.to_string(),
                None => return ev.error_unknown(span, "%t needs a bool"),
            },
            'd' => match num(arg) {
                Some(n) if n.fract() == 0.0 => {
                    let s = number_text(n.abs());
                    let sign = if n < 0.0 {
                        "-"
                    } else if plus {
                        "+"
                    } else {
                        ""
                    };
                    format!("{sign}{s}")
                }
                _ => return ev.error_unknown(span, "%d needs an integer"),
            },
            'f' => match num(arg) {
                Some(n) => {
                    let p = precision.unwrap_or(6);
                    let s = format!("{n:.p$}");
                    if plus && n >= 0.0 {
                        format!("+{s}")
                    } else {
                        s
                    }
                }
                None => return ev.error_unknown(span, "%f needs a number"),
            },
            _ => {
                return Value::unknown(
                    span,
                    Vec::new(),
                    Some(format!("format verb `%{verb}` is not evaluated")),
                )
            }
        };
        let w: usize = match width.parse() {
            Ok(w) => w,
            Err(_) if width.is_empty() => 0,
            Err(_) => return too_large(span),
        };
        let len = body.chars().count();
        if len < w {
            let pad = w - len;
            // Checked before the padding is allocated.
            if out.len() + body.len() + pad > MAX_STRING {
                return too_large(span);
            }
            if minus {
                out.push_str(&body);
                out.push_str(&" ".repeat(pad));
            } else if zero && matches!(verb, 'd' | 'f') {
                let (sign, digits) = match body.strip_prefix(['-', '+']) {
                    Some(d) => (&body[..1], d),
                    None => ("", body.as_str()),
                };
                out.push_str(sign);
                out.push_str(&"0".repeat(pad));
                out.push_str(digits);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&body);
            }
        } else {
            out.push_str(&body);
        }
        if out.len() > MAX_STRING {
            return too_large(span);
        }
    }
    if next_arg < rest.len() {
        return ev.error_unknown(span, "too many arguments for format");
    }
    string_result(ev, out, span)
}

/// Largest `%.N` precision `format` evaluates (a float has fewer than 1100 significant digits).
const MAX_PRECISION: usize = 4096;

fn too_large(span: Span) -> Value {
    Value::unknown(span, Vec::new(), Some("string too large".into()))
}

fn join(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    let Some((sep, lists)) = args.split_first() else {
        return ev.error_unknown(span, "join needs arguments");
    };
    if lists.is_empty() {
        return ev.error_unknown(span, "join needs a list");
    }
    let sep = match text_arg(ev, sep) {
        Ok(s) => s,
        Err(u) => return u,
    };
    let mut parts = Vec::new();
    for l in lists {
        let Some(items) = list_arg(ev, l) else {
            return ev.error_unknown(span, "join needs lists");
        };
        for item in items {
            if matches!(item.kind, Kind::Null) {
                return ev.error_unknown(span, "join of a null element");
            }
            match text_arg(ev, item) {
                Ok(s) => parts.push(s),
                Err(u) => return u,
            }
        }
    }
    let total: usize = parts.iter().map(String::len).sum::<usize>() + sep.len() * parts.len();
    if total > MAX_STRING {
        return Value::unknown(span, Vec::new(), Some("string too large".into()));
    }
    string_result(ev, parts.join(&sep), span)
}

fn split(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "split", &args, 2, span) {
        return u;
    }
    let (sep, s) = match (text_arg(ev, &args[0]), text_arg(ev, &args[1])) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(u), _) | (_, Err(u)) => return u,
    };
    let parts: Vec<Value> = if sep.is_empty() {
        s.chars()
            .map(|c| Value::string(c.to_string(), span))
            .collect()
    } else {
        s.split(sep.as_str())
            .map(|p| Value::string(p, span))
            .collect()
    };
    list_result(parts, span)
}

fn string_fn(ev: &mut impl Context, name: &str, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, name, &args, 1, span) {
        return u;
    }
    let s = match text_arg(ev, &args[0]) {
        Ok(s) => s,
        Err(u) => return u,
    };
    let r = match name {
        "lower" => s.to_lowercase(),
        "upper" => s.to_uppercase(),
        "trimspace" => s.trim().to_string(),
        _ => {
            // title: upper-case the first letter of each word.
            let mut out = String::with_capacity(s.len());
            let mut at_start = true;
            for c in s.chars() {
                if at_start && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                at_start = !c.is_alphanumeric();
            }
            out
        }
    };
    string_result(ev, r, span)
}

fn string_pair_fn(ev: &mut impl Context, name: &str, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, name, &args, 2, span) {
        return u;
    }
    let (s, p) = match (text_arg(ev, &args[0]), text_arg(ev, &args[1])) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(u), _) | (_, Err(u)) => return u,
    };
    match name {
        "trimprefix" => Value::string(s.strip_prefix(p.as_str()).unwrap_or(&s), span),
        "trimsuffix" => Value::string(s.strip_suffix(p.as_str()).unwrap_or(&s), span),
        "startswith" => Value::new(Kind::Bool(s.starts_with(p.as_str())), span),
        _ => Value::new(Kind::Bool(s.ends_with(p.as_str())), span),
    }
}

fn replace(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "replace", &args, 3, span) {
        return u;
    }
    let mut t = Vec::new();
    for a in &args {
        match text_arg(ev, a) {
            Ok(s) => t.push(s),
            Err(u) => return u,
        }
    }
    let (s, sub, rep) = (&t[0], &t[1], &t[2]);
    if sub.len() >= 2 && sub.starts_with('/') && sub.ends_with('/') {
        return Value::unknown(
            span,
            Vec::new(),
            Some("regular expression `replace` is not evaluated".into()),
        );
    }
    if sub.is_empty() {
        // Go's strings.Replace with an empty pattern inserts between every character.
        let mut out = rep.clone();
        for c in s.chars() {
            out.push(c);
            out.push_str(rep);
        }
        return string_result(ev, out, span);
    }
    let count = s.matches(sub.as_str()).count();
    if s.len() + count.saturating_mul(rep.len()) > MAX_STRING {
        return Value::unknown(span, Vec::new(), Some("string too large".into()));
    }
    string_result(ev, s.replace(sub.as_str(), rep), span)
}

// ----- conversions -------------------------------------------------------------------------

fn tostring(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "tostring", &args, 1, span) {
        return u;
    }
    let v = &args[0];
    match &v.kind {
        Kind::Null => Value::null(span),
        Kind::String(_) | Kind::Number(_) | Kind::Bool(_) => match scalar_to_string(v) {
            Some(s) => Value::string(s, span),
            None => ev.error_unknown(span, "cannot convert to string"),
        },
        _ if ev.is_json(v) => match json_text(v) {
            Some(s) => Value::string(s, span),
            None => ev.error_unknown(span, "cannot convert to string"),
        },
        _ => ev.error_unknown(span, "cannot convert a collection to string"),
    }
}

fn tonumber(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "tonumber", &args, 1, span) {
        return u;
    }
    let v = &args[0];
    match &v.kind {
        Kind::Null => Value::null(span),
        Kind::Number(n) => Value::new(Kind::Number(*n), span),
        Kind::String(s) => match s.parse::<f64>() {
            Ok(n) if n.is_finite() && !s.starts_with('+') => Value::new(Kind::Number(n), span),
            _ => ev.error_unknown(span, "cannot convert to number"),
        },
        _ => ev.error_unknown(span, "cannot convert to number"),
    }
}

fn tobool(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "tobool", &args, 1, span) {
        return u;
    }
    let v = &args[0];
    match &v.kind {
        Kind::Null => Value::null(span),
        Kind::Bool(b) => Value::new(Kind::Bool(*b), span),
        Kind::String(s) if s == "true" || s == "false" => Value::new(Kind::Bool(s == "true"), span),
        _ => ev.error_unknown(span, "cannot convert to bool"),
    }
}

fn to_collection(ev: &mut impl Context, name: &str, mut args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, name, &args, 1, span) {
        return u;
    }
    let Some(v) = args.pop() else {
        return ev.error_unknown(span, "missing argument");
    };
    let ok = match name {
        "tolist" => list_arg(ev, &v).is_some(),
        _ => map_arg(ev, &v).is_some(),
    };
    if v.is_unknown() {
        return unknown_of(span, &[&v], &format!("argument of `{name}` is unknown"));
    }
    if matches!(v.kind, Kind::Null) {
        return Value::null(span);
    }
    if !ok {
        return ev.error_unknown(span, format!("invalid argument for `{name}`"));
    }
    ev.respan(v, span)
}

fn one(ev: &mut impl Context, mut args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "sensitive", &args, 1, span) {
        return u;
    }
    match args.pop() {
        Some(v) => ev.respan(v, span),
        None => ev.error_unknown(span, "missing argument"),
    }
}

fn toset(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "toset", &args, 1, span) {
        return u;
    }
    let v = &args[0];
    if matches!(v.kind, Kind::Null) {
        return Value::null(span);
    }
    let Some(items) = list_arg(ev, v) else {
        return ev.error_unknown(span, "toset needs a list");
    };
    set_of(ev, items.to_vec(), span)
}

/// A set: distinct elements, sorted (strings lexically, numbers numerically) as Terraform
/// orders them.
fn set_of(ev: &mut impl Context, items: Vec<Value>, span: Span) -> Value {
    let all_num = items.iter().all(|i| matches!(i.kind, Kind::Number(_)));
    let all_scalar = items
        .iter()
        .all(|i| matches!(i.kind, Kind::Number(_) | Kind::String(_) | Kind::Bool(_)));
    let mut out: Vec<Value> = Vec::new();
    if all_num {
        // Hash the numbers' bits (-0 folded into 0): sets of thousands of keys stay linear.
        let mut seen = std::collections::HashSet::new();
        for i in items {
            let x = i.as_f64().unwrap_or(0.0);
            if seen.insert(if x == 0.0 { 0u64 } else { x.to_bits() }) {
                out.push(i);
            }
        }
        out.sort_by(|a, b| {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        });
    } else if all_scalar {
        let mut seen = std::collections::HashSet::new();
        for i in items {
            let Some(s) = scalar_to_string(&i) else {
                continue;
            };
            if seen.insert(s.clone()) {
                out.push(Value::string(s, i.span).with_origin(i.origin));
            }
        }
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else {
        // Sets of collections: keep order, drop duplicates (ordering unknown here).
        for i in items {
            if !out.iter().any(|o| values_equal(o, &i) == Some(true)) {
                out.push(i);
            }
        }
        if out.len() > 1 {
            return Value::unknown(
                span,
                Vec::new(),
                Some("order of a set of collections is not evaluated".into()),
            );
        }
    }
    let _ = ev;
    list_result(out, span)
}

// ----- collections -------------------------------------------------------------------------

fn concat(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    let mut out = Vec::new();
    for a in &args {
        if a.is_unknown() {
            let all: Vec<&Value> = args.iter().collect();
            return unknown_of(span, &all, "argument of `concat` is unknown");
        }
        let Some(items) = list_arg(ev, a) else {
            return ev.error_unknown(span, "concat needs lists");
        };
        out.extend(items.iter().cloned());
        if out.len() > MAX_ITEMS {
            return Value::unknown(span, Vec::new(), Some("list too large".into()));
        }
    }
    list_result(out, span)
}

fn merge(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    let mut out: Vec<Entry> = Vec::new();
    for a in &args {
        if matches!(a.kind, Kind::Null) {
            continue;
        }
        if a.is_unknown() {
            let all: Vec<&Value> = args.iter().collect();
            return unknown_of(span, &all, "argument of `merge` is unknown");
        }
        let Some(entries) = map_arg(ev, a) else {
            return ev.error_unknown(span, "merge needs maps");
        };
        for e in entries {
            match out.iter_mut().find(|o| o.key == e.key) {
                Some(o) => *o = e.clone(),
                None => out.push(e.clone()),
            }
        }
        if out.len() > MAX_ITEMS {
            return Value::unknown(span, Vec::new(), Some("map too large".into()));
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Value::map(out, span)
}

fn length(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "length", &args, 1, span) {
        return u;
    }
    let v = &args[0];
    let n = if ev.is_json(v) {
        match json_text(v) {
            Some(t) => t.chars().count(),
            None => return unknown_of(span, &[v], "argument of `length` is unknown"),
        }
    } else {
        match &v.kind {
            Kind::String(s) => s.chars().count(),
            Kind::List(items) => items.len(),
            Kind::Map(entries) => entries.len(),
            Kind::Unknown(_) => return unknown_of(span, &[v], "argument of `length` is unknown"),
            _ => return ev.error_unknown(span, "length needs a string or collection"),
        }
    };
    Value::new(Kind::Number(n as f64), span)
}

fn lookup(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if args.len() != 2 && args.len() != 3 {
        return ev.error_unknown(span, "lookup takes 2 or 3 arguments");
    }
    let (m, k) = (&args[0], &args[1]);
    if m.is_unknown() || k.contains_unknown() {
        return unknown_of(span, &[m, k], "argument of `lookup` is unknown");
    }
    let Some(entries) = map_arg(ev, m) else {
        return ev.error_unknown(span, "lookup needs a map");
    };
    let Some(key) = scalar_to_string(k) else {
        return ev.error_unknown(span, "lookup key is not a string");
    };
    match entries.iter().find(|e| e.key == key) {
        Some(e) => e.value.clone(),
        None => match args.get(2) {
            Some(d) => d.clone(),
            None if m.origin != Origin::Literal => {
                Value::unknown(span, Vec::new(), Some(format!("key `{key}` is not set")))
            }
            None => ev.error_unknown(span, format!("no key `{key}`")),
        },
    }
}

fn element(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "element", &args, 2, span) {
        return u;
    }
    let (l, i) = (&args[0], &args[1]);
    if l.is_unknown() || i.contains_unknown() {
        return unknown_of(span, &[l, i], "argument of `element` is unknown");
    }
    let Some(items) = list_arg(ev, l) else {
        return ev.error_unknown(span, "element needs a list");
    };
    let Some(n) = num(i).filter(|n| *n >= 0.0 && n.fract() == 0.0) else {
        return ev.error_unknown(span, "element index is not a non-negative integer");
    };
    if items.is_empty() {
        return ev.error_unknown(span, "element of an empty list");
    }
    let idx = (n as usize) % items.len();
    match items.get(idx) {
        Some(v) => v.clone(),
        None => ev.error_unknown(span, "element index out of range"),
    }
}

fn keys(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "keys", &args, 1, span) {
        return u;
    }
    let m = &args[0];
    if m.is_unknown() {
        return unknown_of(span, &[m], "argument of `keys` is unknown");
    }
    let Some(entries) = map_arg(ev, m) else {
        return ev.error_unknown(span, "keys needs a map");
    };
    let mut ks: Vec<&Entry> = entries.iter().collect();
    ks.sort_by(|a, b| a.key.cmp(&b.key));
    let out = ks
        .into_iter()
        .map(|e| Value::string(e.key.clone(), e.key_span).with_origin(m.origin.clone()))
        .collect();
    list_result(out, span)
}

fn values(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "values", &args, 1, span) {
        return u;
    }
    let Some(entries) = map_arg(ev, &args[0]) else {
        return ev.error_unknown(span, "values needs a map");
    };
    let mut es: Vec<&Entry> = entries.iter().collect();
    es.sort_by(|a, b| a.key.cmp(&b.key));
    list_result(es.into_iter().map(|e| e.value.clone()).collect(), span)
}

fn coalesce(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    for a in &args {
        match &a.kind {
            Kind::Unknown(_) => return unknown_of(span, &[a], "argument of `coalesce` is unknown"),
            Kind::Null => continue,
            Kind::String(s) if s.is_empty() => continue,
            _ => return a.clone(),
        }
    }
    ev.error_unknown(span, "no non-null, non-empty argument of coalesce")
}

fn compact(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "compact", &args, 1, span) {
        return u;
    }
    let Some(items) = list_arg(ev, &args[0]) else {
        return ev.error_unknown(span, "compact needs a list");
    };
    let mut out = Vec::new();
    for i in items {
        match &i.kind {
            Kind::Null => {}
            Kind::String(s) if s.is_empty() => {}
            Kind::String(_) | Kind::Number(_) | Kind::Bool(_) => match scalar_to_string(i) {
                Some(s) => out.push(Value::string(s, i.span).with_origin(i.origin.clone())),
                None => return ev.error_unknown(span, "compact needs strings"),
            },
            _ => return ev.error_unknown(span, "compact needs a list of strings"),
        }
    }
    list_result(out, span)
}

fn contains(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "contains", &args, 2, span) {
        return u;
    }
    let Some(items) = list_arg(ev, &args[0]) else {
        return ev.error_unknown(span, "contains needs a list");
    };
    let needle = ev.json_as_string(args[1].clone());
    let found = items.iter().any(|i| values_equal(i, &needle) == Some(true));
    Value::new(Kind::Bool(found), span)
}

fn flatten(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "flatten", &args, 1, span) {
        return u;
    }
    let Some(items) = list_arg(ev, &args[0]) else {
        return ev.error_unknown(span, "flatten needs a list");
    };
    let mut out = Vec::new();
    fn walk(items: &[Value], out: &mut Vec<Value>, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        for i in items {
            match &i.kind {
                Kind::List(inner) => {
                    if !walk(inner, out, depth + 1) {
                        return false;
                    }
                }
                _ => out.push(i.clone()),
            }
            if out.len() > MAX_ITEMS {
                return false;
            }
        }
        true
    }
    if !walk(items, &mut out, 0) {
        return Value::unknown(span, Vec::new(), Some("list too large".into()));
    }
    list_result(out, span)
}

fn distinct(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "distinct", &args, 1, span) {
        return u;
    }
    let Some(items) = list_arg(ev, &args[0]) else {
        return ev.error_unknown(span, "distinct needs a list");
    };
    let mut out: Vec<Value> = Vec::new();
    // Scalars are compared by a typed key in a hash set; collections pairwise (bounded).
    let mut seen = std::collections::HashSet::new();
    for i in items {
        let key = match &i.kind {
            Kind::String(s) => Some(format!("s{s}")),
            Kind::Number(n) => Some(format!("n{}", if *n == 0.0 { 0.0 } else { *n })),
            Kind::Bool(b) => Some(format!("b{b}")),
            Kind::Null => Some("z".to_string()),
            _ => None,
        };
        let fresh = match key {
            Some(k) => seen.insert(k),
            None if out.len() > 10_000 => {
                return Value::unknown(span, Vec::new(), Some("list too large".into()));
            }
            None => !out.iter().any(|o| values_equal(o, i) == Some(true)),
        };
        if fresh {
            out.push(i.clone());
        }
    }
    list_result(out, span)
}

fn minmax(ev: &mut impl Context, name: &str, args: Vec<Value>, span: Span) -> Value {
    let mut best: Option<f64> = None;
    for a in &args {
        let Some(n) = num(a) else {
            return ev.error_unknown(span, format!("{name} needs numbers"));
        };
        best = Some(match best {
            None => n,
            Some(b) if name == "max" => b.max(n),
            Some(b) => b.min(n),
        });
    }
    match best {
        Some(b) => Value::new(Kind::Number(b), span),
        None => ev.error_unknown(span, format!("{name} needs arguments")),
    }
}

fn math1(ev: &mut impl Context, name: &str, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, name, &args, 1, span) {
        return u;
    }
    let Some(n) = num(&args[0]) else {
        return ev.error_unknown(span, format!("{name} needs a number"));
    };
    let r = match name {
        "abs" => n.abs(),
        "ceil" => n.ceil(),
        _ => n.floor(),
    };
    Value::new(Kind::Number(r), span)
}

// ----- added for modules and policies ------------------------------------------------------

fn formatlist(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    let Some((fmt, rest)) = args.split_first() else {
        return ev.error_unknown(span, "formatlist needs a format");
    };
    let mut n: Option<usize> = None;
    for a in rest {
        if let Some(items) = list_arg(ev, a) {
            match n {
                Some(m) if m != items.len() => {
                    return ev.error_unknown(span, "formatlist lists differ in length")
                }
                _ => n = Some(items.len()),
            }
        }
    }
    let Some(n) = n else {
        return ev.error_unknown(span, "formatlist needs at least one list");
    };
    if n > MAX_ITEMS {
        return Value::unknown(span, Vec::new(), Some("list too large".into()));
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut call_args = vec![fmt.clone()];
        for a in rest {
            match list_arg(ev, a) {
                Some(items) => call_args.push(items[i].clone()),
                None => call_args.push(a.clone()),
            }
        }
        let v = format(ev, call_args, span);
        if v.is_unknown() {
            return v;
        }
        out.push(v);
    }
    list_result(out, span)
}

fn coalescelist(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    for a in &args {
        if a.is_unknown() {
            return unknown_of(span, &[a], "argument of `coalescelist` is unknown");
        }
        match list_arg(ev, a) {
            Some([]) => continue,
            Some(_) => {
                let v = a.clone();
                return ev.respan(v, span);
            }
            None => return ev.error_unknown(span, "coalescelist needs lists"),
        }
    }
    ev.error_unknown(span, "no non-empty list in coalescelist")
}

fn zipmap(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "zipmap", &args, 2, span) {
        return u;
    }
    let (Some(k), Some(v)) = (list_arg(ev, &args[0]), list_arg(ev, &args[1])) else {
        return ev.error_unknown(span, "zipmap needs two lists");
    };
    if k.len() != v.len() {
        return ev.error_unknown(span, "zipmap lists differ in length");
    }
    let mut entries: Vec<Entry> = Vec::with_capacity(k.len());
    for (key, value) in k.iter().zip(v) {
        let Some(key_text) = scalar_to_string(key) else {
            return ev.error_unknown(span, "zipmap keys must be strings");
        };
        if let Some(e) = entries.iter_mut().find(|e| e.key == key_text) {
            e.value = value.clone();
        } else {
            entries.push(Entry {
                key: key_text.into(),
                key_span: key.span,
                value: value.clone(),
            });
        }
    }
    Value::map(entries, span)
}

fn range(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    let nums: Option<Vec<f64>> = args.iter().map(num).collect();
    let Some(nums) = nums else {
        return ev.error_unknown(span, "range needs numbers");
    };
    let (start, end, step) = match nums.as_slice() {
        [e] => (0.0, *e, 1.0),
        [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
        [s, e, st] => (*s, *e, *st),
        _ => return ev.error_unknown(span, "range takes 1 to 3 arguments"),
    };
    if step == 0.0 || (end - start) / step > MAX_ITEMS as f64 {
        return ev.error_unknown(span, "invalid or too large range");
    }
    // Counted, not accumulated: a step lost in a large start's precision would never advance.
    let mut out = Vec::new();
    for i in 0..=MAX_ITEMS {
        let x = start + step * i as f64;
        if !((step > 0.0 && x < end) || (step < 0.0 && x > end)) {
            return list_result(out, span);
        }
        out.push(Value::new(Kind::Number(x), span));
    }
    ev.error_unknown(span, "invalid or too large range")
}

fn one_of(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "one", &args, 1, span) {
        return u;
    }
    match list_arg(ev, &args[0]) {
        Some([]) => Value::null(span),
        Some([x]) => x.clone(),
        Some(_) => ev.error_unknown(span, "one needs at most one element"),
        None => ev.error_unknown(span, "one needs a list"),
    }
}

fn reverse(ev: &mut impl Context, args: Vec<Value>, span: Span) -> Value {
    if let Some(u) = arity(ev, "reverse", &args, 1, span) {
        return u;
    }
    match list_arg(ev, &args[0]) {
        Some(items) => list_result(items.iter().rev().cloned().collect(), span),
        None => ev.error_unknown(span, "reverse needs a list"),
    }
}
