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
        /// Days of automated backups (AWS default 1; 0 turns them off).
        pub backup_retention_period: f64 = ("backup_retention_period", "BackupRetentionPeriod"),
        /// Multi-AZ deployment of a DB instance (off by default).
        pub multi_az: bool = ("multi_az", "MultiAZ"),
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
        /// A read replica of another instance: its source's backups and Multi-AZ apply.
        pub replica: bool = is_replica,
        /// How the cluster spans Availability Zones by itself (a Multi-AZ DB cluster, Aurora
        /// Serverless v1), or `None` for an Aurora cluster whose instances decide it.
        pub cluster_multi_az: Option<&'static str> = cluster_multi_az,
    }
}

fn db_kind(r: &Resource) -> DbKind {
    match r.rtype.as_str() {
        "aws_rds_cluster" | "AWS::RDS::DBCluster" => DbKind::Cluster,
        _ => DbKind::Instance,
    }
}

/// Present, not null and not `""`.
pub(crate) fn is_set(body: &Value, key: &str) -> bool {
    body.get(key)
        .is_some_and(|v| !matches!(v.kind, Kind::Null) && v.as_str() != Some(""))
}

fn is_cluster_member(r: &Resource) -> bool {
    match r.rtype.as_str() {
        "aws_db_instance" => is_set(&r.body, "cluster_identifier"),
        "AWS::RDS::DBInstance" => is_set(&r.body, "DBClusterIdentifier"),
        _ => false,
    }
}

fn is_replica(r: &Resource) -> bool {
    match r.rtype.as_str() {
        "aws_db_instance" => is_set(&r.body, "replicate_source_db"),
        "AWS::RDS::DBInstance" => {
            is_set(&r.body, "SourceDBInstanceIdentifier")
                || is_set(&r.body, "SourceDBClusterIdentifier")
        }
        _ => false,
    }
}

fn cluster_multi_az(r: &Resource) -> Option<&'static str> {
    let b = &r.body;
    let (class, mode) = match r.rtype.as_str() {
        "aws_rds_cluster" => ("db_cluster_instance_class", "engine_mode"),
        "AWS::RDS::DBCluster" => ("DBClusterInstanceClass", "EngineMode"),
        _ => return None,
    };
    if is_set(b, class) {
        Some("a Multi-AZ DB cluster always has instances in three Availability Zones")
    } else if b.get(mode).and_then(Value::as_str) == Some("serverless") {
        Some("Aurora Serverless v1 fails over to another Availability Zone by itself")
    } else {
        None
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
            } else if is_set(b, "snapshot_identifier") || is_set(b, "restore_to_point_in_time") {
                Some(restored)
            } else if is_set(b, "replicate_source_db") {
                Some("it is a replica, encrypted like its source")
            } else {
                None
            }
        }
        "aws_rds_cluster" => {
            if b.get("engine_mode").and_then(Value::as_str) == Some("serverless") {
                Some(serverless)
            } else if is_set(b, "snapshot_identifier")
                || is_set(b, "restore_to_point_in_time")
                || is_set(b, "replication_source_identifier")
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
            .any(|k| is_set(b, k))
            {
                Some(restored)
            } else if is_set(b, "SourceDBInstanceIdentifier")
                || is_set(b, "SourceDBClusterIdentifier")
            {
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
            .any(|k| is_set(b, k))
            {
                Some(cluster_restored)
            } else {
                None
            }
        }
    }
}

/// The DB instances of an Aurora cluster found in its configuration: `aws_rds_cluster_instance`
/// / `AWS::RDS::DBInstance` whose cluster identifier refers to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Members {
    pub count: usize,
    /// A Terraform member evaluated once for an unknown `count` / `for_each` (its plain
    /// address cannot be told from a block without either): the real number is unknown.
    pub uncounted: bool,
}

/// The members of cluster `cluster` (see [`Members`]).
pub fn cluster_members(model: &crate::model::Model<'_>, cluster: crate::graph::ResIdx) -> Members {
    let mut m = Members::default();
    for (rtype, key) in [
        ("aws_rds_cluster_instance", "cluster_identifier"),
        ("AWS::RDS::DBInstance", "DBClusterIdentifier"),
    ] {
        for &i in model.of_type(rtype) {
            let r = model.resource(i);
            let Some(v) = r.body.get(key) else { continue };
            let joins = model
                .graph
                .targets_of(r.scope, v)
                .iter()
                .any(|(t, _)| *t == cluster);
            if !joins {
                continue;
            }
            m.count += 1;
            if r.format == crate::resource::Format::Terraform && !r.address.ends_with(']') {
                m.uncounted = true;
            }
        }
    }
    // Readers added by Application Auto Scaling (`rds:cluster:ReadReplicaCount`) count with
    // their minimum capacity.
    for (rtype, dim, id, min) in [
        (
            "aws_appautoscaling_target",
            "scalable_dimension",
            "resource_id",
            "min_capacity",
        ),
        (
            "AWS::ApplicationAutoScaling::ScalableTarget",
            "ScalableDimension",
            "ResourceId",
            "MinCapacity",
        ),
    ] {
        for &i in model.of_type(rtype) {
            let r = model.resource(i);
            let body = &r.body;
            if body.get(dim).and_then(Value::as_str) != Some("rds:cluster:ReadReplicaCount") {
                continue;
            }
            let Some(target) = body.get(id) else { continue };
            let targets = model.graph.targets_of(r.scope, target);
            // An unresolved target may be this cluster.
            if !targets.is_empty() && !targets.iter().any(|(t, _)| *t == cluster) {
                continue;
            }
            match body.get(min).and_then(Value::as_f64) {
                Some(n) if n >= 0.0 && targets.iter().any(|(t, _)| *t == cluster) => {
                    m.count += n as usize;
                }
                _ => m.uncounted = true,
            }
        }
    }
    m
}
