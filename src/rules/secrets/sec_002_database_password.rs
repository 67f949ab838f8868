//! FTR-SEC-002: database and cache passwords are not literals in code (Secrets Manager:
//! `manage_master_user_password`, `{{resolve:secretsmanager:…}}`).
use super::{at_path, literal, Literal};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct DatabasePassword;

/// Resource type → the attributes holding a password or auth token.
const PASSWORDS: &[(&str, &[&str])] = &[
    ("aws_db_instance", &["password", "password_wo"]),
    ("aws_rds_cluster", &["master_password", "master_password_wo"]),
    ("aws_docdb_cluster", &["master_password"]),
    ("aws_neptune_cluster", &["master_password"]),
    ("aws_redshift_cluster", &["master_password"]),
    ("aws_redshiftserverless_namespace", &["admin_user_password"]),
    ("aws_elasticache_replication_group", &["auth_token"]),
    ("aws_elasticache_user", &["passwords"]),
    ("aws_memorydb_user", &["authentication_mode.passwords"]),
    ("AWS::RDS::DBInstance", &["MasterUserPassword"]),
    ("AWS::RDS::DBCluster", &["MasterUserPassword"]),
    ("AWS::DocDB::DBCluster", &["MasterUserPassword"]),
    ("AWS::Redshift::Cluster", &["MasterUserPassword"]),
    ("AWS::RedshiftServerless::Namespace", &["AdminUserPassword"]),
    ("AWS::ElastiCache::ReplicationGroup", &["AuthToken"]),
    ("AWS::ElastiCache::User", &["Passwords"]),
    ("AWS::MemoryDB::User", &["AuthenticationMode.Passwords"]),
];

impl Rule for DatabasePassword {
    fn id(&self) -> &'static str {
        "FTR-SEC-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for (rtype, paths) in PASSWORDS {
            for &i in model.of_type(rtype) {
                let r = model.resource(i);
                let mut failed = false;
                let mut unknown = false;
                for path in *paths {
                    let Some(e) = at_path(&r.body, path) else {
                        continue;
                    };
                    match literal(&e.value) {
                        Literal::Secret(spans) => {
                            failed = true;
                            let name = path.rsplit('.').next().unwrap_or(path);
                            out.fail_secret(
                                i,
                                e.key_span,
                                format!(
                                    "the password `{name}` is a literal in the code (readable by anyone with the repository): {}",
                                    spelled(
                                        model,
                                        i,
                                        "read it from Secrets Manager (for RDS, `manage_master_user_password = true`)",
                                        "use `{{resolve:secretsmanager:…}}` (for RDS, `ManageMasterUserPassword: true`)"
                                    )
                                ),
                                spans,
                            );
                        }
                        Literal::Unknown => unknown = true,
                        Literal::No => {}
                    }
                }
                if !failed {
                    if unknown {
                        out.unknown(i, "the password cannot be resolved");
                    } else {
                        out.pass(i);
                    }
                }
            }
        }
    }
}
