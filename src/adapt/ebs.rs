//! EBS: volumes and block devices of instances, launch templates and launch configurations,
//! in both formats; `aws_ebs_encryption_by_default`.

use super::{blocks, bool_attr, of_types};
use crate::graph::ResIdx;
use crate::model::ebs::EbsDevice;
use crate::model::{Attr, Model};
use crate::resource::Mode;
use crate::value::{Kind, Value};

fn set(v: &Value, key: &str) -> bool {
    v.get(key)
        .is_some_and(|x| !matches!(x.kind, Kind::Null) && x.as_str() != Some(""))
}

/// One device: `encrypted` read from `block`; a missing setting is reported at `absent` (the
/// block, a volume's header, or the mapping item where the device is named).
fn device(
    res: ResIdx,
    what: String,
    block: &Value,
    (key, snapshot_key): (&str, &str),
    absent: crate::source::Span,
) -> EbsDevice {
    let encrypted = bool_attr(block, key, absent);
    let from_snapshot = matches!(encrypted, Attr::Absent { .. }) && set(block, snapshot_key);
    EbsDevice {
        res,
        what,
        encrypted,
        from_snapshot,
    }
}

/// CloudFormation `BlockDeviceMappings` items that define an EBS volume.
fn cfn_mappings(res: ResIdx, list: Option<&Value>, out: &mut Vec<EbsDevice>) {
    let Some(items) = list.and_then(Value::as_list) else {
        return;
    };
    for item in items {
        let Some(ebs) = item.get("Ebs") else {
            continue;
        };
        if ebs.as_map().is_none() {
            continue;
        }
        let name = item
            .get("DeviceName")
            .and_then(Value::as_str)
            .unwrap_or("block device")
            .to_string();
        out.push(device(
            res,
            name,
            ebs,
            ("Encrypted", "SnapshotId"),
            item.span,
        ));
    }
}

pub(super) fn adapt(model: &mut Model<'_>) {
    let resources = model.resources;
    let mut devices = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        if r.mode != Mode::Managed {
            continue;
        }
        let b = &r.body;
        match r.rtype.as_str() {
            "aws_ebs_volume" => {
                let keys = ("encrypted", "snapshot_id");
                devices.push(device(i, "volume".into(), b, keys, r.span));
            }
            "aws_instance" | "aws_launch_configuration" => {
                for blk in blocks(b, "root_block_device") {
                    let keys = ("encrypted", "snapshot_id");
                    devices.push(device(i, "root_block_device".into(), blk, keys, blk.span));
                }
                for blk in blocks(b, "ebs_block_device") {
                    let name = blk
                        .get("device_name")
                        .and_then(Value::as_str)
                        .unwrap_or("ebs_block_device")
                        .to_string();
                    let keys = ("encrypted", "snapshot_id");
                    devices.push(device(i, name, blk, keys, blk.span));
                }
            }
            "aws_launch_template" => {
                for m in blocks(b, "block_device_mappings") {
                    let name = m
                        .get("device_name")
                        .and_then(Value::as_str)
                        .unwrap_or("block_device_mappings")
                        .to_string();
                    for ebs in blocks(m, "ebs") {
                        // As in CloudFormation: a missing setting is reported at the mapping.
                        let keys = ("encrypted", "snapshot_id");
                        devices.push(device(i, name.clone(), ebs, keys, m.span));
                    }
                }
            }
            "AWS::EC2::Volume" => {
                let keys = ("Encrypted", "SnapshotId");
                devices.push(device(i, "volume".into(), b, keys, r.span));
            }
            "AWS::EC2::Instance" | "AWS::AutoScaling::LaunchConfiguration" => {
                cfn_mappings(i, b.get("BlockDeviceMappings"), &mut devices);
            }
            "AWS::EC2::LaunchTemplate" => {
                cfn_mappings(
                    i,
                    b.path(&["LaunchTemplateData", "BlockDeviceMappings"]),
                    &mut devices,
                );
            }
            _ => {}
        }
    }
    model.ebs.devices = devices;
    model.ebs.encryption_by_default = of_types(resources, &["aws_ebs_encryption_by_default"])
        .filter(|(_, r)| {
            r.body
                .get("enabled")
                .is_none_or(|v| v.as_bool() != Some(false))
        })
        .map(|(_, r)| r.scope)
        .collect();
    // An account setting: it covers every module instance of the same Terraform root.
    let roots = crate::resource::tree_roots(model.scopes);
    let on: std::collections::HashSet<_> = model
        .ebs
        .encryption_by_default
        .iter()
        .filter_map(|s| roots.get(s.0 as usize).copied())
        .collect();
    for (i, r) in roots.iter().enumerate() {
        let id = crate::resource::ScopeId(i as u32);
        if on.contains(r) && !model.ebs.encryption_by_default.contains(&id) {
            model.ebs.encryption_by_default.push(id);
        }
    }
}
