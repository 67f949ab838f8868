//! Encryption in transit: load balancer listeners, CloudFront distributions, ElastiCache and
//! OpenSearch transit settings, API Gateway custom domains. (At-rest settings of the same
//! services live in their own models.)

use super::Attr;
use crate::adapt::declarative::path_attr;
use crate::resource::{Format, Resource};
use crate::value::{Kind, Value};

/// Whether a block or property is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Present,
    Absent,
    /// Written but not resolvable (a dynamic block over an unknown collection, an `Fn::If`).
    Unknown,
}

/// What a listener's default actions do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redirect {
    /// A default action redirects to HTTPS.
    Https,
    /// No default action redirects to HTTPS.
    No,
    Unknown,
}

crate::resource_model! {
    /// An Application or Network Load Balancer listener.
    pub struct LbListener {
        terraform: ["aws_lb_listener", "aws_alb_listener"],
        cloudformation: ["AWS::ElasticLoadBalancingV2::Listener"],
        /// HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE (Terraform: HTTP by default on an ALB).
        pub protocol: String = ("protocol", "Protocol"),
        /// The TLS negotiation policy of an HTTPS / TLS listener.
        pub ssl_policy: String = ("ssl_policy", "SslPolicy"),
    }
    derived {
        pub redirect: Redirect = default_redirect,
    }
}

crate::resource_model! {
    /// A Classic Load Balancer.
    pub struct ClassicLb {
        terraform: ["aws_elb"],
        cloudformation: ["AWS::ElasticLoadBalancing::LoadBalancer"],
    }
    derived {
        /// The front-end protocol of each listener (`lb_protocol`, `Protocol`).
        pub listeners: Vec<Attr<String>> = classic_listeners,
    }
}

crate::resource_model! {
    /// A CloudFront distribution.
    pub struct Distribution {
        terraform: ["aws_cloudfront_distribution"],
        cloudformation: ["AWS::CloudFront::Distribution"],
        pub default_viewer_policy: String = (
            "default_cache_behavior.viewer_protocol_policy",
            "DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy"
        ),
        /// The `*.cloudfront.net` certificate (TLSv1 whatever the minimum version says).
        pub default_certificate: bool = (
            "viewer_certificate.cloudfront_default_certificate",
            "DistributionConfig.ViewerCertificate.CloudFrontDefaultCertificate"
        ),
        pub minimum_protocol_version: String = (
            "viewer_certificate.minimum_protocol_version",
            "DistributionConfig.ViewerCertificate.MinimumProtocolVersion"
        ),
    }
    derived {
        /// The viewer protocol policy of each ordered behaviour.
        pub ordered_viewer_policies: Vec<Attr<String>> = ordered_policies,
        pub viewer_certificate: Presence = viewer_certificate,
    }
}

crate::resource_model! {
    /// An ElastiCache replication group or cache cluster.
    pub struct CacheTransit {
        terraform: ["aws_elasticache_replication_group", "aws_elasticache_cluster"],
        cloudformation: ["AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::CacheCluster"],
        /// TLS between clients and nodes (off by default).
        pub transit_encryption: bool = ("transit_encryption_enabled", "TransitEncryptionEnabled"),
        /// `preferred` still accepts plain-text connections (a migration mode).
        pub transit_mode: String = ("transit_encryption_mode", "TransitEncryptionMode"),
    }
    derived {
        /// Why the setting is decided elsewhere (a member of a replication or global group).
        pub inherits: Option<&'static str> = cache_inherits,
    }
}

crate::resource_model! {
    /// An OpenSearch or Elasticsearch domain.
    pub struct SearchDomain {
        terraform: ["aws_opensearch_domain", "aws_elasticsearch_domain"],
        cloudformation: ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"],
        /// Terraform: true by default inside `domain_endpoint_options`; the API default is false.
        pub enforce_https: bool = (
            "domain_endpoint_options.enforce_https",
            "DomainEndpointOptions.EnforceHTTPS"
        ),
        pub tls_security_policy: String = (
            "domain_endpoint_options.tls_security_policy",
            "DomainEndpointOptions.TLSSecurityPolicy"
        ),
        pub node_to_node: bool = (
            "node_to_node_encryption.enabled",
            "NodeToNodeEncryptionOptions.Enabled"
        ),
    }
    derived {
        pub endpoint_options: Presence = endpoint_options,
        /// VPC options: the domain has no public endpoint.
        pub vpc_options: Presence = vpc_options,
    }
}

crate::resource_model! {
    /// An API Gateway REST API custom domain name.
    pub struct RestDomain {
        terraform: ["aws_api_gateway_domain_name"],
        cloudformation: ["AWS::ApiGateway::DomainName", "AWS::ApiGateway::DomainNameV2"],
        /// `TLS_1_0` when not set (the API default), `TLS_1_2`, or an enhanced policy.
        pub security_policy: String = ("security_policy", "SecurityPolicy"),
    }
}

crate::resource_model! {
    /// An API Gateway v2 (HTTP / WebSocket) custom domain name.
    pub struct HttpDomain {
        terraform: ["aws_apigatewayv2_domain_name"],
        cloudformation: ["AWS::ApiGatewayV2::DomainName"],
        pub security_policy: String = (
            "domain_name_configuration.security_policy",
            "DomainNameConfigurations.SecurityPolicy"
        ),
    }
}

