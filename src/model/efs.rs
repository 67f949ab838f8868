//! EFS file systems.

crate::resource_model! {
    /// An EFS file system.
    pub struct FileSystem {
        terraform: ["aws_efs_file_system"],
        cloudformation: ["AWS::EFS::FileSystem"],
        /// Encryption at rest (off by default).
        pub encrypted: bool = ("encrypted", "Encrypted"),
    }
}
