//! DocumentDB clusters.

use crate::resource::Resource;

crate::resource_model! {
    /// A DocumentDB (instance-based) cluster.
    pub struct Cluster {
        terraform: ["aws_docdb_cluster"],
        cloudformation: ["AWS::DocDB::DBCluster"],
        /// Storage encryption (off by default through the API).
        pub storage_encrypted: bool = ("storage_encrypted", "StorageEncrypted"),
    }
    derived {
        /// Restored from a snapshot (whose encryption it keeps).
        pub restored: bool = restored,
    }
}

fn restored(r: &Resource) -> bool {
    [
        "snapshot_identifier",
        "SnapshotIdentifier",
        "restore_to_point_in_time",
        "RestoreToTime",
        "SourceDBClusterIdentifier",
    ]
    .iter()
    .any(|k| super::rds::is_set(&r.body, k))
}