fn by_format<'a>(r: &Resource, terraform: &'a str, cloudformation: &'a str) -> &'a str {
    match r.format {
        Format::Terraform => terraform,
        Format::CloudFormation => cloudformation,
    }
}

fn presence(r: &Resource, terraform: &str, cloudformation: &str) -> Presence {
    match r.body.get(by_format(r, terraform, cloudformation)) {
        None => Presence::Absent,
        Some(v) => match &v.kind {
            Kind::Null => Presence::Absent,
            Kind::List(items) if items.is_empty() => Presence::Absent,
            Kind::List(_) | Kind::Map(_) if v.alternatives().is_none() => Presence::Present,
            _ => Presence::Unknown,
        },
    }
}

fn endpoint_options(r: &Resource) -> Presence {
    presence(r, "domain_endpoint_options", "DomainEndpointOptions")
}

fn vpc_options(r: &Resource) -> Presence {
    presence(r, "vpc_options", "VPCOptions")
}

fn viewer_certificate(r: &Resource) -> Presence {
    match r.format {
        Format::Terraform => presence(r, "viewer_certificate", ""),
        Format::CloudFormation => match r.body.get("DistributionConfig") {
            None => Presence::Absent,
            Some(dc) if dc.as_map().is_none() => Presence::Unknown,
            Some(dc) => match dc.get("ViewerCertificate") {
                None => Presence::Absent,
                Some(v) if v.as_map().is_some() => Presence::Present,
                Some(v) if matches!(v.kind, Kind::Null) => Presence::Absent,
                Some(_) => Presence::Unknown,
            },
        },
    }
}

/// The items of a list property or repeated block; `None` when it cannot be resolved.
fn items(v: Option<&Value>) -> Option<Vec<&Value>> {
    match v {
        None => Some(Vec::new()),
        Some(v) => match &v.kind {
            Kind::Null => Some(Vec::new()),
            Kind::List(items) => Some(items.iter().collect()),
            Kind::Map(_) => Some(vec![v]),
            _ => None,
        },
    }
}

fn ordered_policies(r: &Resource) -> Vec<Attr<String>> {
    let (list, key) = match r.format {
        Format::Terraform => (
            r.body.get("ordered_cache_behavior"),
            "viewer_protocol_policy",
        ),
        Format::CloudFormation => (
            r.body.path(&["DistributionConfig", "CacheBehaviors"]),
            "ViewerProtocolPolicy",
        ),
    };
    match items(list) {
        Some(items) => items
            .into_iter()
            .map(|b| path_attr::<String>(b, key, b.span))
            .collect(),
        None => vec![Attr::Unknown {
            span: list.map_or(r.span, |v| v.span),
        }],
    }
}

fn classic_listeners(r: &Resource) -> Vec<Attr<String>> {
    let (list, key) = match r.format {
        Format::Terraform => (r.body.get("listener"), "lb_protocol"),
        Format::CloudFormation => (r.body.get("Listeners"), "Protocol"),
    };
    match items(list) {
        Some(items) => items
            .into_iter()
            .map(|l| path_attr::<String>(l, key, l.span))
            .collect(),
        None => vec![Attr::Unknown {
            span: list.map_or(r.span, |v| v.span),
        }],
    }
}

fn default_redirect(r: &Resource) -> Redirect {
    let (list, type_key, protocol_path) = match r.format {
        Format::Terraform => (
            r.body.get("default_action"),
            "type",
            &["redirect", "protocol"][..],
        ),
        Format::CloudFormation => (
            r.body.get("DefaultActions"),
            "Type",
            &["RedirectConfig", "Protocol"][..],
        ),
    };
    let Some(actions) = items(list) else {
        return Redirect::Unknown;
    };
    let mut unknown = false;
    for a in actions {
        let Some(t) = a.get(type_key) else {
            continue;
        };
        match t.as_str() {
            Some(t) if t.eq_ignore_ascii_case("redirect") => {}
            Some(_) => continue,
            None => {
                unknown = true;
                continue;
            }
        }
        // Terraform's `redirect` is a block (a list of one map).
        let mut cur = Some(a);
        for key in protocol_path {
            cur = cur.and_then(|v| match &v.kind {
                Kind::List(items) if items.len() == 1 => items[0].get(key),
                _ => v.get(key),
            });
        }
        match cur {
            // Absent: `#{protocol}`, the request's own protocol.
            None => {}
            Some(p) => match p.as_str() {
                Some(p) if p.eq_ignore_ascii_case("https") => return Redirect::Https,
                Some(_) => {}
                None => unknown = true,
            },
        }
    }
    if unknown {
        Redirect::Unknown
    } else {
        Redirect::No
    }
}

fn set(body: &Value, key: &str) -> bool {
    body.get(key)
        .is_some_and(|v| !matches!(v.kind, Kind::Null) && v.as_str() != Some(""))
}

fn cache_inherits(r: &Resource) -> Option<&'static str> {
    match r.rtype.as_str() {
        "aws_elasticache_cluster" if set(&r.body, "replication_group_id") => {
            Some("it is a member of a replication group, whose setting applies")
        }
        "aws_elasticache_replication_group" if set(&r.body, "global_replication_group_id") => {
            Some("it joins a global datastore, whose setting applies")
        }
        _ => None,
    }
}
