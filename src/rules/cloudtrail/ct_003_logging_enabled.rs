//! FTR-CT-003: a trail must not be created with logging stopped.
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct LoggingEnabled;

impl Rule for LoggingEnabled {
    fn id(&self) -> &'static str {
        "FTR-CT-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in &model.trails {
            out.require_true(
                t.res,
                &t.logging,
                false,
                "the trail is created with logging stopped: no API activity is recorded",
                "",
            );
        }
    }
}
