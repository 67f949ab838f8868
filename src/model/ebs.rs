//! EBS volumes: standalone volumes and the block devices of instances, launch templates and
//! launch configurations; plus account-level encryption by default.

use super::Attr;
use crate::graph::ResIdx;

#[derive(Debug, Clone)]
pub struct EbsDevice {
    pub res: ResIdx,
    /// What the device is, for messages ("root_block_device", "volume", "/dev/sdf").
    pub what: String,
    /// Absent spans point at the block (or the volume header).
    pub encrypted: Attr<bool>,
    /// Created from a snapshot with no encryption setting: the snapshot decides.
    pub from_snapshot: bool,
}

#[derive(Debug, Default)]
pub struct Ebs {
    pub devices: Vec<EbsDevice>,
    /// Scopes (module instances) with an enabled `aws_ebs_encryption_by_default`: an account
    /// setting, but only trusted for the configuration that declares it.
    pub encryption_by_default: Vec<crate::resource::ScopeId>,
}
