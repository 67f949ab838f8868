#![no_main]
//! A whole scan of one file, as the command line runs it (first byte chooses the file name;
//! the rest are the raw bytes, not necessarily UTF-8).
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const NAMES: [&str; 4] = ["main.tf", "main.tf.json", "template.yaml", "template.json"];

fn dir() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("ftrlint-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let name = NAMES[usize::from(mode) % NAMES.len()];
    // One file per directory at a time: the previous input's file must not be scanned too.
    for n in NAMES {
        let _ = std::fs::remove_file(dir().join(n));
    }
    let _ = ftrlint::fuzzing::scan_one_file(dir(), name, rest);
});
