//! FTR-CT-002: log file integrity validation must be on.
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct LogFileValidation;

impl Rule for LogFileValidation {
    fn id(&self) -> &'static str {
        "FTR-CT-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in &model.trails {
            out.require_true(
                t.res,
                &t.log_file_validation,
                true,
                "log file integrity validation is turned off",
                "log file integrity validation is off (the default): set `enable_log_file_validation = true` / `EnableLogFileValidation: true`",
            );
        }
    }
}
