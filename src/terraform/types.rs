//! Type conversion of variable values to their declared `type`, as Terraform does it:
//! primitives (`"5"` → 5 for `number`), collections element by element, and `object({...})`
//! attributes — `optional(T)` attributes the caller omits become `null`, `optional(T, d)` ones
//! (also when given as `null`) become `d`, and attributes the type does not declare are
//! discarded. Anything else (`any`, unknown or null values, mismatched shapes) is left alone.

use super::eval::Evaluator;
use crate::value::{Entry, Kind, Value};
use hcl_edit::expr::{Expression, ObjectKey};

/// Converts `v` to the type expression `ty`. `ev` evaluates `optional()` defaults in the
/// declaring file.
pub(super) fn convert(ev: &mut Evaluator, v: Value, ty: &Expression) -> Value {
    if matches!(v.kind, Kind::Null | Kind::Unknown(_)) {
        return v;
    }
    match ty {
        Expression::Variable(name) => super::module::convert_to_type(v, Some(name.as_str())),
        Expression::FuncCall(f) if f.name.namespace.is_empty() => {
            let args: Vec<&Expression> = f.args.iter().collect();
            match (f.name.name.as_str(), args.as_slice()) {
                ("list" | "set", [elem]) => map_items(v, |item| convert(ev, item, elem)),
                ("map", [elem]) => map_values(v, |item| convert(ev, item, elem)),
                ("tuple", [Expression::Array(types)]) => {
                    let types: Vec<&Expression> = types.iter().collect();
                    match v.kind {
                        Kind::List(items) if items.len() == types.len() => {
                            let items = items
                                .into_vec()
                                .into_iter()
                                .zip(types)
                                .map(|(item, t)| convert(ev, item, t))
                                .collect();
                            Value::new(Kind::List(items), v.span).with_origin(v.origin)
                        }
                        kind => Value { kind, ..v },
                    }
                }
                ("object", [Expression::Object(attrs)]) => object(ev, v, attrs),
                _ => v,
            }
        }
        _ => v,
    }
}

fn map_items(v: Value, mut f: impl FnMut(Value) -> Value) -> Value {
    match v.kind {
        Kind::List(items) => Value {
            kind: Kind::List(items.into_vec().into_iter().map(&mut f).collect()),
            ..v
        },
        kind => Value { kind, ..v },
    }
}

fn map_values(v: Value, mut f: impl FnMut(Value) -> Value) -> Value {
    match v.kind {
        Kind::Map(entries) => Value {
            kind: Kind::Map(
                entries
                    .into_vec()
                    .into_iter()
                    .map(|e| Entry {
                        value: f(e.value),
                        ..e
                    })
                    .collect(),
            ),
            ..v
        },
        kind => Value { kind, ..v },
    }
}

