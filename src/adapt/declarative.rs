//! Reads the fields of declarative models ([`crate::model::declare`]) from resource bodies.

use super::{attr, branch_aware, entry_span};
use crate::model::declare::FieldType;
use crate::model::Attr;
use crate::resource::{Format, Resource};
use crate::source::Span;
use crate::value::{Kind, Origin, Value};

/// Reads the field at `terraform` / `cloudformation` (by the resource's format).
pub fn field<T: FieldType>(r: &Resource, terraform: &str, cloudformation: &str) -> Attr<T> {
    let path = match r.format {
        Format::Terraform => terraform,
        Format::CloudFormation => cloudformation,
    };
    path_attr(&r.body, path, r.span)
}

/// Reads the field at `list[].inner` in every element of a list (by the resource's format);
/// see [`each_attr`].
pub fn each<T: FieldType>(
    r: &Resource,
    terraform: &str,
    cloudformation: &str,
) -> Attr<Vec<Attr<T>>> {
    let path = match r.format {
        Format::Terraform => terraform,
        Format::CloudFormation => cloudformation,
    };
    each_attr(&r.body, path, r.span)
}

/// Reads `inner` in every element of the list at `list` (`path` is `list[].inner`): the list
/// is absent / unknown / per `Fn::If` branch as a whole; each element's field is read with the
/// element as its header. A single object where a list is expected is a list of one (a
/// Terraform block written as an attribute object).
pub fn each_attr<T: FieldType>(body: &Value, path: &str, header: Span) -> Attr<Vec<Attr<T>>> {
    let Some((list, inner)) = path.split_once("[].") else {
        return Attr::Unknown { span: header };
    };
    let (parent, key) = match list.rsplit_once('.') {
        Some((parent, key)) => match walk(body, parent, header) {
            Ok(v) => (v, key),
            Err(a) => return a,
        },
        None => (body, list),
    };
    let Some(e) = parent.entry(key) else {
        return Attr::absent(header);
    };
    let span = entry_span(e);
    branch_aware(&e.value, span, header, |v| match &v.kind {
        // `AWS::NoValue` chosen by a condition that a parameter default decides: reported at
        // the property, naming the default.
        Kind::Null => match &*v.origin {
            Origin::Condition(c) => Attr::Absent {
                span,
                chosen: Some(c.clone()),
            },
            _ => Attr::absent(header),
        },
        Kind::List(items) => Attr::Known {
            value: items.iter().map(|item| element(item, inner)).collect(),
            span,
            origin: (*v.origin).clone(),
        },
        Kind::Map(_) => Attr::Known {
            value: vec![element(v, inner)],
            span,
            origin: (*v.origin).clone(),
        },
        _ => Attr::Unknown { span },
    })
}

/// The field of one list element (unknown when the element itself is: a `dynamic` block over
/// an unknown collection, an element-level `Fn::If`).
fn element<T: FieldType>(item: &Value, inner: &str) -> Attr<T> {
    match &item.kind {
        Kind::Map(_) => path_attr(item, inner, item.span),
        _ => Attr::Unknown { span: item.span },
    }
}

/// Follows the `.`-separated blocks / objects of `path` from `body`: the value at its end, or
/// the field's reading when a level is missing (absent) or not resolvable (unknown).
fn walk<'v, T>(body: &'v Value, path: &str, header: Span) -> Result<&'v Value, Attr<T>> {
    let mut cur = body;
    for seg in path.split('.') {
        let Some(e) = cur.entry(seg) else {
            return Err(Attr::absent(header));
        };
        let v = &e.value;
        if v.alternatives().is_some() {
            return Err(Attr::Unknown {
                span: entry_span(e),
            });
        }
        cur = match &v.kind {
            Kind::Null => return Err(Attr::absent(header)),
            Kind::Map(_) => v,
            // A Terraform nested block: a list of one block (several would be ambiguous).
            Kind::List(items) => match &items[..] {
                [] => return Err(Attr::absent(header)),
                [one] if matches!(one.kind, Kind::Map(_)) => one,
                _ => {
                    return Err(Attr::Unknown {
                        span: entry_span(e),
                    })
                }
            },
            _ => {
                return Err(Attr::Unknown {
                    span: entry_span(e),
                })
            }
        };
    }
    Ok(cur)
}

