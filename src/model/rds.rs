//! RDS DB instances and clusters (Aurora and Multi-AZ DB clusters).

use crate::resource::Resource;
use crate::value::{Kind, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Instance,
    Cluster,
}

crate::resource_model! {
    /// An RDS DB instance or DB cluster.
    pub struct Database {
        terraform: ["aws_db_instance", "aws_rds_cluster"],
        cloudformation: ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"],
        /// Storage encryption (off by default).
        pub storage_encrypted: bool = ("storage_encrypted", "StorageEncrypted"),
        /// Deletion protection (off by default).
        pub deletion_protection: bool = ("deletion_protection", "DeletionProtection"),
    }
    derived {
        pub kind: DbKind = db_kind,
        /// Why encryption is decided elsewhere (joins a cluster, restored from a snapshot,
        /// replica, Aurora Serverless v1): such databases are not judged on
        /// `storage_encrypted`.
        pub inherits: Option<&'static str> = inherited_encryption,
        /// Why the instance's own lifecycle settings (deletion protection, Multi-AZ, backups)
        /// are decided by its cluster: it is a member of one.
        pub cluster_member: bool = is_cluster_member,
    }
}

fn db_kind(r: &Resource) -> DbKind {
    match r.rtype.as_str() {
        "aws_rds_cluster" | "AWS::RDS::DBCluster" => DbKind::Cluster,
        _ => DbKind::Instance,
    }
}

/// Present, not null and not `""`.
fn set(body: &Value, key: &str) -> bool {
    body.get(key)
        .is_some_and(|v| !matches!(v.kind, Kind::Null) && v.as_str() != Some(""))
}

fn is_cluster_member(r: &Resource) -> bool {
    match r.rtype.as_str() {
        "aws_db_instance" => set(&r.body, "cluster_identifier"),
        "AWS::RDS::DBInstance" => set(&r.body, "DBClusterIdentifier"),
        _ => false,
    }
}

fn inherited_encryption(r: &Resource) -> Option<&'static str> {
    let b = &r.body;
    let restored = "it is restored from a snapshot or backup, whose encryption it keeps";
    let cluster_restored = "it is restored or replicated from a source whose encryption it keeps";
    let serverless = "Aurora Serverless v1 clusters are always encrypted";
    match r.rtype.as_str() {
        "aws_db_instance" => {
            if is_cluster_member(r) {
                Some("it joins a cluster, whose setting applies")
            } else if set(b, "snapshot_identifier") || set(b, "restore_to_point_in_time") {
                Some(restored)
            } else if set(b, "replicate_source_db") {
                Some("it is a replica, encrypted like its source")
            } else {
                None
            }
        }
        "aws_rds_cluster" => {
            if b.get("engine_mode").and_then(Value::as_str) == Some("serverless") {
                Some(serverless)
            } else if set(b, "snapshot_identifier")
                || set(b, "restore_to_point_in_time")
                || set(b, "replication_source_identifier")
            {
                Some(cluster_restored)
            } else {
                None
            }
        }
        "AWS::RDS::DBInstance" => {
            if is_cluster_member(r) {
                Some("it joins a cluster, whose setting applies")
            } else if [
                "DBSnapshotIdentifier",
                "DBClusterSnapshotIdentifier",
                "SourceDbiResourceId",
                "SourceDBInstanceAutomatedBackupsArn",
            ]
            .iter()
            .any(|k| set(b, k))
            {
                Some(restored)
            } else if set(b, "SourceDBInstanceIdentifier") || set(b, "SourceDBClusterIdentifier") {
                Some("it is a replica, encrypted like its source")
            } else {
                None
            }
        }
        _ => {
            if b.get("EngineMode").and_then(Value::as_str) == Some("serverless") {
                Some(serverless)
            } else if [
                "SnapshotIdentifier",
                "SourceDBClusterIdentifier",
                "ReplicationSourceIdentifier",
                "RestoreType",
            ]
            .iter()
            .any(|k| set(b, k))
            {
                Some(cluster_restored)
            } else {
                None
            }
        }
    }
}
