//! FTR-CT-001: a trail must record every region.
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct MultiRegion;

impl Rule for MultiRegion {
    fn id(&self) -> &'static str {
        "FTR-CT-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in &model.trails {
            out.require_true(
                t.res,
                &t.multi_region,
                true,
                "the trail records only its own region: set it to multi-region",
                &format!(
                    "the trail is single-region (the default): set `{}`",
                    spelled(
                        model,
                        t.res,
                        "is_multi_region_trail = true",
                        "IsMultiRegionTrail: true"
                    )
                ),
            );
        }
    }
}
