//! ElastiCache replication groups and cache clusters.

crate::resource_model! {
    /// An ElastiCache (Valkey / Redis OSS) replication group.
    pub struct ReplicationGroup {
        terraform: ["aws_elasticache_replication_group"],
        cloudformation: ["AWS::ElastiCache::ReplicationGroup"],
        /// At-rest encryption (default: on for Valkey, off for Redis OSS).
        pub at_rest: bool = ("at_rest_encryption_enabled", "AtRestEncryptionEnabled"),
        /// `redis` (the default) or `valkey`.
        pub engine: String = ("engine", "Engine"),
        /// Joins a global datastore, whose primary decides encryption.
        pub global: crate::model::declare::Set =
            ("global_replication_group_id", "GlobalReplicationGroupId"),
    }
}

crate::resource_model! {
    /// An ElastiCache cache cluster (a single-node Redis OSS cluster when it does not join a
    /// replication group; Memcached).
    pub struct CacheCluster {
        terraform: ["aws_elasticache_cluster"],
        cloudformation: ["AWS::ElastiCache::CacheCluster"],
        /// `memcached`, `redis` or `valkey` (Terraform: required unless it joins a group).
        pub engine: String = ("engine", "Engine"),
        /// Joins a replication group (Terraform only), which decides encryption.
        pub replication_group: crate::model::declare::Set =
            ("replication_group_id", "ReplicationGroupId"),
    }
}
