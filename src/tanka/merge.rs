//! `gwsonnet export-merge OUT SHARD_DIR...`: joins the outputs of `export --shard K/N`
//! (one directory per CI job) into one export directory, as one unsharded export
//! would have written it.
//!
//! Every file of every shard (its `manifest.json` aside) goes to the same place in
//! `OUT`, and the shards' `manifest.json` maps are joined. A file, or an environment,
//! found in two shards is a conflict and nothing is written; so is a shard whose
//! files and `manifest.json` disagree. `OUT` is written as `export` writes it
//! ([`super::landing::land`]): locked, staged and moved into place only when
//! complete, refused when it is not empty unless `--merge-strategy` says how to merge
//! (`replace-envs` replaces the files of the environments the shards exported), and
//! `--merge-deleted-envs`/`--skip-manifest` act as on `export`.
//!
//! Contact points: [`crate::cli`] builds the [`MergeRequest`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use super::export::{MergeStrategy, Rendered, MANIFEST_FILE};
use super::landing::{check_target, land, Landing};
use super::rendered::Content;
use crate::error::{Error, TankaError};

/// An `export-merge` request, validated.
#[derive(Debug)]
pub struct MergeRequest {
    /// The output directory.
    pub out: PathBuf,
    /// The shards' output directories.
    pub shards: Vec<PathBuf>,
    /// `--merge-strategy` (into a non-empty `out`).
    pub merge: MergeStrategy,
    /// `--merge-deleted-envs`.
    pub deleted_envs: Vec<String>,
    /// `--skip-manifest`: no `manifest.json` in `out`, and shards may lack theirs.
    pub skip_manifest: bool,
}

/// Merges the shards into `req.out`; returns the number of files merged.
pub fn merge(req: &MergeRequest) -> Result<usize, Error> {
    let landing = Landing {
        out: &req.out,
        merge: req.merge,
        deleted_envs: &req.deleted_envs,
        skip_manifest: req.skip_manifest,
        parallel: 4,
    };
    check_target(&landing)?;
    let mut files: Vec<Rendered> = Vec::new();
    let mut envs: BTreeSet<String> = BTreeSet::new();
    // Which shard each file and environment came from.
    let mut file_owner: HashMap<String, usize> = HashMap::new();
    let mut env_owner: HashMap<String, usize> = HashMap::new();
    for (i, shard) in req.shards.iter().enumerate() {
        let (shard_files, manifest) = read_shard(shard, req.skip_manifest)?;
        let mut shard_envs: BTreeSet<String> = BTreeSet::new();
        for (rel, bytes) in shard_files {
            if let Some(&first) = file_owner.get(&rel) {
                return Err(conflict(
                    &format!("the file '{rel}'"),
                    &req.shards[first],
                    shard,
                ));
            }
            file_owner.insert(rel.clone(), i);
            let env = manifest.get(&rel).cloned().unwrap_or_default();
            shard_envs.insert(env.clone());
            files.push(Rendered {
                what: format!("{rel} of {}", shard.display()),
                env_name: env.clone(),
                rel,
                content: Content::Bytes(bytes),
                env,
                value: None,
            });
        }
        shard_envs.remove("");
        for env in shard_envs {
            if let Some(&first) = env_owner.get(&env) {
                return Err(conflict(
                    &format!("the environment '{env}'"),
                    &req.shards[first],
                    shard,
                ));
            }
            env_owner.insert(env.clone(), i);
            envs.insert(env);
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    land(&landing, &files, &envs)?;
    Ok(files.len())
}

/// The error for something two shards both hold.
fn conflict(what: &str, first: &Path, second: &Path) -> Error {
    TankaError::ShardConflict {
        what: what.to_owned(),
        first: first.to_owned(),
        second: second.to_owned(),
    }
    .into()
}

/// A shard's files (path below it → content, `manifest.json` left out) and its
/// `manifest.json` map, checked against each other.
type Shard = (BTreeMap<String, Vec<u8>>, BTreeMap<String, String>);

/// Reads one shard directory.
fn read_shard(dir: &Path, skip_manifest: bool) -> Result<Shard, Error> {
    let meta = fs::metadata(dir).map_err(|e| Error::io("reading shard", dir, e))?;
    if !meta.is_dir() {
        return Err(TankaError::ShardNotDirectory {
            dir: dir.to_owned(),
        }
        .into());
    }
    let mut files = BTreeMap::new();
    read_tree(dir, "", &mut files)?;
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest: BTreeMap<String, String> = match files.remove(MANIFEST_FILE) {
        Some(bytes) => {
            serde_json::from_slice(&bytes).map_err(|source| TankaError::ManifestJson {
                path: manifest_path.clone(),
                source,
            })?
        }
        None if files.is_empty() || skip_manifest => BTreeMap::new(),
        None => {
            return Err(TankaError::ShardWithoutManifest {
                dir: dir.to_owned(),
            }
            .into())
        }
    };
    let listed = !manifest.is_empty();
    if let Some(missing) = manifest.keys().find(|f| !files.contains_key(*f)) {
        return Err(TankaError::ShardMissingFile {
            manifest: manifest_path,
            file: missing.clone(),
        }
        .into());
    }
    if listed {
        if let Some(extra) = files.keys().find(|f| !manifest.contains_key(*f)) {
            return Err(TankaError::ShardUnlistedFile {
                file: dir.join(extra),
                manifest: manifest_path,
            }
            .into());
        }
    }
    Ok((files, manifest))
}

/// Reads every file below `dir` into `files`, keyed by its `/`-separated path below
/// the shard (`prefix`). Links are refused: `export` writes none.
fn read_tree(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) -> Result<(), Error> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io("reading", dir, e))? {
        let entry = entry.map_err(|e| Error::io("reading", dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("reading", &path, e))?;
        if kind.is_dir() {
            read_tree(&path, &format!("{rel}/"), files)?;
        } else if kind.is_file() {
            let bytes = fs::read(&path).map_err(|e| Error::io("reading", &path, e))?;
            files.insert(rel, bytes);
        } else {
            return Err(TankaError::ShardEntryNotFile { path }.into());
        }
    }
    Ok(())
}
