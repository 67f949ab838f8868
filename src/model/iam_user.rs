//! IAM user credentials: access keys and console passwords.

crate::resource_model! {
    /// A long-lived access key.
    pub struct AccessKey {
        terraform: ["aws_iam_access_key"],
        cloudformation: ["AWS::IAM::AccessKey"],
        /// `Active` (the default) or `Inactive`.
        pub status: String = ("status", "Status"),
    }
}

crate::resource_model! {
    /// A user and its console password: Terraform `aws_iam_user` (never has one itself) and
    /// `aws_iam_user_login_profile` (the password; its `user` is always set), a CloudFormation
    /// user's `LoginProfile`.
    pub struct ConsoleLogin {
        terraform: ["aws_iam_user", "aws_iam_user_login_profile"],
        cloudformation: ["AWS::IAM::User"],
        pub login_profile: crate::model::declare::Set = ("user", "LoginProfile"),
    }
}
