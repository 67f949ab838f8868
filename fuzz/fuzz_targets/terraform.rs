#![no_main]
//! HCL front end and evaluator (first byte chooses native or JSON syntax).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    if let Ok(text) = std::str::from_utf8(rest) {
        ftrlint::fuzzing::terraform(text, mode & 1 == 1);
    }
});
