//! `export --shard K/N`, `export-merge`, `--merge-deleted-envs` and `--skip-manifest`
//! on a generated Tanka project: the shards are disjoint, stable and together the
//! whole export; merging them gives the unsharded export byte for byte; conflicts,
//! bad specs and inconsistent shards are one-line errors that write nothing.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common;

use common::*;

/// A project of `n` static environments `environments/e<i>`, each with two
/// ConfigMaps, in `dir`.
fn project(dir: &Path, n: usize) {
    write(dir, "jsonnetfile.json", "{}");
    write(
        dir,
        "lib/cm.libsonnet",
        "{ cm(env, i):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env + '-' + i }, data: { i: std.toString(i) } } }",
    );
    for i in 0..n {
        add_env(dir, &format!("e{i}"));
    }
}

/// Adds the static environment `environments/<name>`.
fn add_env(dir: &Path, name: &str) {
    write(
        dir,
        &format!("environments/{name}/main.jsonnet"),
        &format!(
            "local c = import 'cm.libsonnet';\n{{ a: c.cm('{name}', 1), b: c.cm('{name}', 2) }}\n"
        ),
    );
    write(
        dir,
        &format!("environments/{name}/spec.json"),
        &format!(
            "{{\"apiVersion\": \"tanka.dev/v1alpha1\", \"kind\": \"Environment\", \"metadata\": {{\"name\": \"environments/{name}\"}}, \"spec\": {{\"namespace\": \"{name}\"}}}}"
        ),
    );
}

fn gw_in(dir: &Path, args: &[&str]) -> Out {
    let o = run(gw(dir).args(args));
    no_panic(&o);
    o
}

#[track_caller]
fn succeeds(o: &Out) {
    assert_eq!(o.code, Some(0), "{}", o.context());
}

/// The `manifest.json` map of an export directory.
fn manifest(dir: &Path) -> BTreeMap<String, String> {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn shards_are_disjoint_and_merge_into_the_unsharded_export() {
    let d = tmp();
    let root = d.path();
    project(root, 12);
    succeeds(&gw_in(root, &["export", "full", "environments", "-r"]));
    let full = files_below(&root.join("full"));
    assert_eq!(full.len(), 12 * 2 + 1);

    let mut shard_dirs = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for k in 1..=3 {
        let dir = format!("s{k}");
        succeeds(&gw_in(
            root,
            &[
                "export",
                &dir,
                "environments",
                "-r",
                "--shard",
                &format!("{k}/3"),
            ],
        ));
        let files = files_below(&root.join(&dir));
        // Each shard's manifest lists exactly its own files.
        let listed = manifest(&root.join(&dir));
        let mut own: Vec<&String> = files.keys().filter(|f| *f != "manifest.json").collect();
        own.sort();
        assert_eq!(listed.keys().collect::<Vec<_>>(), own, "shard {k}");
        for (f, content) in files {
            if f == "manifest.json" {
                continue;
            }
            assert_eq!(full.get(&f), Some(&content), "shard {k}: {f}");
            assert!(seen.insert(f.clone(), dir.clone()).is_none(), "{f} twice");
        }
        shard_dirs.push(dir);
    }
    assert_eq!(
        seen.len(),
        12 * 2,
        "the shards together are the whole export"
    );
    // Not all in one shard.
    assert!(shard_dirs.iter().all(|s| seen.values().any(|v| v == s)));

    let mut args = vec!["export-merge", "merged"];
    args.extend(shard_dirs.iter().map(String::as_str));
    let o = gw_in(root, &args);
    succeeds(&o);
    assert_eq!(o.stderr, "");
    assert_eq!(files_below(&root.join("merged")), full);
}

#[test]
fn an_environments_shard_does_not_depend_on_the_others() {
    let d = tmp();
    let root = d.path();
    project(root, 8);
    succeeds(&gw_in(
        root,
        &["export", "before", "environments", "-r", "--shard", "1/2"],
    ));
    let before = manifest(&root.join("before"));
    assert!(!before.is_empty());
    // New environments, found first and last in name order, move nobody.
    add_env(root, "a-first");
    add_env(root, "z-last");
    succeeds(&gw_in(
        root,
        &["export", "after", "environments", "-r", "--shard", "1/2"],
    ));
    let after = manifest(&root.join("after"));
    for (file, env) in &before {
        assert_eq!(after.get(file), Some(env), "{file} moved");
    }
    // The same environment given on its own lands in the same shard.
    let (_, env) = before.iter().next().unwrap();
    let env_dir = env.trim_end_matches("/main.jsonnet");
    succeeds(&gw_in(
        root,
        &["export", "one-1", env_dir, "--shard", "1/2"],
    ));
    succeeds(&gw_in(
        root,
        &["export", "one-2", env_dir, "--shard", "2/2"],
    ));
    assert!(root.join("one-1/manifest.json").exists());
    assert_eq!(listing(&root.join("one-2")), Vec::<String>::new());
}

#[test]
fn bad_shard_specs_are_one_line_errors() {
    let d = tmp();
    project(d.path(), 1);
    for spec in ["0/2", "3/2", "a/b", "2", "1/0"] {
        let o = gw_in(
            d.path(),
            &["export", "out", "environments", "-r", "--shard", spec],
        );
        assert_eq!(o.code, Some(1), "{spec}: {}", o.context());
        assert_eq!(o.stderr.lines().count(), 1, "{spec}: {}", o.context());
        assert!(
            o.stderr.contains(&format!("--shard {spec:?}")),
            "{}",
            o.context()
        );
        assert!(!d.path().join("out").exists());
    }
}

#[test]
fn merge_conflicts_and_bad_shards_write_nothing() {
    let d = tmp();
    let root = d.path();
    project(root, 4);
    succeeds(&gw_in(
        root,
        &["export", "s1", "environments", "-r", "--shard", "1/2"],
    ));
    succeeds(&gw_in(
        root,
        &["export", "s2", "environments", "-r", "--shard", "2/2"],
    ));
    // One shard twice.
    let o = gw_in(root, &["export-merge", "out", "s1", "s1"]);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert_eq!(o.stderr.lines().count(), 1, "{}", o.context());
    assert!(
        o.stderr.contains("is in two shards, s1 and s1"),
        "{}",
        o.context()
    );
    assert_eq!(
        listing(root)
            .iter()
            .filter(|f| f.starts_with(".out") || *f == "out")
            .count(),
        0
    );
    // A shard whose manifest lists a file it lacks.
    let listed = manifest(&root.join("s2"));
    let victim = listed.keys().next().unwrap().clone();
    std::fs::remove_file(root.join("s2").join(&victim)).unwrap();
    let o = gw_in(root, &["export-merge", "out", "s1", "s2"]);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.contains(&format!("lists '{victim}'")),
        "{}",
        o.context()
    );
    assert!(!root.join("out").exists());
    // Not a directory; no shard at all.
    let o = gw_in(root, &["export-merge", "out", "jsonnetfile.json"]);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.contains("is not a directory"), "{}", o.context());
    let o = gw_in(root, &["export-merge", "out"]);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.contains("at least one shard"), "{}", o.context());
    assert!(!root.join("out").exists());
}

