//! EFS file systems.

use super::Attr;
use crate::graph::ResIdx;

#[derive(Debug, Clone)]
pub struct FileSystem {
    pub res: ResIdx,
    pub encrypted: Attr<bool>,
}
