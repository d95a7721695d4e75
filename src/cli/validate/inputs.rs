//! The inputs of `gwsonnet validate`, as its command line names them: files (read by
//! their extension), folders (the `.yaml`, `.yml`, `.json` and `.jsonnet` files in
//! them; with `-R/--recursive` those of their subfolders too) and `-` (a YAML or JSON
//! stream on standard input).
//!
//! A folder is read in the order of its names, as kubeconform and `kubectl -f DIR`
//! walk one. Left out: hidden files and folders (`.git`), jsonnet-bundler's own files
//! (`jsonnetfile.json`, `jsonnetfile.lock.json`, and the `vendor` folder beside them:
//! libraries, never inputs), and symbolic links to folders (a walk never loops). A
//! folder that cannot be read, or that holds no input at all, is a failed input: it
//! is reported as one and the other inputs are still read.
//!
//! Contact points: [`super::run`] reads each [`Source`] in turn and reports a failed
//! one as an error of that input.

use std::{
    fs, io,
    path::{Path, PathBuf},
};

use crate::error::Error;

/// The extensions of the files a folder gives as inputs.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json", "jsonnet"];

/// jsonnet-bundler's files, which a folder never gives as inputs.
const BUNDLER_FILES: &[&str] = &["jsonnetfile.json", "jsonnetfile.lock.json"];

/// One input of `validate`.
#[derive(Debug)]
pub enum Source {
    /// A file named on the command line or found in a folder: a Jsonnet program, or a
    /// manifest by its extension (whether it can be read is found when it is read).
    File(PathBuf),
    /// `-`: standard input, a YAML or JSON stream.
    Stdin,
    /// A folder that could not be read, or that holds no input: its name and why.
    Failed(String, Error),
}

/// The inputs `args` name, in order: each folder replaced by the files in it
/// (`recursive`: and in its subfolders).
pub fn sources(args: &[PathBuf], recursive: bool) -> Vec<Source> {
    let mut out = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            out.push(Source::Stdin);
            continue;
        }
        // A link to a folder named on the command line is followed.
        if !fs::metadata(arg).is_ok_and(|m| m.is_dir()) {
            out.push(Source::File(arg.clone()));
            continue;
        }
        let before = out.len();
        let mut subfolders = false;
        walk(arg, recursive, &mut out, &mut subfolders);
        if out.len() == before {
            let why = if subfolders {
                "no .yaml, .yml, .json or .jsonnet file in it (-R/--recursive reads its subfolders)"
            } else {
                "no .yaml, .yml, .json or .jsonnet file in it"
            };
            out.push(failed(arg, io::Error::new(io::ErrorKind::NotFound, why)));
        }
    }
    out
}

/// The failed input `folder`, which could not be read for `why`.
fn failed(folder: &Path, why: io::Error) -> Source {
    Source::Failed(
        folder.display().to_string(),
        Error::io("reading folder", folder, why),
    )
}

/// Pushes the inputs of `folder` to `out`, in the order of their names; notes in
/// `subfolders` a subfolder left out because the walk is not `recursive`.
fn walk(folder: &Path, recursive: bool, out: &mut Vec<Source>, subfolders: &mut bool) {
    let entries = match fs::read_dir(folder).and_then(|d| d.collect::<Result<Vec<_>, _>>()) {
        Ok(entries) => entries,
        Err(e) => return out.push(failed(folder, e)),
    };
    let mut entries: Vec<(std::ffi::OsString, fs::DirEntry)> =
        entries.into_iter().map(|e| (e.file_name(), e)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let bundled = entries
        .iter()
        .any(|(name, _)| BUNDLER_FILES.iter().any(|f| name == f));
    for (name, entry) in entries {
        let text = name.to_string_lossy();
        if text.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // `file_type` does not follow links: a link to a folder is not walked.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            *subfolders = true;
            if recursive && !(bundled && text == "vendor") {
                walk(&path, recursive, out, subfolders);
            }
            continue;
        }
        let input = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
            && !BUNDLER_FILES.contains(&&*text)
            && !fs::metadata(&path).is_ok_and(|m| m.is_dir());
        if input {
            out.push(Source::File(path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the inputs, relative to `root`, failed ones marked.
    fn names(root: &Path, sources: &[Source]) -> Vec<String> {
        sources
            .iter()
            .map(|s| match s {
                Source::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
                Source::Stdin => "-".into(),
                Source::Failed(name, e) => format!("failed {name}: {}", e.render().trim_end()),
            })
            .collect()
    }

    #[test]
    fn folders_give_their_manifests_and_programs_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "b.yaml",
            "a.json",
            "c.jsonnet",
            "d.libsonnet",
            "notes.txt",
            ".hidden.yaml",
            "jsonnetfile.json",
            "sub/e.yml",
            "sub/deeper/f.yaml",
            "vendor/lib/g.jsonnet",
            ".git/h.yaml",
        ] {
            let path = root.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "{}").unwrap();
        }
        fs::create_dir(root.join("empty")).unwrap();
        std::os::unix::fs::symlink(root.join("sub"), root.join("link")).unwrap();
        let args = [root.to_path_buf(), PathBuf::from("-")];
        assert_eq!(
            names(root, &sources(&args, false)),
            ["a.json", "b.yaml", "c.jsonnet", "-"]
        );
        // Recursive: subfolders in name order, not the vendor folder beside
        // jsonnetfile.json, nor the link to a folder.
        assert_eq!(
            names(root, &sources(&args, true)),
            [
                "a.json",
                "b.yaml",
                "c.jsonnet",
                "sub/deeper/f.yaml",
                "sub/e.yml",
                "-"
            ]
        );
        // A vendor folder without jsonnetfile.json is walked like any other.
        fs::remove_file(root.join("jsonnetfile.json")).unwrap();
        assert!(names(root, &sources(&args, true)).contains(&"vendor/lib/g.jsonnet".into()));
        // A folder with no input is a failed input; a file is taken as named.
        let empty = root.join("empty");
        let sub = root.join("sub");
        let failed = sources(&[empty.clone(), sub, root.join("x.txt")], false);
        assert_eq!(
            names(root, &failed),
            [
                format!(
                    "failed {}: ERROR: reading folder {}: no .yaml, .yml, .json or .jsonnet file in it",
                    empty.display(),
                    empty.display()
                ),
                "sub/e.yml".into(),
                "x.txt".into(),
            ]
        );
        let nested = root.join("nested");
        fs::create_dir_all(nested.join("inner")).unwrap();
        fs::write(nested.join("inner/a.yaml"), "{}").unwrap();
        let text = names(root, &sources(std::slice::from_ref(&nested), false)).join("\n");
        assert!(
            text.ends_with("(-R/--recursive reads its subfolders)"),
            "{text}"
        );
    }
}
