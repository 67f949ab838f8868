//! FTR-IAM-008: the account password policy must require 14+ characters, prevent reuse of the
//! last 24 passwords and expire passwords within 90 days.
use crate::model::password_policy::PasswordPolicy;
use crate::model::{Attr, Model};
use crate::rules::{Outcomes, Rule};
use crate::source::Span;

pub struct PasswordStrength;

/// One setting's verdict: `Ok(None)` fine, `Ok(Some(problem))` fails, `Err(())` unknown.
fn judge(
    attr: &Attr<f64>,
    ok: impl Fn(f64) -> bool,
    bad: impl Fn(f64) -> String,
    absent: &str,
) -> Result<Option<(Span, String, bool)>, ()> {
    match attr {
        Attr::Known { value, .. } if ok(*value) => Ok(None),
        Attr::Known { value, span, .. } => Ok(Some((*span, bad(*value), false))),
        Attr::Absent { span, .. } => Ok(Some((*span, absent.to_string(), true))),
        Attr::Unknown { .. } | Attr::Empty { .. } | Attr::Branches { .. } => Err(()),
    }
}

impl Rule for PasswordStrength {
    fn id(&self) -> &'static str {
        "FTR-IAM-008"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for p in model.all::<PasswordPolicy>() {
            let checks = [
                judge(
                    &p.minimum_length,
                    |v| v >= 14.0,
                    |v| format!("`minimum_password_length = {v}` is below 14"),
                    "`minimum_password_length` is not set (the provider default is 6; use 14 or more)",
                ),
                judge(
                    &p.reuse_prevention,
                    |v| v >= 24.0,
                    |v| format!("`password_reuse_prevention = {v}` is below 24"),
                    "`password_reuse_prevention` is not set (passwords may be reused; use 24)",
                ),
                judge(
                    &p.max_age,
                    |v| v > 0.0 && v <= 90.0,
                    |v| {
                        if v <= 0.0 {
                            "`max_password_age = 0`: passwords never expire (use 90 or less)"
                                .to_string()
                        } else {
                            format!("`max_password_age = {v}` is above 90 days")
                        }
                    },
                    "`max_password_age` is not set (passwords never expire; use 90 or less)",
                ),
            ];
            let mut absent: Vec<String> = Vec::new();
            let mut header = None;
            let mut failed = false;
            let mut unknown = false;
            for c in checks {
                match c {
                    Ok(None) => {}
                    Ok(Some((span, msg, true))) => {
                        header = Some(span);
                        absent.push(msg);
                    }
                    Ok(Some((span, msg, false))) => {
                        failed = true;
                        out.fail(p.res, span, format!("the password policy is weak: {msg}"));
                    }
                    Err(()) => unknown = true,
                }
            }
            if let Some(span) = header {
                // Missing settings share the resource header: one finding lists them.
                failed = true;
                out.fail(
                    p.res,
                    span,
                    format!("the password policy is weak: {}", absent.join("; ")),
                );
            }
            if !failed {
                if unknown {
                    out.unknown(p.res, "a password policy setting cannot be resolved");
                } else {
                    out.pass(p.res);
                }
            }
        }
    }
}
