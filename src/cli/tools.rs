//! The Tanka repository commands: `tool imports` (an environment's transitive imports
//! as Tanka's JSON list), `tool importers` (the entry files of the environments
//! importing some files, one a line, as `tk` prints them) and `env list`.
//! Contact points: [`super::commands`] parses them; the answers come from
//! [`crate::tanka::imports`] and [`crate::tanka::envs`].

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::tanka::imports::{self, graph::shown};

/// `tool imports`: the JSON list (Go's `json.Marshal`) and a newline; an import cycle
/// is a warning on stderr.
pub fn imports(req: &crate::tanka::Request) -> Result<String, Error> {
    let tree = imports::for_request(req)?;
    for cycle in &tree.cycles {
        let names: Vec<String> = cycle.iter().map(|p| shown(p)).collect();
        eprintln!("warning: import cycle: {}", names.join(" -> "));
    }
    let list: Vec<String> = tree
        .relative_paths()
        .iter()
        .map(|p| {
            let mut s = String::new();
            crate::manifest::go_json_indent::write_string(&mut s, p);
            s
        })
        .collect();
    Ok(format!("[{}]\n", list.join(",")))
}

/// `tool importers`: the environments' entry files, one a line (an empty line when
/// there is none, as `tk` prints); dangling symlinks below the root are warnings.
pub fn importers(root: &Path, files: &[String]) -> Result<String, Error> {
    let found = imports::find_importers(root, files)?;
    for w in &found.warnings {
        eprintln!("warning: {w}");
    }
    let lines: Vec<String> = found
        .environments
        .iter()
        .map(|p: &PathBuf| p.display().to_string())
        .collect();
    Ok(format!("{}\n", lines.join("\n")))
}

/// `env list`: the environments as Tanka prints them.
pub fn env_list(req: &crate::tanka::envs::ListRequest) -> Result<String, Error> {
    let envs = crate::tanka::envs::list(req)?;
    Ok(crate::tanka::envs::render(&envs, req.format))
}
