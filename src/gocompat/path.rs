//! Go's `path.Clean` and `path.Join` (identical to `path/filepath` on Unix): lexical
//! processing of `/`-separated paths, no file system access, no symlink resolution.
//! Contact points: [`crate::engine::resolver`] (import paths, go-jsonnet's
//! `filepath.Join` of the importing file's directory), [`crate::tanka`] (`calledFrom`,
//! environment paths, the import graph): [`clean_path`] for `Path`s.

use std::path::{Component, Path, PathBuf};

/// `path.Clean`: the shortest equivalent path — repeated slashes and `.` elements
/// removed, `..` eliminated with the element before it (kept at the start of a
/// relative path, dropped after the root), `.` for an empty result.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_owned(),
        (false, false) => body,
    }
}

/// `path.Join(dir, elem)`: the non-empty ones joined with `/`, then cleaned; empty
/// when both are empty.
pub fn join(dir: &str, elem: &str) -> String {
    match (dir.is_empty(), elem.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(elem),
        (false, true) => clean(dir),
        (false, false) => clean(&format!("{dir}/{elem}")),
    }
}

/// `path.Dir`: everything but the last element, cleaned (`.` when there is none).
pub fn dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".to_owned(),
    }
}

/// `filepath.Clean` of an absolute `Path`, component by component: `.` dropped, `..`
/// removing the element before it (nothing above the root); no symlink resolution.
pub fn clean_path(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gocompat::golden;

    #[test]
    fn clean_as_go() {
        let cases = golden::cases("clean");
        assert!(cases.len() > 20);
        for case in cases {
            let input = golden::field(&case, "in");
            assert_eq!(
                clean(input),
                golden::field(&case, "out"),
                "Clean({input:?})"
            );
        }
    }

    #[test]
    fn join_as_go() {
        let cases = golden::cases("join");
        assert!(cases.len() > 8);
        for case in cases {
            let (d, e) = (golden::field(&case, "dir"), golden::field(&case, "elem"));
            assert_eq!(
                join(d, e),
                golden::field(&case, "out"),
                "Join({d:?}, {e:?})"
            );
        }
    }

    #[test]
    fn import_joins() {
        assert_eq!(join("", "./lib/a.libsonnet"), "lib/a.libsonnet");
        assert_eq!(join("sub", "../lib/a"), "lib/a");
        assert_eq!(join("/abs/lib", "a.libsonnet"), "/abs/lib/a.libsonnet");
        assert_eq!(join("../x", "../../a"), "../../a");
        assert_eq!(join("/", "../a"), "/a");
        assert_eq!(join("", "a/.."), ".");
    }

    #[test]
    fn dir_as_go() {
        assert_eq!(dir("a/b/c.jsonnet"), "a/b");
        assert_eq!(dir("c.jsonnet"), ".");
        assert_eq!(dir("/c.jsonnet"), "/");
        assert_eq!(dir("a//b/"), "a/b");
    }
}
