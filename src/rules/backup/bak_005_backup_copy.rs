//! FTR-BAK-005: AWS Backup plans should copy recovery points to another region or account.
use crate::model::backup::Plan;
use crate::model::{Attr, Model};
use crate::rules::{spelled, Outcomes, Rule, Verdict};

pub struct BackupPlanCopy;

impl Rule for BackupPlanCopy {
    fn id(&self) -> &'static str {
        "FTR-BAK-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for p in model.all::<Plan>() {
            // No rules at all is an invalid plan, not this defect.
            if matches!(p.rule_copies, Attr::Absent { .. }) {
                continue;
            }
            let fix = spelled(
                model,
                p.res,
                "copy_action { destination_vault_arn = <vault in another region or account> }",
                "CopyActions: [{ DestinationBackupVaultArn: <vault in another region or account> }]",
            );
            // One defect per plan: a copy from any of its rules keeps recovery points off-site.
            out.judge(p.res, &p.rule_copies, |a| match a {
                Attr::Known { value: rules, .. } => {
                    if rules.iter().any(|r| matches!(r, Attr::Known { .. })) {
                        Verdict::Pass
                    } else if rules.iter().all(|r| matches!(r, Attr::Absent { .. })) {
                        let span = rules.first().map_or(a.span(), Attr::span);
                        Verdict::fail(
                            span,
                            format!(
                                "no rule of the backup plan copies its recovery points to \
                                 another region or account: a regional outage or a compromised \
                                 account loses every backup; add `{fix}`"
                            ),
                        )
                    } else {
                        Verdict::Unknown("a rule's copy actions cannot be resolved".into())
                    }
                }
                Attr::Absent { .. } => Verdict::Pass,
                Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => {
                    Verdict::Unknown("the plan's rules cannot be resolved statically".into())
                }
            });
        }
    }
}
