//! Redshift provisioned clusters.

crate::resource_model! {
    /// A Redshift cluster.
    pub struct Cluster {
        terraform: ["aws_redshift_cluster"],
        cloudformation: ["AWS::Redshift::Cluster"],
        /// Encryption at rest: new clusters are encrypted by default since January 2025, so
        /// only an explicit `false` leaves one unencrypted.
        pub encrypted: bool = ("encrypted", "Encrypted"),
    }
}
