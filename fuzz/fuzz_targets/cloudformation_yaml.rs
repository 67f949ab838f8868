#![no_main]
//! CloudFormation YAML parser and template loader.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        ftrlint::fuzzing::cloudformation(text, false);
    }
});
