//! Path normalisation shared by discovery, the module loader and the file registry.

use std::path::{Component, Path, PathBuf};

/// Lexical normalisation: `a/b/../c` → `a/c`, `./x` → `x` (no file system access).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    let p: PathBuf = out.iter().collect();
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::path::Path;

    #[test]
    fn lexical() {
        let n = |p: &str| normalize(Path::new(p)).to_string_lossy().into_owned();
        assert_eq!(n("./x"), "x");
        assert_eq!(n("a/b/../c"), "a/c");
        assert_eq!(n("."), ".");
        assert_eq!(n("./"), ".");
        assert_eq!(n("../shared/x"), "../shared/x");
        assert_eq!(n("/a/../../b"), "/b");
    }
}