/// Reads the attribute at a `.`-separated path of `body`; see the module doc.
pub fn path_attr<T: FieldType>(body: &Value, path: &str, header: Span) -> Attr<T> {
    let (cur, seg) = match path.rsplit_once('.') {
        Some((parent, seg)) => match walk(body, parent, header) {
            Ok(v) => (v, seg),
            Err(a) => return a,
        },
        None => (body, path),
    };
    if T::EMPTY_IS_ABSENT {
        return presence(cur, seg, header);
    }
    attr(cur, seg, header, T::convert)
}

/// A "set" field: absent when missing, `null` or `""` (at the attribute for `""`), else known,
/// even when its value is unknown (it is given; which key it is does not matter).
fn presence<T: FieldType>(body: &Value, key: &str, header: Span) -> Attr<T> {
    let Some(e) = body.entry(key) else {
        return Attr::absent(header);
    };
    let span = entry_span(e);
    branch_aware(&e.value, span, header, |v| match &v.kind {
        // `AWS::NoValue` chosen by a condition that a parameter default decides: reported at
        // the property, naming the default.
        Kind::Null => match &*v.origin {
            Origin::Condition(c) => Attr::Absent {
                span,
                chosen: Some(c.clone()),
            },
            _ => Attr::absent(header),
        },
        Kind::String(s) if s.is_empty() => Attr::Empty {
            span,
            origin: (*v.origin).clone(),
        },
        // No block / no element (`copy_action` over an empty collection, `CopyActions: []`).
        Kind::List(items) if items.is_empty() => Attr::absent(span),
        _ => match T::convert(v) {
            Some(value) => Attr::Known {
                value,
                span,
                origin: (*v.origin).clone(),
            },
            None => Attr::Unknown { span },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::declare::Set;

    use crate::value::testing::{map, sp};

    #[test]
    fn paths_through_blocks_and_objects() {
        let enabled = map(vec![("enabled", Value::new(Kind::Bool(true), sp(5)))]);
        let tf = map(vec![(
            "encrypt_at_rest",
            Value::list(vec![enabled.clone()], sp(3)),
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
            Attr::absent(sp(99))
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

    #[test]
    fn each_element_of_a_list_of_blocks() {
        let copy = map(vec![("destination_vault_arn", Value::string("arn", sp(4)))]);
        let with_copy = map(vec![("copy_action", Value::list(vec![copy], sp(3)))]);
        let without = map(vec![("rule_name", Value::string("daily", sp(6)))]);
        let empty = map(vec![("copy_action", Value::list(vec![], sp(8)))]);
        let unknown_block = Value::unknown(sp(9), Vec::new(), None);
        let body = map(vec![(
            "rule",
            Value::new(
                Kind::List(vec![with_copy, without, empty, unknown_block].into()),
                sp(2),
            ),
        )]);
        let Attr::Known { value, .. } = each_attr::<Set>(&body, "rule[].copy_action", sp(99))
        else {
            panic!("the list is known");
        };
        assert!(matches!(value[0], Attr::Known { value: Set, .. }));
        // Absent at the element (its block), not at the resource header.
        assert_eq!(value[1], Attr::absent(sp(0)));
        assert!(matches!(value[2], Attr::Absent { .. }));
        assert!(matches!(value[3], Attr::Unknown { .. }));
        // Through an object level (CloudFormation `BackupPlan.BackupPlanRule[]`), and absent.
        let cfn = map(vec![("BackupPlan", body)]);
        assert!(matches!(
            each_attr::<Set>(&cfn, "BackupPlan.rule[].copy_action", sp(99)),
            Attr::Known { .. }
        ));
        assert_eq!(
            each_attr::<Set>(&map(vec![]), "BackupPlan.rule[].copy_action", sp(99)),
            Attr::absent(sp(99))
        );
        let unknown = map(vec![("rule", Value::unknown(sp(5), Vec::new(), None))]);
        assert!(matches!(
            each_attr::<Set>(&unknown, "rule[].copy_action", sp(99)),
            Attr::Unknown { .. }
        ));
    }
}
