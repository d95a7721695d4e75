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
use crate::error::Error;

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
fn check_keys(file: &Path, node: &Node, what: &str, keys: &[&str]) -> Result<(), Error> {
    let Some(entries) = node.as_map() else {
        return Err(at(file, node.line, format!("{what} must be a mapping")));
    };
    for (k, v) in entries {
        if !keys.contains(&k.as_str()) {
            return Err(at(
                file,
                v.line,
                format!("unknown key {k:?} in {what} (known: {})", keys.join(", ")),
            ));
        }
    }
    for k in keys {
        if node.get(k).is_none() {
            return Err(at(file, node.line, format!("{what} has no {k:?}")));
        }
    }
    Ok(())
}

/// A string value, or an error naming `what`.
fn string<'n>(file: &Path, node: &'n Node, key: &str, what: &str) -> Result<&'n str, Error> {
    let v = node.get(key).expect("checked by check_keys");
    match &v.value {
        yaml::Value::Str(s) => Ok(s),
        _ => Err(at(file, v.line, format!("{what}.{key} must be a string"))),
    }
}

/// Reads and checks the config `file`.
///
/// # Errors
/// Unreadable file, YAML syntax, missing or unknown keys, wrong types, a bad prefix, a
/// `crds` URL or missing path.
pub fn read(file: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io("reading", file, e))?;
    let docs = yaml::parse_stream(&text)
        .map_err(|e| at(file, e.line, format!("YAML syntax error: {}", e.message)))?;
    let [root] = docs.as_slice() else {
        return Err(at(file, 1, "a library config is one YAML document"));
    };
    check_keys(file, root, "the config", &["repository", "specs"])?;
    let repository = string(file, root, "repository", "config")?.to_owned();
    let specs_node = root.get("specs").expect("checked");
    let Some(items) = specs_node.as_seq() else {
        return Err(at(file, specs_node.line, "specs must be a list"));
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
                format!(
                    "{what}.output {output:?} must be a relative path inside the output directory (no '..', '.', empty or absolute parts)"
                ),
            ));
        }
        let prefix_text = string(file, item, "prefix", &what)?;
        let prefix = Regex::new(prefix_text).map_err(|e| {
            let line = item.key_line("prefix").unwrap_or(item.line);
            let first = e.to_string();
            let first = first.lines().last().unwrap_or_default().to_owned();
            at(
                file,
                line,
                format!("{what}.prefix is not a valid pattern: {first}"),
            )
        })?;
        let local_name = string(file, item, "localName", &what)?.to_owned();
        let crds_node = item.get("crds").expect("checked");
        let Some(entries) = crds_node.as_seq() else {
            return Err(at(
                file,
                crds_node.line,
                format!("{what}.crds must be a list"),
            ));
        };
        let mut crds = Vec::new();
        for e in entries {
            let Some(p) = e.as_str() else {
                return Err(at(
                    file,
                    e.line,
                    format!("{what}.crds entries must be strings"),
                ));
            };
            if p.starts_with("https://") || p.starts_with("http://") {
                return Err(at(
                    file,
                    e.line,
                    format!(
                        "{p} is a URL: gwsonnet does not download; download it and list its local path"
                    ),
                ));
            }
            let path = dir.join(p);
            if !path.exists() {
                return Err(at(
                    file,
                    e.line,
                    format!("crds entry {p} does not exist ({})", path.display()),
                ));
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
