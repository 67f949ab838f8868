//! RDS: `aws_db_instance`, `aws_rds_cluster`; `AWS::RDS::DBInstance`, `AWS::RDS::DBCluster`.

use super::{bool_attr, of_types};
use crate::model::rds::{Database, DbKind};
use crate::model::Model;
use crate::value::{Kind, Value};

fn set(body: &Value, key: &str) -> bool {
    body.get(key)
        .is_some_and(|v| !matches!(v.kind, Kind::Null) && v.as_str() != Some(""))
}

pub(super) fn adapt(model: &mut Model<'_>) {
    let mut out = Vec::new();
    for (i, r) in of_types(
        model.resources,
        &[
            "aws_db_instance",
            "aws_rds_cluster",
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBCluster",
        ],
    ) {
        let b = &r.body;
        let (kind, key, inherits) = match r.rtype.as_str() {
            "aws_db_instance" => (
                DbKind::Instance,
                "storage_encrypted",
                if set(b, "cluster_identifier") {
                    Some("it joins a cluster, whose setting applies")
                } else if set(b, "snapshot_identifier") || set(b, "restore_to_point_in_time") {
                    Some("it is restored from a snapshot or backup, whose encryption it keeps")
                } else if set(b, "replicate_source_db") {
                    Some("it is a replica, encrypted like its source")
                } else {
                    None
                },
            ),
            "aws_rds_cluster" => (
                DbKind::Cluster,
                "storage_encrypted",
                if b.get("engine_mode").and_then(Value::as_str) == Some("serverless") {
                    Some("Aurora Serverless v1 clusters are always encrypted")
                } else if set(b, "snapshot_identifier")
                    || set(b, "restore_to_point_in_time")
                    || set(b, "replication_source_identifier")
                {
                    Some("it is restored or replicated from a source whose encryption it keeps")
                } else {
                    None
                },
            ),
            "AWS::RDS::DBInstance" => (
                DbKind::Instance,
                "StorageEncrypted",
                if set(b, "DBClusterIdentifier") {
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
                    Some("it is restored from a snapshot or backup, whose encryption it keeps")
                } else if set(b, "SourceDBInstanceIdentifier")
                    || set(b, "SourceDBClusterIdentifier")
                {
                    Some("it is a replica, encrypted like its source")
                } else {
                    None
                },
            ),
            _ => (
                DbKind::Cluster,
                "StorageEncrypted",
                if b.get("EngineMode").and_then(Value::as_str) == Some("serverless") {
                    Some("Aurora Serverless v1 clusters are always encrypted")
                } else if [
                    "SnapshotIdentifier",
                    "SourceDBClusterIdentifier",
                    "ReplicationSourceIdentifier",
                    "RestoreType",
                ]
                .iter()
                .any(|k| set(b, k))
                {
                    Some("it is restored or replicated from a source whose encryption it keeps")
                } else {
                    None
                },
            ),
        };
        out.push(Database {
            res: i,
            kind,
            storage_encrypted: bool_attr(b, key, r.span),
            inherits,
        });
    }
    model.databases = out;
}