fn attr_name(k: &ObjectKey) -> Option<&str> {
    match k {
        ObjectKey::Ident(id) => Some(id.as_str()),
        ObjectKey::Expression(Expression::Variable(id)) => Some(id.as_str()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// `optional(T)` / `optional(T, default)` → (T, default).
fn optional(ty: &Expression) -> Option<(&Expression, Option<&Expression>)> {
    let Expression::FuncCall(f) = ty else {
        return None;
    };
    if !f.name.namespace.is_empty() || f.name.name.as_str() != "optional" {
        return None;
    }
    let mut args = f.args.iter();
    let inner = args.next()?;
    Some((inner, args.next()))
}

fn object(ev: &mut Evaluator, v: Value, attrs: &hcl_edit::expr::Object) -> Value {
    let Kind::Map(entries) = v.kind else {
        return v;
    };
    // An attribute name the type cannot spell statically: leave the value as written.
    let mut declared: Vec<(&str, &Expression)> = Vec::with_capacity(attrs.len());
    for (k, t) in attrs.iter() {
        match attr_name(k) {
            Some(name) => declared.push((name, t.expr())),
            None => {
                return Value {
                    kind: Kind::Map(entries),
                    ..v
                }
            }
        }
    }
    let mut by_key: Vec<Option<Entry>> = entries.into_vec().into_iter().map(Some).collect();
    let mut out: Vec<Entry> = Vec::with_capacity(declared.len());
    for (name, t) in declared {
        let (inner, default) = match optional(t) {
            Some((inner, default)) => (inner, default),
            None => (t, None),
        };
        let given = by_key
            .iter_mut()
            .find(|e| e.as_ref().is_some_and(|e| e.key == name))
            .and_then(Option::take);
        let default_value = |ev: &mut Evaluator| {
            default.map(|d| {
                let dv = ev.eval(d);
                convert(ev, dv, inner)
            })
        };
        match given {
            Some(e) if matches!(e.value.kind, Kind::Null) => {
                let value = default_value(ev).unwrap_or(e.value);
                out.push(Entry { value, ..e });
            }
            Some(e) => {
                let value = convert(ev, e.value, inner);
                out.push(Entry { value, ..e });
            }
            None if optional(t).is_some() => {
                let value = default_value(ev)
                    .unwrap_or_else(|| Value::null(v.span))
                    .with_origin(v.origin.clone());
                out.push(Entry {
                    key: name.into(),
                    key_span: v.span,
                    value,
                });
            }
            // A required attribute missing: Terraform rejects the value; keep what is known.
            None => {}
        }
    }
    Value::map(out, v.span).with_origin(v.origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::value::testing::{map, sp};

    /// `v` converted to the type written as `ty`, as JSON.
    fn converted(v: Value, ty: &str) -> serde_json::Value {
        let ty: Expression = ty.parse().expect("type expression");
        let mut ev = Evaluator::literal(FileId(0));
        convert(&mut ev, v, &ty).to_json()
    }

    fn s(text: &str) -> Value {
        Value::string(text, sp(1))
    }

    #[test]
    fn optional_attributes_become_null_or_their_default() {
        let v = map(vec![("name", s("logs"))]);
        let got = converted(
            v,
            r#"object({ name = string, kms = optional(string), versioning = optional(bool, true) })"#,
        );
        assert_eq!(
            got,
            serde_json::json!({ "name": "logs", "kms": null, "versioning": true })
        );
    }

    #[test]
    fn a_null_optional_takes_its_default_and_undeclared_attributes_are_dropped() {
        let v = map(vec![
            ("versioning", Value::null(sp(2))),
            ("extra", s("x")),
            ("name", s("a")),
        ]);
        let got = converted(
            v,
            "object({ name = string, versioning = optional(bool, false) })",
        );
        assert_eq!(got, serde_json::json!({ "name": "a", "versioning": false }));
    }

    #[test]
    fn collections_convert_element_by_element() {
        let item = |n: &str| map(vec![("name", s(n))]);
        let v = Value::list(vec![item("a"), item("b")], sp(0));
        let got = converted(
            v,
            "list(object({ name = string, port = optional(number, 443) }))",
        );
        assert_eq!(
            got,
            serde_json::json!([{ "name": "a", "port": 443 }, { "name": "b", "port": 443 }])
        );
        // Primitives: a numeric string becomes a number, as Terraform converts it.
        let v = map(vec![("a", s("5"))]);
        assert_eq!(converted(v, "map(number)"), serde_json::json!({ "a": 5 }));
    }

    #[test]
    fn unknown_null_and_mismatched_values_are_left_alone() {
        assert_eq!(
            converted(Value::null(sp(0)), "object({ a = optional(string) })"),
            serde_json::Value::Null
        );
        assert_eq!(
            converted(s("text"), "object({ a = optional(string) })"),
            serde_json::json!("text")
        );
        // An attribute name that is not a plain identifier: the value stays as written.
        let v = map(vec![("a", s("x"))]);
        assert_eq!(
            converted(v, r#"object({ (local.k) = string })"#),
            serde_json::json!({ "a": "x" })
        );
    }
}
