//! Terraform loader (placeholder until the loader lands).
use crate::resource::LoadOutput;
use crate::source::SourceFile;
#[derive(Debug, Clone, Default)]
pub struct TfOptions {
    pub vars: Vec<(String, String)>,
}
pub fn load_module(_dir: &str, _files: &[std::sync::Arc<SourceFile>], _o: &TfOptions) -> LoadOutput {
    LoadOutput::default()
}
