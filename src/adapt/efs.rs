//! EFS: `aws_efs_file_system`, `AWS::EFS::FileSystem`.

use super::{bool_attr, of_types};
use crate::model::efs::FileSystem;
use crate::model::Model;
use crate::resource::Format;

pub(super) fn adapt(model: &mut Model<'_>) {
    model.file_systems = of_types(
        model.resources,
        &["aws_efs_file_system", "AWS::EFS::FileSystem"],
    )
    .map(|(i, r)| {
        let key = match r.format {
            Format::Terraform => "encrypted",
            Format::CloudFormation => "Encrypted",
        };
        FileSystem {
            res: i,
            encrypted: bool_attr(&r.body, key, r.span),
        }
    })
    .collect();
}
