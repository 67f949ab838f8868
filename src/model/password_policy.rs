//! The IAM account password policy (Terraform only: CloudFormation has no resource for it).

crate::resource_model! {
    /// `aws_iam_account_password_policy`: every setting absent means the AWS default (no
    /// character requirements, length 8, no reuse prevention, no expiry).
    pub struct PasswordPolicy {
        terraform: ["aws_iam_account_password_policy"],
        cloudformation: [],
        pub require_uppercase: bool = ("require_uppercase_characters", ""),
        pub require_lowercase: bool = ("require_lowercase_characters", ""),
        pub require_symbols: bool = ("require_symbols", ""),
        pub require_numbers: bool = ("require_numbers", ""),
        pub minimum_length: f64 = ("minimum_password_length", ""),
        pub reuse_prevention: f64 = ("password_reuse_prevention", ""),
        pub max_age: f64 = ("max_password_age", ""),
    }
}
