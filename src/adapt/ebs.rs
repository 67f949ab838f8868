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

fn device(res: ResIdx, what: String, block: &Value, key: &str, snapshot_key: &str) -> EbsDevice {
    let encrypted = bool_attr(block, key, block.span);
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
        let mut d = device(res, name, ebs, "Encrypted", "SnapshotId");
        // Report a missing setting at the mapping item, where the device is named.
        if let Attr::Absent { .. } = d.encrypted {
            d.encrypted = Attr::Absent { span: item.span };
        }
        out.push(d);
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
                let encrypted = bool_attr(b, "encrypted", r.span);
                let from_snapshot =
                    matches!(encrypted, Attr::Absent { .. }) && set(b, "snapshot_id");
                devices.push(EbsDevice {
                    res: i,
                    what: "volume".into(),
                    encrypted,
                    from_snapshot,
                });
            }
            "aws_instance" | "aws_launch_configuration" => {
                for blk in blocks(b, "root_block_device") {
                    devices.push(device(
                        i,
                        "root_block_device".into(),
                        blk,
                        "encrypted",
                        "snapshot_id",
                    ));
                }
                for blk in blocks(b, "ebs_block_device") {
                    let name = blk
                        .get("device_name")
                        .and_then(Value::as_str)
                        .unwrap_or("ebs_block_device")
                        .to_string();
                    devices.push(device(i, name, blk, "encrypted", "snapshot_id"));
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
                        let mut d = device(i, name.clone(), ebs, "encrypted", "snapshot_id");
                        // As in CloudFormation: a missing setting is reported at the mapping.
                        if let Attr::Absent { .. } = d.encrypted {
                            d.encrypted = Attr::Absent { span: m.span };
                        }
                        devices.push(d);
                    }
                }
            }
            "AWS::EC2::Volume" => {
                let encrypted = bool_attr(b, "Encrypted", r.span);
                let from_snapshot =
                    matches!(encrypted, Attr::Absent { .. }) && set(b, "SnapshotId");
                devices.push(EbsDevice {
                    res: i,
                    what: "volume".into(),
                    encrypted,
                    from_snapshot,
                });
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
