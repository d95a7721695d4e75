//! `--crd-library FILE`: a library config in the shape jsonnet-libs/k8s's generator
//! reads for each library, with local CRD paths:
//!
//! ```yaml
//! repository: github.com/jsonnet-libs/metallb-libsonnet
//! specs:
//!   - output: "0.14"
//!     prefix: ^io\.metallb\..*
//!     localName: metallb
//!     crds: [crds/0.14/metallb.io_bgppeers.yaml, crds/0.14]   # files or folders
//! ```
//!
//! `crds` entries are relative to the config file; URLs are refused (download them). Every
//! key is required and no other key is accepted; each mistake is an error at its line.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::{at, yaml, yaml::Node};
use crate::error::{Error, LibraryProblem};

/// A read config.
pub struct Config {
    /// `repository`.
    pub repository: String,
    /// `specs[]`.
    pub specs: Vec<Spec>,
}

/// One `specs[]` entry: one library.
pub struct Spec {
    /// `output`: the library's directory in the repository.
    pub output: String,
    /// `prefix`: definition names kept.
    pub prefix: Regex,
    /// `localName`: docsonnet's package name.
    pub local_name: String,
    /// `crds`: resolved paths, with the line of each entry.
    pub crds: Vec<(PathBuf, usize)>,
}

/// Checks that `node` is a mapping with exactly the keys `keys`.
fn check_keys(
    file: &Path,
    node: &Node,
    what: &str,
    keys: &'static [&'static str],
) -> Result<(), Error> {
    let Some(entries) = node.as_map() else {
        return Err(at(
            file,
            node.line,
            LibraryProblem::NotAMapping(what.to_owned()),
        ));
    };
    for (k, v) in entries {
        if !keys.contains(&k.as_str()) {
            let problem = LibraryProblem::UnknownKey {
                key: k.clone(),
                part: what.to_owned(),
                known: keys,
            };
            return Err(at(file, v.line, problem));
        }
    }
    for k in keys {
        if node.get(k).is_none() {
            let problem = LibraryProblem::MissingKey {
                part: what.to_owned(),
                key: k,
            };
            return Err(at(file, node.line, problem));
        }
    }
    Ok(())
}

/// A string value, or an error naming `what`.
fn string<'n>(file: &Path, node: &'n Node, key: &str, what: &str) -> Result<&'n str, Error> {
    let v = node.get(key).expect("checked by check_keys");
    match &v.value {
        yaml::Value::Str(s) => Ok(s),
        _ => Err(at(
            file,
            v.line,
            LibraryProblem::NotAString {
                part: what.to_owned(),
                key: key.to_owned(),
            },
        )),
    }
}

/// Reads and checks the config `file`.
///
/// # Errors
/// Unreadable file, YAML syntax, missing or unknown keys, wrong types, a bad prefix, a
/// `crds` URL or missing path.
pub fn read(file: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io("reading", file, e))?;
    let docs =
        yaml::parse_stream(&text).map_err(|e| at(file, e.line, LibraryProblem::Yaml(e.message)))?;
    let [root] = docs.as_slice() else {
        return Err(at(file, 1, LibraryProblem::NotOneDocument));
    };
    check_keys(file, root, "the config", &["repository", "specs"])?;
    let repository = string(file, root, "repository", "config")?.to_owned();
    let specs_node = root.get("specs").expect("checked");
    let Some(items) = specs_node.as_seq() else {
        return Err(at(file, specs_node.line, LibraryProblem::SpecsNotAList));
    };
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
    let mut specs = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let what = format!("specs[{i}]");
        check_keys(
            file,
            item,
            &what,
            &["output", "prefix", "localName", "crds"],
        )?;
        let output = string(file, item, "output", &what)?.to_owned();
        if !crate::atomic::is_plain_relative(Path::new(&output)) {
            return Err(at(
                file,
                item.key_line("output").unwrap_or(item.line),
                LibraryProblem::OutputOutside { spec: what, output },
            ));
        }
        let prefix_text = string(file, item, "prefix", &what)?;
        let prefix = Regex::new(prefix_text).map_err(|source| {
            let line = item.key_line("prefix").unwrap_or(item.line);
            let problem = LibraryProblem::BadPrefix {
                spec: what.clone(),
                source,
            };
            at(file, line, problem)
        })?;
        let local_name = string(file, item, "localName", &what)?.to_owned();
        let crds_node = item.get("crds").expect("checked");
        let Some(entries) = crds_node.as_seq() else {
            return Err(at(file, crds_node.line, LibraryProblem::CrdsNotAList(what)));
        };
        let mut crds = Vec::new();
        for e in entries {
            let Some(p) = e.as_str() else {
                return Err(at(file, e.line, LibraryProblem::CrdsEntryNotAString(what)));
            };
            if p.starts_with("https://") || p.starts_with("http://") {
                return Err(at(file, e.line, LibraryProblem::CrdsEntryUrl(p.to_owned())));
            }
            let path = dir.join(p);
            if !path.exists() {
                let problem = LibraryProblem::CrdsEntryMissing {
                    entry: p.to_owned(),
                    path,
                };
                return Err(at(file, e.line, problem));
            }
            crds.push((path, e.line));
        }
        specs.push(Spec {
            output,
            prefix,
            local_name,
            crds,
        });
    }
    Ok(Config { repository, specs })
}
