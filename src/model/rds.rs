//! RDS instances and clusters.

use super::Attr;
use crate::graph::ResIdx;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Instance,
    Cluster,
}

#[derive(Debug, Clone)]
pub struct Database {
    pub res: ResIdx,
    pub kind: DbKind,
    pub storage_encrypted: Attr<bool>,
    /// Why encryption is decided elsewhere (joins a cluster, restored from a snapshot, replica,
    /// serverless v1): such databases are not judged on `storage_encrypted`.
    pub inherits: Option<&'static str>,
}