#[test]
fn merge_into_a_previous_export_replaces_and_deletes_environments() {
    let d = tmp();
    let root = d.path();
    project(root, 6);
    succeeds(&gw_in(root, &["export", "out", "environments", "-r"]));
    // e0 is deleted, e1 changes.
    std::fs::remove_dir_all(root.join("environments/e0")).unwrap();
    write(
        root,
        "environments/e1/main.jsonnet",
        "local c = import 'cm.libsonnet';\n{ a: c.cm('e1', 7) }\n",
    );
    succeeds(&gw_in(
        root,
        &["export", "s1", "environments", "-r", "--shard", "1/2"],
    ));
    succeeds(&gw_in(
        root,
        &["export", "s2", "environments", "-r", "--shard", "2/2"],
    ));
    succeeds(&gw_in(root, &["export", "want", "environments", "-r"]));

    // A non-empty output needs a strategy.
    let o = gw_in(root, &["export-merge", "out", "s1", "s2"]);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.contains("not empty"), "{}", o.context());

    let o = gw_in(
        root,
        &[
            "export-merge",
            "out",
            "s1",
            "s2",
            "--merge-strategy",
            "replace-envs",
            "--merge-deleted-envs",
            "environments/e0/main.jsonnet",
        ],
    );
    succeeds(&o);
    assert_eq!(
        files_below(&root.join("out")),
        files_below(&root.join("want"))
    );
}

#[test]
fn export_deletes_the_files_of_deleted_environments_and_can_skip_the_manifest() {
    let d = tmp();
    let root = d.path();
    project(root, 3);
    succeeds(&gw_in(root, &["export", "out", "environments", "-r"]));
    std::fs::remove_dir_all(root.join("environments/e2")).unwrap();
    // fail-on-conflicts with nothing re-exported: only the deletion.
    let o = gw_in(
        root,
        &[
            "export",
            "out",
            "environments/e0",
            "--merge-strategy",
            "replace-envs",
            "--merge-deleted-envs",
            "environments/e2/main.jsonnet",
        ],
    );
    succeeds(&o);
    let after = manifest(&root.join("out"));
    assert!(after.values().all(|e| e != "environments/e2/main.jsonnet"));
    assert_eq!(after.len(), 4);
    assert_eq!(files_below(&root.join("out")).len(), 5);

    // --skip-manifest: no manifest.json, and merging such shards needs the flag too.
    succeeds(&gw_in(
        root,
        &[
            "export",
            "bare",
            "environments",
            "-r",
            "--skip-manifest",
            "--shard",
            "1/1",
        ],
    ));
    let bare = files_below(&root.join("bare"));
    assert_eq!(bare.len(), 4);
    assert!(!bare.contains_key("manifest.json"));
    let o = gw_in(root, &["export-merge", "m", "bare"]);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.contains("--skip-manifest"), "{}", o.context());
    succeeds(&gw_in(
        root,
        &["export-merge", "m", "bare", "--skip-manifest"],
    ));
    assert_eq!(files_below(&root.join("m")), bare);

    // Without a manifest, deletion is skipped with Tanka's warning.
    write(root, "plain/x.yaml", "x: 1\n");
    let o = gw_in(
        root,
        &[
            "export",
            "plain",
            "environments/e0",
            "--merge-strategy",
            "fail-on-conflicts",
            "--merge-deleted-envs",
            "environments/e2/main.jsonnet",
        ],
    );
    succeeds(&o);
    assert!(
        o.stderr.contains("no manifest file found"),
        "{}",
        o.context()
    );
}
