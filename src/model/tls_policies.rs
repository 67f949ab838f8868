//! Names of the AWS TLS negotiation policies, by the oldest TLS version each accepts: data, kept
//! apart from the rules that read it.
//!
//! Elastic Load Balancing: the tables of "Security policies for your Application Load Balancer"
//! and "Security policies for your Network Load Balancer" (Elastic Load Balancing User Guide,
//! as published in November 2025, with the 2025-09 post-quantum policies), and the predefined
//! Classic Load Balancer policies. A name in neither list (a policy published later, a typo) is
//! not judged.

/// ELB policies that accept TLS 1.0 or 1.1 (or SSLv3).
pub const ELB_BELOW_TLS_1_2: &[&str] = &[
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-TLS-1-0-2015-04",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-FS-1-1-2019-08",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-1-PQ-2025-09",
    // Classic Load Balancer only.
    "ELBSecurityPolicy-2015-03",
    "ELBSecurityPolicy-2015-02",
    "ELBSecurityPolicy-2014-10",
    "ELBSecurityPolicy-2014-01",
    "ELBSecurityPolicy-2011-08",
    "ELBSample-ELBDefaultCipherPolicy",
    "ELBSample-OpenSSLDefaultCipherPolicy",
];

/// ELB policies whose oldest protocol is TLS 1.2 or 1.3.
pub const ELB_TLS_1_2_OR_LATER: &[&str] = &[
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
];

/// The policy an HTTPS or TLS listener gets when none is named through the API, CloudFormation
/// or Terraform (the console picks a TLS 1.2 policy).
pub const ELB_API_DEFAULT: &str = "ELBSecurityPolicy-2016-08";

/// Whether an ELB policy accepts a protocol older than TLS 1.2 (`None`: not a known name).
pub fn elb_allows_below_tls_1_2(name: &str) -> Option<bool> {
    if ELB_BELOW_TLS_1_2.contains(&name) {
        Some(true)
    } else if ELB_TLS_1_2_OR_LATER.contains(&name) {
        Some(false)
    } else {
        None
    }
}

/// CloudFront viewer `minimum_protocol_version` values below TLS 1.2.
pub const CLOUDFRONT_BELOW_TLS_1_2: &[&str] = &["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"];

/// Whether a CloudFront minimum protocol version accepts a protocol older than TLS 1.2.
pub fn cloudfront_allows_below_tls_1_2(version: &str) -> Option<bool> {
    if CLOUDFRONT_BELOW_TLS_1_2.contains(&version) {
        Some(true)
    } else if version.starts_with("TLSv1.2_") || version.starts_with("TLSv1.3") {
        Some(false)
    } else {
        None
    }
}

/// Whether an OpenSearch `TLSSecurityPolicy` accepts TLS 1.0 / 1.1.
pub fn opensearch_allows_below_tls_1_2(policy: &str) -> Option<bool> {
    if policy == "Policy-Min-TLS-1-0-2019-07" {
        Some(true)
    } else if policy.starts_with("Policy-Min-TLS-1-2") {
        Some(false)
    } else {
        None
    }
}

/// Whether an API Gateway domain `securityPolicy` accepts TLS 1.0 / 1.1: the legacy `TLS_1_0`
/// and `TLS_1_2`, and the enhanced `SecurityPolicy_TLS13_…` / `SecurityPolicy_TLS12_…` names
/// (whose minimum is TLS 1.2 or 1.3) are known.
pub fn apigateway_allows_below_tls_1_2(policy: &str) -> Option<bool> {
    if policy == "TLS_1_0" {
        Some(true)
    } else if policy == "TLS_1_2"
        || policy.starts_with("SecurityPolicy_TLS13_")
        || policy.starts_with("SecurityPolicy_TLS12_")
    {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_disjoint_and_the_default_is_weak() {
        for p in ELB_BELOW_TLS_1_2 {
            assert!(!ELB_TLS_1_2_OR_LATER.contains(p), "{p} in both lists");
        }
        assert_eq!(elb_allows_below_tls_1_2(ELB_API_DEFAULT), Some(true));
        assert_eq!(
            elb_allows_below_tls_1_2("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            Some(false)
        );
        assert_eq!(elb_allows_below_tls_1_2("ELBSecurityPolicy-Future"), None);
        assert_eq!(cloudfront_allows_below_tls_1_2("TLSv1.2_2021"), Some(false));
        assert_eq!(cloudfront_allows_below_tls_1_2("TLSv1.1_2016"), Some(true));
        assert_eq!(
            opensearch_allows_below_tls_1_2("Policy-Min-TLS-1-2-PFS-2023-10"),
            Some(false)
        );
        assert_eq!(apigateway_allows_below_tls_1_2("TLS_1_0"), Some(true));
    }
}
