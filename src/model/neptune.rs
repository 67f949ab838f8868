//! Neptune clusters.

use crate::resource::Resource;

crate::resource_model! {
    /// A Neptune DB cluster.
    pub struct Cluster {
        terraform: ["aws_neptune_cluster"],
        cloudformation: ["AWS::Neptune::DBCluster"],
        /// Storage encryption (off by default).
        pub storage_encrypted: bool = ("storage_encrypted", "StorageEncrypted"),
    }
    derived {
        /// Restored from a snapshot or a replica of another cluster (its encryption applies).
        pub inherits: bool = inherits,
    }
}

fn inherits(r: &Resource) -> bool {
    [
        "snapshot_identifier",
        "replication_source_identifier",
        "SnapshotIdentifier",
        "SourceDBClusterIdentifier",
        "RestoreToTime",
    ]
    .iter()
    .any(|k| super::rds::is_set(&r.body, k))
}
