//! The top-level modules of `src/` form no import cycle (issue 19): every
//! `crate::<module>` path outside comments, in a module's files (its tests included),
//! is an edge; the graph must have no strongly connected component of more than one
//! module. Reads the source tree only.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The `.rs` files of a top-level module: `src/<m>.rs` and everything below `src/<m>/`.
fn files(src: &Path, module: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let single = src.join(format!("{module}.rs"));
    if single.is_file() {
        out.push(single);
    }
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out
}

/// The module graph: module → the modules its code names as `crate::<module>`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules: Vec<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect();
    assert!(modules.len() > 10, "lib.rs lists the modules: {modules:?}");
    let mut g = BTreeMap::new();
    for m in &modules {
        let mut deps = BTreeSet::new();
        for file in files(&src, m) {
            for line in fs::read_to_string(&file).unwrap().lines() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for (i, _) in line.match_indices("crate::") {
                    let rest = &line[i + "crate::".len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if name != *m && modules.contains(&name) {
                        deps.insert(name);
                    }
                }
            }
        }
        g.insert(m.clone(), deps);
    }
    g
}

/// The modules reachable from `from`.
fn reachable(g: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(m) = todo.pop() {
        for d in &g[&m] {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn top_level_modules_have_no_import_cycle() {
    let g = graph();
    let cycles: Vec<String> = g
        .keys()
        .filter(|m| reachable(&g, m).contains(*m))
        .map(|m| format!("{m} -> {:?}", g[m]))
        .collect();
    assert!(cycles.is_empty(), "modules on a cycle: {cycles:#?}");
    // The check sees real edges: the CLI uses the engine, the engine the model.
    assert!(g["cli"].contains("engine") && g["engine"].contains("model"));
}
