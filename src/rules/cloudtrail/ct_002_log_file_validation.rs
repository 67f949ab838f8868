//! FTR-CT-002: log file integrity validation must be on.
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

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
                &format!(
                    "log file integrity validation is off (the default): set `{}`",
                    spelled(
                        model,
                        t.res,
                        "enable_log_file_validation = true",
                        "EnableLogFileValidation: true"
                    )
                ),
            );
        }
    }
}
