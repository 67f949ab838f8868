#![no_main]
//! IAM policy document parser (a policy given as a JSON string).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        ftrlint::fuzzing::iam_policy(text);
    }
});
