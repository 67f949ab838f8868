//! CloudFormation loader (placeholder until the loader lands).
use crate::resource::LoadOutput;
use crate::source::SourceFile;
#[derive(Debug, Clone, Default)]
pub struct CfnOptions {
    pub parameters: std::collections::BTreeMap<String, String>,
}
pub fn load(_file: &SourceFile, _o: &CfnOptions) -> Option<LoadOutput> {
    None
}
