//! EKS clusters.

use crate::model::declare::{FieldType, Set};
use crate::value::{Kind, Value};

crate::resource_model! {
    /// An EKS cluster.
    pub struct Cluster {
        terraform: ["aws_eks_cluster"],
        cloudformation: ["AWS::EKS::Cluster"],
        /// Kubernetes version (absent: the current default, which is above 1.28).
        pub version: KubeVersion = ("version", "Version"),
        /// Envelope encryption of secrets with a KMS key.
        pub encryption_config: Set = ("encryption_config", "EncryptionConfig"),
    }
}

/// A Kubernetes `major.minor` version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubeVersion {
    pub major: u32,
    pub minor: u32,
}

impl std::fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl KubeVersion {
    fn parse(s: &str) -> Option<Self> {
        let (major, minor) = s.trim().split_once('.')?;
        let minor = minor.split('.').next()?;
        Some(KubeVersion {
            major: major.parse().ok()?,
            minor: minor.parse().ok()?,
        })
    }
}

impl FieldType for KubeVersion {
    fn convert(v: &Value) -> Option<Self> {
        match &v.kind {
            Kind::String(s) => Self::parse(s),
            // An unquoted YAML `1.30` is the number 1.3: a one-digit minor is ambiguous.
            Kind::Number(n) => {
                let text = n.to_string();
                let minor_digits = text.split_once('.').map_or(0, |(_, m)| m.len());
                (minor_digits == 2).then(|| Self::parse(&text)).flatten()
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    fn sp() -> Span {
        Span {
            file: FileId(0),
            start: 0,
            end: 1,
        }
    }

    #[test]
    fn versions_from_strings_and_unambiguous_numbers() {
        let v = |s: &str| KubeVersion::convert(&Value::string(s, sp()));
        assert_eq!(
            v("1.27"),
            Some(KubeVersion {
                major: 1,
                minor: 27
            })
        );
        assert_eq!(
            v("1.30"),
            Some(KubeVersion {
                major: 1,
                minor: 30
            })
        );
        assert_eq!(v("latest"), None);
        let n = |x: f64| KubeVersion::convert(&Value::new(Kind::Number(x), sp()));
        assert_eq!(
            n(1.27),
            Some(KubeVersion {
                major: 1,
                minor: 27
            })
        );
        // `1.30` written unquoted in YAML reads as 1.3: not known.
        assert_eq!(n(1.3), None);
    }
}
