//! OpenSearch Service domains and legacy Elasticsearch Service domains.

crate::resource_model! {
    /// An OpenSearch or Elasticsearch domain.
    pub struct Domain {
        terraform: ["aws_opensearch_domain", "aws_elasticsearch_domain"],
        cloudformation: ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"],
        /// Encryption at rest (off by default).
        pub encrypt_at_rest: bool = ("encrypt_at_rest.enabled", "EncryptionAtRestOptions.Enabled"),
    }
}
