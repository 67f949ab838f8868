//! Reads the fields of declarative models ([`crate::model::declare`]) from resource bodies.

use super::{attr, branch_aware, entry_span};
use crate::model::declare::FieldType;
use crate::model::Attr;
use crate::resource::{Format, Resource};
use crate::source::Span;
use crate::value::{Kind, Value};

/// Reads the field at `terraform` / `cloudformation` (by the resource's format).
pub fn field<T: FieldType>(r: &Resource, terraform: &str, cloudformation: &str) -> Attr<T> {
    let path = match r.format {
        Format::Terraform => terraform,
        Format::CloudFormation => cloudformation,
    };
    path_attr(&r.body, path, r.span)
}

/// Reads the attribute at a `.`-separated path of `body`; see the module doc.
pub fn path_attr<T: FieldType>(body: &Value, path: &str, header: Span) -> Attr<T> {
    let mut cur = body;
    let mut segments = path.split('.').peekable();
    while let Some(seg) = segments.next() {
        if segments.peek().is_none() {
            if T::EMPTY_IS_ABSENT {
                return presence(cur, seg, header);
            }
            return attr(cur, seg, header, T::convert);
        }
        let Some(e) = cur.entry(seg) else {
            return Attr::Absent { span: header };
        };
        let v = &e.value;
        if v.alternatives().is_some() {
            return Attr::Unknown {
                span: entry_span(e),
            };
        }
        cur = match &v.kind {
            Kind::Null => return Attr::Absent { span: header },
            Kind::Map(_) => v,
            // A Terraform nested block: a list of one block (several would be ambiguous).
            Kind::List(items) => match items.as_slice() {
                [] => return Attr::Absent { span: header },
                [one] if matches!(one.kind, Kind::Map(_)) => one,
                _ => {
                    return Attr::Unknown {
                        span: entry_span(e),
                    }
                }
            },
            _ => {
                return Attr::Unknown {
                    span: entry_span(e),
                }
            }
        };
    }
    Attr::Unknown { span: header }
}

/// A "set" field: absent when missing, `null` or `""` (at the attribute for `""`), else known,
/// even when its value is unknown (it is given; which key it is does not matter).
fn presence<T: FieldType>(body: &Value, key: &str, header: Span) -> Attr<T> {
    let Some(e) = body.entry(key) else {
        return Attr::Absent { span: header };
    };
    let span = entry_span(e);
    branch_aware(&e.value, span, header, |v| match &v.kind {
        Kind::Null => Attr::Absent { span: header },
        Kind::String(s) if s.is_empty() => Attr::Empty {
            span,
            origin: v.origin.clone(),
        },
        _ => match T::convert(v) {
            Some(value) => Attr::Known {
                value,
                span,
                origin: v.origin.clone(),
            },
            None => Attr::Unknown { span },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::declare::Set;
    use crate::source::FileId;
    use crate::value::Entry;

    fn sp(n: u32) -> Span {
        Span {
            file: FileId(0),
            start: n,
            end: n + 1,
        }
    }
    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::new(
            Kind::Map(
                entries
                    .into_iter()
                    .enumerate()
                    .map(|(i, (k, v))| Entry {
                        key: k.to_string(),
                        key_span: sp(i as u32 * 10),
                        value: v,
                    })
                    .collect(),
            ),
            sp(0),
        )
    }

    #[test]
    fn paths_through_blocks_and_objects() {
        let enabled = map(vec![("enabled", Value::new(Kind::Bool(true), sp(5)))]);
        let tf = map(vec![(
            "encrypt_at_rest",
            Value::new(Kind::List(vec![enabled.clone()]), sp(3)),
        )]);
        assert!(matches!(
            path_attr::<bool>(&tf, "encrypt_at_rest.enabled", sp(99)),
            Attr::Known { value: true, .. }
        ));
        let cfn = map(vec![("EncryptionAtRestOptions", enabled)]);
        assert!(matches!(
            path_attr::<bool>(&cfn, "EncryptionAtRestOptions.enabled", sp(99)),
            Attr::Known { value: true, .. }
        ));
        // No block: the provider default, reported at the header.
        assert_eq!(
            path_attr::<bool>(&map(vec![]), "encrypt_at_rest.enabled", sp(99)),
            Attr::Absent { span: sp(99) }
        );
        // An unknown block is unknown, never absent.
        let unknown = map(vec![(
            "encrypt_at_rest",
            Value::unknown(sp(3), Vec::new(), None),
        )]);
        assert!(matches!(
            path_attr::<bool>(&unknown, "encrypt_at_rest.enabled", sp(99)),
            Attr::Unknown { .. }
        ));
    }

    #[test]
    fn empty_string_is_not_set() {
        // Empty, reported at the attribute (not absent at the header).
        let body = map(vec![("kms_key_id", Value::string("", sp(7)))]);
        assert!(matches!(
            path_attr::<Set>(&body, "kms_key_id", sp(99)),
            Attr::Empty { span, .. } if span != sp(99)
        ));
        let body = map(vec![("kms_key_id", Value::string("arn:aws:kms:x", sp(7)))]);
        assert!(matches!(
            path_attr::<Set>(&body, "kms_key_id", sp(99)),
            Attr::Known { value: Set, .. }
        ));
    }
}
