//! FTR-ENC-007: ElastiCache (Valkey / Redis OSS) data must be encrypted at rest.
use crate::model::elasticache::{CacheCluster, ReplicationGroup};
use crate::model::{Attr, Model};
use crate::rules::{given, spelled, Outcomes, Rule, Verdict};

pub struct ElastiCacheAtRest;

impl Rule for ElastiCacheAtRest {
    fn id(&self) -> &'static str {
        "FTR-ENC-007"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for g in model.all::<ReplicationGroup>() {
            // A secondary of a global datastore is encrypted like its primary.
            if given(&g.global) == Some(true) {
                continue;
            }
            let fix = spelled(
                model,
                g.res,
                "at_rest_encryption_enabled = true",
                "AtRestEncryptionEnabled: true",
            );
            // Absent: on for Valkey, off for Redis OSS (the default engine).
            let engine_default = match &g.engine {
                Attr::Known { value, .. } => Some(!value.eq_ignore_ascii_case("valkey")),
                Attr::Absent { .. } => Some(true),
                _ => None,
            };
            out.judge(g.res, &g.at_rest, |a| match a {
                Attr::Known { value: true, .. } => Verdict::Pass,
                Attr::Known { span, .. } => Verdict::fail(
                    *span,
                    "the ElastiCache replication group is not encrypted at rest",
                ),
                Attr::Absent { span, .. } => match engine_default {
                    Some(true) => Verdict::fail(
                        *span,
                        format!(
                            "the ElastiCache replication group is not encrypted at rest (the \
                             default for Redis OSS; Valkey is encrypted by default): set `{fix}`"
                        ),
                    ),
                    Some(false) => Verdict::Pass,
                    None => Verdict::Unknown("the engine cannot be resolved statically".into()),
                },
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the value cannot be resolved statically".into())
                }
            });
        }
        for c in model.all::<CacheCluster>() {
            // A member of a replication group is encrypted (or not) by its group.
            if given(&c.replication_group) == Some(true) {
                continue;
            }
            match &c.engine {
                Attr::Known { value, span, .. } if value.eq_ignore_ascii_case("redis") => {
                    out.fail(
                        c.res,
                        *span,
                        "a standalone Redis OSS cache cluster cannot be encrypted at rest: use a \
                         replication group with at-rest encryption",
                    )
                }
                Attr::Unknown { .. } | Attr::Branches { .. } => {
                    out.unknown(c.res, "the engine cannot be resolved statically")
                }
                // Memcached has no at-rest encryption setting (it keeps no data on disk).
                _ => {}
            }
        }
    }
}
