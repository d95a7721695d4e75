//! Derives the built-in form of the Kubernetes OpenAPI documents
//! (`lib/k8s/openapi/`, read by [`super::builtin`]) from the upstream files.
//!
//! Only `definitions` is kept, without the keywords nothing here reads
//! ([`super::IGNORED_KEYWORDS`]); each distinct definition is stored once for all
//! versions, and each version's index records what [`super::classify`] says of its
//! definitions, so that nothing has to be parsed to lay a version's library out, and
//! which of its kinds are cluster-scoped ([`super::cluster_scoped`], from the
//! document's `paths`, which are not kept).
//! `cargo run --example k8s_openapi -- <openapi dir> lib/k8s/openapi` writes the files;
//! a test derives them again from `../shared` and compares.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{classify, cluster_scoped, IGNORED_KEYWORDS};

/// Why the upstream documents cannot be compacted.
#[derive(Debug, thiserror::Error)]
pub enum CompactError {
    /// A document cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A document is not JSON.
    #[error("{file}: {source}")]
    Json {
        /// Its file name.
        file: String,
        /// The JSON error, with its line and column.
        source: serde_json::Error,
    },
    /// A document has no `definitions` object.
    #[error("{0}: no \"definitions\" object")]
    NoDefinitions(String),
}

/// One upstream document.
pub struct Source<'a> {
    /// `major.minor`: `1.30`.
    pub version: &'a str,
    /// Its file name, recorded in the index.
    pub file_name: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// The files of `lib/k8s/openapi/` for `sources`: file name → contents.
///
/// # Errors
/// A document that is not JSON or has no `definitions` object, naming its file.
pub fn compact(sources: &[Source<'_>]) -> Result<BTreeMap<String, String>, CompactError> {
    let mut versions = Vec::new();
    let mut pool = BTreeSet::new();
    for source in sources {
        let doc: Value = serde_json::from_slice(source.bytes).map_err(|e| CompactError::Json {
            file: source.file_name.to_owned(),
            source: e,
        })?;
        let Some(Value::Object(defs)) = doc.get("definitions") else {
            return Err(CompactError::NoDefinitions(source.file_name.to_owned()));
        };
        let mut entries = Vec::with_capacity(defs.len());
        for (name, def) in defs {
            let classified = classify(name, def);
            let mut stored = def.clone();
            strip(&mut stored);
            let text = serde_json::to_string(&stored).expect("JSON values serialize");
            pool.insert((name.clone(), text.clone()));
            entries.push((name.clone(), text, classified));
        }
        let cluster = cluster_scoped(doc.get("paths"), entries.iter().flat_map(|e| &e.2.gvks));
        versions.push((source, entries, cluster));
    }
    // Each distinct definition's line and its byte range (without the newline).
    let mut lines: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    let mut jsonl = String::new();
    for (name, text) in pool {
        let start = jsonl.len();
        jsonl.push_str(&name);
        jsonl.push('\t');
        jsonl.push_str(&text);
        lines.insert((name, text), (start, jsonl.len()));
        jsonl.push('\n');
    }
    let mut files = BTreeMap::new();
    files.insert("definitions.jsonl".to_owned(), jsonl);
    for (source, entries, cluster) in versions {
        let hash = Sha256::digest(source.bytes);
        let sha256: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        let mut index = format!(
            "{{\"source\":{},\"sha256\":\"{sha256}\",\"definitions\":[\n",
            serde_json::to_string(source.file_name).expect("strings serialize")
        );
        for (i, (name, text, c)) in entries.into_iter().enumerate() {
            let (start, end) = lines[&(name, text)];
            let gvks: Vec<String> = c.gvks.iter().map(super::Gvk::key).collect();
            index.push_str(&format!(
                "{}[{start},{end},{},{}]",
                if i == 0 { "" } else { ",\n" },
                u8::from(c.in_library),
                serde_json::to_string(&gvks).expect("strings serialize")
            ));
        }
        index.push_str(&format!(
            "\n],\"clusterScoped\":{}}}\n",
            serde_json::to_string(&cluster).expect("strings serialize")
        ));
        files.insert(format!("{}.json", source.version), index);
    }
    Ok(files)
}

/// The files of `lib/k8s/openapi/` from the upstream documents in `dir`, the files
/// [`super::builtin::SOURCES`] names.
///
/// # Errors
/// A file that cannot be read, or as [`compact`].
pub fn compact_dir(dir: &std::path::Path) -> Result<BTreeMap<String, String>, CompactError> {
    let texts = super::builtin::SOURCES
        .iter()
        .map(|(version, file)| {
            let path = dir.join(file);
            std::fs::read(&path)
                .map(|bytes| (*version, *file, bytes))
                .map_err(|source| CompactError::Read { path, source })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(version, file_name, bytes)| Source {
            version,
            file_name,
            bytes,
        })
        .collect();
    compact(&sources)
}

/// Removes the keywords nothing reads from a schema node and the nodes below it.
fn strip(node: &mut Value) {
    let Value::Object(fields) = node else {
        return;
    };
    for k in IGNORED_KEYWORDS {
        fields.remove(*k);
    }
    if let Some(Value::Object(props)) = fields.get_mut("properties") {
        props.values_mut().for_each(strip);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = fields.get_mut(key) {
            strip(child);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(list)) = fields.get_mut(key) {
            list.iter_mut().for_each(strip);
        }
    }
}
