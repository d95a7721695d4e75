//! `export --cache-path/--cache-envs` on generated Tanka projects, with a directory
//! cache and with a real S3 server (s3s-fs, started here on 127.0.0.1 with its data in
//! a temporary directory): hits and misses (a changed imported file, ext var, spec or
//! library misses exactly the environments it reaches), a hit skips the evaluation, a
//! damaged or foreign entry is a miss with a warning, racing and killed runners never
//! leave a partial entry, and an unreachable or unwritable cache is a warning, never a
//! failed or different export.
//!
//! The S3 tests need the `s3s-fs` binary (`.ci/run` installs it); without it they print
//! `skipped: …`, and fail under `CI=true`.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::common;

use common::tanka_project::CacheProject;
use common::*;

/// `gwsonnet export OUT environments -r --ext-str flavour=a` plus `args`, in `dir`.
fn export(dir: &Path, out: &str, args: &[&str]) -> Out {
    export_env(dir, out, args, &[])
}

fn export_env(dir: &Path, out: &str, args: &[&str], env: &[(&str, String)]) -> Out {
    let mut cmd = gw(dir);
    cmd.args([
        "export",
        out,
        "environments",
        "-r",
        "--ext-str",
        "flavour=a",
    ])
    .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = run(&mut cmd);
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    o
}

/// `(hits, misses)` from the summary line.
fn counts(o: &Out) -> (usize, usize) {
    let line = o
        .stderr
        .lines()
        .find(|l| l.starts_with("export cache "))
        .unwrap_or_else(|| panic!("no cache summary:\n{}", o.context()));
    let nums: Vec<usize> = line
        .rsplit(": ")
        .next()
        .unwrap()
        .split(", ")
        .map(|p| p.split(' ').next().unwrap().parse().unwrap())
        .collect();
    (nums[0], nums[1])
}

/// The entries of a cache directory (name → bytes), temporary files left out.
fn entries(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".gwsonnet-cache") && !name.starts_with('.') {
            out.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// Checks an entry as the format documents it: `gwsonnet-export-cache/1 <version>
/// <key> <length> <sha256>` then the payload; returns the payload.
#[track_caller]
fn check_entry(name: &str, bytes: &[u8]) -> Vec<u8> {
    let nl = bytes.iter().position(|&b| b == b'\n').expect("a header");
    let header = std::str::from_utf8(&bytes[..nl]).unwrap();
    let payload = &bytes[nl + 1..];
    let f: Vec<&str> = header.split(' ').collect();
    assert_eq!(f.len(), 5, "{header}");
    assert_eq!(f[0], "gwsonnet-export-cache/1");
    assert_eq!(f[1], env!("CARGO_PKG_VERSION"));
    assert_eq!(format!("{}.gwsonnet-cache", f[2]), name);
    assert_eq!(f[3].parse::<usize>().unwrap(), payload.len(), "{name}");
    assert_eq!(f[4], hex(&Sha256::digest(payload)), "{name}");
    payload.to_vec()
}

/// An entry as gwsonnet writes it, for `name` (`<key>.gwsonnet-cache`).
fn forge_entry(name: &str, version: &str, payload: &[u8]) -> Vec<u8> {
    let key = name.trim_end_matches(".gwsonnet-cache");
    let mut out = format!(
        "gwsonnet-export-cache/1 {version} {key} {} {}\n",
        payload.len(),
        hex(&Sha256::digest(payload))
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn a_warm_cache_gives_the_same_export_and_misses_what_changed() {
    let p = CacheProject::new(4, 3);
    let (root, cache, c) = (p.root(), &p.cache, p.cache_arg());
    let o = export(root, "plain", &[]);
    assert_eq!(o.stderr, "");
    let plain = files_below(&root.join("plain"));

    let o = export(root, "cold", &["--cache-path", c]);
    assert_eq!(counts(&o), (0, 4));
    assert_eq!(files_below(&root.join("cold")), plain);
    let stored = entries(cache);
    assert_eq!(stored.len(), 4);
    for (name, bytes) in &stored {
        check_entry(name, bytes);
    }
    let o = export(root, "warm", &["-c", c]);
    assert_eq!(counts(&o), (4, 0));
    assert_eq!(files_below(&root.join("warm")), plain);

    // A file only e1 imports: only e1 misses, and its new content is exported.
    write(root, "lib/only1.libsonnet", "{ extra: 'only1-b' }");
    let o = export(root, "changed", &["-c", c]);
    assert_eq!(counts(&o), (3, 1));
    let changed = files_below(&root.join("changed"));
    assert!(changed["v1.ConfigMap-e1-1.yaml"].contains("only1-b"));
    assert!(!changed["v1.ConfigMap-e0-1.yaml"].contains("only1"));

    // A file every environment imports.
    write(
        root,
        "lib/common.libsonnet",
        &std::fs::read_to_string(root.join("lib/common.libsonnet"))
            .unwrap()
            .replace("common-1", "common-2"),
    );
    assert_eq!(counts(&export(root, "o1", &["-c", c])), (0, 4));
    // A file of the base directory now shadows lib/ for e2 alone.
    write(
        root,
        "environments/e2/common.libsonnet",
        "{ cm(env, i):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env + '-' + i }, data: { v: 'shadow' } } }",
    );
    let o = export(root, "o2", &["-c", c]);
    assert_eq!(counts(&o), (3, 1));
    assert!(files_below(&root.join("o2"))["v1.ConfigMap-e2-1.yaml"].contains("shadow"));
    // The spec (Tanka's environment ext-code) of e3.
    write(
        root,
        "environments/e3/spec.json",
        "{\"apiVersion\": \"tanka.dev/v1alpha1\", \"kind\": \"Environment\", \"metadata\": {\"name\": \"environments/e3\"}, \"spec\": {\"namespace\": \"other\"}}",
    );
    assert_eq!(counts(&export(root, "o3", &["-c", c])), (3, 1));
    // An ext var reaches every environment; a TLA too.
    let o = run(gw(root).args([
        "export",
        "o4",
        "environments",
        "-r",
        "--ext-str",
        "flavour=b",
        "-c",
        c,
    ]));
    assert_eq!(counts(&o), (0, 4));
    assert!(files_below(&root.join("o4"))["v1.ConfigMap-e0-1.yaml"].contains("ext: b"));
    assert_eq!(
        counts(&export(root, "o5", &["-c", c, "--tla-str", "x=1"])),
        (0, 4)
    );
    // The content of a file an ext var reads (`--ext-str-file` is `importstr @'f'`).
    write(root, "note.txt", "one");
    let note = ["-c", c, "--ext-str-file", "note=note.txt"];
    assert_eq!(counts(&export(root, "n1", &note)), (0, 4));
    assert_eq!(counts(&export(root, "n2", &note)), (4, 0));
    write(root, "note.txt", "two");
    assert_eq!(counts(&export(root, "n3", &note)), (0, 4));
    // A CRD library in the project's crds/ folder changes what every evaluation sees.
    write(root, "crds/empty.yaml", "# no CRD yet\n");
    let o = export(root, "o6", &["-c", c]);
    assert_eq!(counts(&o), (0, 4), "{}", o.context());
    assert_eq!(counts(&export(root, "o7", &["-c", c])), (4, 0));
}

#[test]
fn a_hit_skips_the_evaluation() {
    let p = CacheProject::new(1, 1);
    let (root, cache, c) = (p.root(), &p.cache, p.cache_arg());
    export(root, "cold", &["-c", c]);
    let (name, bytes) = entries(cache).into_iter().next().unwrap();
    let payload = String::from_utf8(check_entry(&name, &bytes)).unwrap();
    assert!(payload.contains("common-1"), "{payload}");
    // A well-formed entry with another value under the same key is what is exported:
    // nothing was evaluated.
    let forged = payload.replace("common-1", "from-the-cache");
    std::fs::write(
        cache.join(&name),
        forge_entry(&name, env!("CARGO_PKG_VERSION"), forged.as_bytes()),
    )
    .unwrap();
    // Without the rendered files, which would answer first.
    std::fs::remove_dir_all(cache.join("rendered")).unwrap();
    let o = export(root, "warm", &["-c", c]);
    assert_eq!(counts(&o), (1, 0));
    assert!(files_below(&root.join("warm"))["v1.ConfigMap-e0-1.yaml"].contains("from-the-cache"));
}

#[test]
fn damaged_and_foreign_entries_are_misses_with_a_warning() {
    let p = CacheProject::new(1, 2);
    let (root, cache, c) = (p.root(), &p.cache, p.cache_arg());
    export(root, "cold", &["-c", c]);
    let want = files_below(&root.join("cold"));
    let (name, good) = entries(cache).into_iter().next().unwrap();
    let payload = check_entry(&name, &good);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", good[..good.len() - 10].to_vec(), "truncated"),
        ("empty", Vec::new(), "no header line"),
        (
            "flipped",
            {
                let mut b = good.clone();
                let last = b.len() - 3;
                b[last] ^= 1;
                b
            },
            "checksum",
        ),
        (
            "another version",
            forge_entry(&name, "0.0.0-other", &payload),
            "written by gwsonnet 0.0.0-other",
        ),
        ("not ours", b"{\"a\": 1}".to_vec(), "no header line"),
    ];
    for (i, (what, bytes, why)) in cases.into_iter().enumerate() {
        std::fs::write(cache.join(&name), bytes).unwrap();
        // Without the rendered files, which would answer first.
        std::fs::remove_dir_all(cache.join("rendered")).unwrap();
        let out = format!("out{i}");
        let o = export(root, &out, &["-c", c]);
        assert_eq!(counts(&o), (0, 1), "{what}");
        let warning = o
            .stderr
            .lines()
            .find(|l| l.starts_with("WARNING: ignoring the cache entry"))
            .unwrap_or_else(|| panic!("{what}: {}", o.context()));
        assert!(warning.contains(why), "{what}: {warning}");
        assert_eq!(files_below(&root.join(&out)), want, "{what}");
        // The entry was written anew.
        check_entry(&name, &std::fs::read(cache.join(&name)).unwrap());
    }
}

/// The rendered entries of a directory cache: `rendered/<key>` folders.
fn rendered_entries(cache: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(cache.join("rendered"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

#[test]
fn rendered_files_are_linked_from_the_cache_and_checked_before_use() {
    use std::os::unix::fs::MetadataExt;
    let p = CacheProject::new(3, 4);
    let (root, cache, c) = (p.root(), &p.cache, p.cache_arg());
    export(root, "plain", &[]);
    let plain = files_below(&root.join("plain"));
    assert_eq!(counts(&export(root, "cold", &["-c", c])), (0, 3));
    assert_eq!(rendered_entries(cache).len(), 3);
    let o = export(root, "warm", &["-c", c]);
    assert_eq!(counts(&o), (3, 0));
    assert_eq!(files_below(&root.join("warm")), plain);
    // The warm export's files are the cache's (cold, warm and the entry: 3 links).
    let file = root.join("warm/v1.ConfigMap-e0-1.yaml");
    assert_eq!(std::fs::metadata(&file).unwrap().nlink(), 3);

    // A file changed in place through an output changes the entry: seen, a miss with
    // a warning (the evaluation is still cached), and the entry is built again.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    std::io::Write::write_all(&mut f, b"# edited\n").unwrap();
    drop(f);
    let o = export(root, "again", &["-c", c]);
    assert_eq!(counts(&o), (3, 0));
    let warnings: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("WARNING"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", o.context());
    assert!(
        warnings[0].contains("changed since it was stored"),
        "{}",
        o.context()
    );
    assert_eq!(files_below(&root.join("again")), plain);
    assert_eq!(rendered_entries(cache).len(), 3);
    let o = export(root, "again2", &["-c", c]);
    assert!(!o.stderr.contains("WARNING"), "{}", o.context());
    assert_eq!(files_below(&root.join("again2")), plain);

    // Changes that keep the size and the modification time are seen too: a chmod, and
    // bytes rewritten in place with the time set back.
    use std::os::unix::fs::PermissionsExt;
    let file = root.join("again2/v1.ConfigMap-e1-1.yaml");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = export(root, "chmodded", &["-c", c]);
    assert!(
        o.stderr.contains("changed since it was stored"),
        "{}",
        o.context()
    );
    let again = root.join("chmodded/v1.ConfigMap-e1-1.yaml");
    assert_eq!(
        std::fs::metadata(&again).unwrap().permissions().mode(),
        mode
    );
    let before = std::fs::metadata(&again).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&again).unwrap();
    let same_size = text.replacen("e1-1", "e1-X", 1);
    assert_eq!(same_size.len(), text.len());
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&again)
        .unwrap();
    std::io::Write::write_all(&mut f, same_size.as_bytes()).unwrap();
    f.set_modified(before).unwrap();
    drop(f);
    assert_eq!(
        std::fs::metadata(&again).unwrap().modified().unwrap(),
        before
    );
    let o = export(root, "restored", &["-c", c]);
    assert!(
        o.stderr.contains("changed since it was stored"),
        "{}",
        o.context()
    );
    assert_eq!(files_below(&root.join("restored")), plain);

    // An entry's file replaced by a symbolic link to the same bytes is not followed.
    let stored = rendered_entries(cache)[0].join("0");
    let copy = root.join("copy-of-0");
    std::fs::copy(&stored, &copy).unwrap();
    std::fs::remove_file(&stored).unwrap();
    std::os::unix::fs::symlink(&copy, &stored).unwrap();
    let o = export(root, "linked", &["-c", c]);
    assert!(
        o.stderr.contains("changed since it was stored"),
        "{}",
        o.context()
    );
    assert_eq!(files_below(&root.join("linked")), plain);
    assert!(!std::fs::symlink_metadata(&stored).unwrap().is_symlink());

    // Options that change the files are part of the key; the evaluations still hit.
    for args in [
        vec!["--format", "{{.metadata.name}}"],
        vec!["--extension", "yml"],
        vec!["-t", "ConfigMap/e1-1"],
        vec!["--skip-manifest"],
    ] {
        let name = args.join("_").replace(['/', '{', '}', '.', '='], "");
        export(root, &format!("p{name}"), &args);
        let plain = files_below(&root.join(format!("p{name}")));
        let mut cached_args = args.clone();
        cached_args.extend(["-c", c]);
        for run in ["c", "w"] {
            let out = format!("{run}{name}");
            let o = export(root, &out, &cached_args);
            assert_eq!(files_below(&root.join(&out)), plain, "{args:?} {run}");
            assert_eq!(counts(&o), (3, 0), "{args:?} {run}");
        }
    }
    // --validate needs the values: the evaluations hit, the files are written anew.
    let o = export(root, "validated", &["-c", c, "--validate"]);
    assert_eq!(counts(&o), (3, 0));
    assert_eq!(files_below(&root.join("validated")), plain);
    let file = root.join("validated/v1.ConfigMap-e0-1.yaml");
    assert_eq!(std::fs::metadata(&file).unwrap().nlink(), 1);

    // A damaged index is a miss with a warning.
    for entry in rendered_entries(cache) {
        std::fs::write(entry.join("index.json"), "{").unwrap();
    }
    let o = export(root, "damaged", &["-c", c]);
    assert!(o.stderr.contains("an unreadable index"), "{}", o.context());
    assert_eq!(files_below(&root.join("damaged")), plain);
}

/// Every entry of a cache directory (evaluations and rendered folders) with its last
/// use (the entry file's or the index's modification time) and the bytes it takes on
/// disk, least recently used first.
fn entries_by_use(cache: &Path) -> Vec<(PathBuf, std::time::SystemTime, u64)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = Vec::new();
    for name in entries(cache).keys() {
        let m = std::fs::metadata(cache.join(name)).unwrap();
        out.push((cache.join(name), m.modified().unwrap(), m.blocks() * 512));
    }
    for dir in rendered_entries(cache) {
        let used = std::fs::metadata(dir.join("index.json"))
            .unwrap()
            .modified()
            .unwrap();
        let bytes = std::fs::read_dir(&dir)
            .unwrap()
            .map(|f| f.unwrap().metadata().unwrap().blocks() * 512)
            .sum();
        out.push((dir, used, bytes));
    }
    out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    out
}

/// Sets the last use of a cache entry (file or rendered folder).
fn set_used(entry: &Path, when: std::time::SystemTime) {
    let file = if entry.is_dir() {
        entry.join("index.json")
    } else {
        entry.to_owned()
    };
    std::fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// `gwsonnet tool cache-prune ARGS` in `dir`.
fn prune(dir: &Path, args: &[&str]) -> Out {
    let o = run(gw(dir).args(["tool", "cache-prune"]).args(args));
    no_panic(&o);
    o
}

#[test]
fn cache_prune_removes_unused_entries_and_temporaries() {
    use std::time::{Duration, SystemTime};
    let p = CacheProject::new(4, 3);
    let (root, cache, c) = (p.root(), &p.cache, p.cache_arg());
    assert_eq!(counts(&export(root, "cold", &["-c", c])), (0, 4));
    assert_eq!(entries_by_use(cache).len(), 8);
    // Every entry last used 10 days ago; then e1 changes and a warm export uses the
    // entries of e0, e2 and e3 (the rendered files and the evaluations they come from)
    // and writes two new ones for e1.
    let old = SystemTime::now() - Duration::from_secs(10 * 86_400);
    for (entry, ..) in entries_by_use(cache) {
        set_used(&entry, old);
    }
    let main = root.join("environments/e1/main.jsonnet");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}// changed\n")).unwrap();
    export(root, "plain1", &[]);
    let plain1 = files_below(&root.join("plain1"));
    assert_eq!(counts(&export(root, "warm", &["-c", c])), (3, 1));
    let by_use = entries_by_use(cache);
    assert_eq!(by_use.len(), 10);
    assert_eq!(by_use.iter().filter(|e| e.1 == old).count(), 2);
    // Temporaries of killed exports: an evaluation's, a rendered folder's, one aside.
    write(cache, ".tmp-abc123.gwsonnet-cache", "half");
    write(
        cache,
        &format!("rendered/.tmp-{}-999999-0/0", "0".repeat(64)),
        "x",
    );
    write(cache, "rendered/.old-999999-3/0", "x");
    write(cache, "notes.txt", "not an entry");

    let o = prune(root, &[c, "--max-age", "7d"]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(
        o.stdout
            .starts_with(&format!("cache {c}: removed 2 entries (")),
        "{}",
        o.context()
    );
    assert!(o.stdout.contains("kept 8 entries ("), "{}", o.context());
    assert!(
        o.stdout
            .ends_with("; removed 3 temporaries of interrupted exports\n"),
        "{}",
        o.context()
    );
    assert!(entries_by_use(cache).iter().all(|e| e.1 != old));
    let left: Vec<String> = std::fs::read_dir(cache.join("rendered"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(!cache.join(".tmp-abc123.gwsonnet-cache").exists());
    assert!(cache.join("notes.txt").exists());
    // What the last export used is all there: every environment hits.
    let o = export(root, "after", &["-c", c]);
    assert_eq!(counts(&o), (4, 0));
    assert_eq!(files_below(&root.join("after")), plain1);

    // --max-size keeps the most recently used entries that fit.
    let by_use = entries_by_use(cache);
    let now = SystemTime::now();
    for (i, (entry, ..)) in by_use.iter().enumerate() {
        set_used(entry, now - Duration::from_secs(3600 * (100 - i as u64)));
    }
    let by_use = entries_by_use(cache);
    let total: u64 = by_use.iter().map(|e| e.2).sum();
    let limit = total - by_use[0].2 - by_use[1].2 / 2;
    let o = prune(root, &[c, "--max-size", &limit.to_string()]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let kept = entries_by_use(cache);
    assert_eq!(
        kept.iter().map(|e| &e.0).collect::<Vec<_>>(),
        by_use[2..].iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    assert!(o.stdout.contains("removed 2 entries ("), "{}", o.context());
    // An export after pruning everything is a cold one, and right.
    let o = prune(root, &[c, "--max-size", "0"]);
    assert!(o.stdout.contains("kept 0 entries (0 B)"), "{}", o.context());
    assert_eq!(counts(&export(root, "empty", &["-c", c])), (0, 4));
    assert_eq!(files_below(&root.join("empty")), plain1);
}

#[test]
fn cache_prune_and_exports_wait_for_each_other() {
    let p = CacheProject::new(2, 1);
    let (root, cache, c) = (p.root(), &p.cache, p.cache_arg());
    export(root, "cold", &["-c", c]);
    let stale = cache.join("rendered/.tmp-stale-1-0");
    write(&stale, "0", "x");
    // A live export (here: this test holding its shared lock) keeps its temporaries:
    // an export started beside it does not remove them, and a prune waits for it.
    let lock = std::fs::File::open(cache.join(".gwsonnet-cache.lock")).unwrap();
    lock.lock_shared().unwrap();
    let o = export(root, "beside", &["-c", c]);
    assert_eq!(counts(&o), (2, 0));
    assert!(stale.exists());
    let child = std::process::Command::new(BIN)
        .current_dir(root)
        .args(["tool", "cache-prune", c])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(stale.exists(), "the prune did not wait");
    lock.unlock().unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.starts_with("waiting for the exports using the cache"),
        "{stderr}"
    );
    assert!(!stale.exists());
    // With no other export running, an export removes a killed one's temporaries.
    write(&stale, "0", "x");
    export(root, "alone", &["-c", c]);
    assert!(!stale.exists());
}

#[test]
fn cache_prune_bad_input_is_one_line() {
    let d = tmp();
    let root = d.path();
    for (args, needle) in [
        (vec![], "required arguments were not provided: <dir>"),
        (vec!["missing"], "missing"),
        (vec![".", "--max-age", "7x"], "--max-age \"7x\": not an age"),
        (
            vec![".", "--max-size", "lots"],
            "--max-size \"lots\": not a size",
        ),
        (vec!["s3://bucket/prefix"], "lifecycle rules"),
    ] {
        let o = prune(root, &args);
        assert_eq!(o.code, Some(1), "{args:?}: {}", o.context());
        assert_eq!(o.stderr.lines().count(), 1, "{args:?}: {}", o.context());
        assert!(o.stderr.contains(needle), "{args:?}: {}", o.context());
    }
}

#[test]
fn cache_envs_picks_the_environments_cached() {
    let p = CacheProject::new(3, 1);
    let (root, cache, c) = (p.root(), &p.cache, p.cache_arg());
    let o = export(
        root,
        "o1",
        &["-c", c, "-e", "/e1/main\\.jsonnet$", "--cache-envs", "e2/"],
    );
    assert_eq!(counts(&o), (0, 2));
    assert_eq!(entries(cache).len(), 2);
    // Without --cache-path it does nothing, and says so.
    let o = export(root, "o2", &["--cache-envs", "e1"]);
    assert!(
        o.stderr
            .contains("--cache-envs has no effect without --cache-path"),
        "{}",
        o.context()
    );
}

#[test]
fn bad_cache_flags_are_one_line_errors() {
    let p = CacheProject::new(1, 1);
    let root = p.root();
    for (args, needle) in [
        (vec!["-c", "c", "--cache-envs", "("], "--cache-envs \"(\""),
        (
            vec!["--cache-path", "ftp://host/x"],
            "not an object store URL",
        ),
        (vec!["--cache-path", ""], "--cache-path needs"),
    ] {
        let o = run(gw(root)
            .args(["export", "out", "environments", "-r"])
            .args(&args));
        no_panic(&o);
        assert_eq!(o.code, Some(1), "{args:?}: {}", o.context());
        assert_eq!(o.stderr.lines().count(), 1, "{args:?}: {}", o.context());
        assert!(o.stderr.contains(needle), "{args:?}: {}", o.context());
        assert!(!root.join("out").exists());
    }
}

#[test]
fn an_unwritable_cache_is_a_warning_and_the_same_export() {
    let p = CacheProject::new(3, 1);
    let root = p.root();
    export(root, "plain", &[]);
    write(root, "not-a-dir", "x");
    let o = export(root, "out", &["-c", "not-a-dir/cache"]);
    assert_eq!(counts(&o), (0, 3));
    let warnings: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("WARNING"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", o.context());
    assert!(
        warnings[0].contains("cannot write to the cache"),
        "{}",
        o.context()
    );
    assert_eq!(
        files_below(&root.join("out")),
        files_below(&root.join("plain"))
    );
}

#[test]
fn racing_exports_share_a_cache_directory() {
    let p = CacheProject::new(12, 5);
    let (root, cache, c) = (p.root(), &p.cache, p.cache_arg());
    export(root, "plain", &[]);
    let want = files_below(&root.join("plain"));
    for round in 0..3 {
        let outs = [format!("a{round}"), format!("b{round}")];
        let children: Vec<Child> = outs
            .iter()
            .map(|out| spawn_export(root, out, &["-c", c, "-p", "2"], &[]))
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        for out in &outs {
            assert_eq!(files_below(&root.join(out)), want, "round {round}: {out}");
        }
        let stored = entries(cache);
        assert_eq!(stored.len(), 12);
        for (name, bytes) in &stored {
            check_entry(name, bytes);
        }
    }
}

/// `gwsonnet export OUT environments -r --ext-str flavour=a ARGS` started in `dir`.
fn spawn_export(dir: &Path, out: &str, args: &[&str], env: &[(&str, String)]) -> Child {
    let mut cmd = std::process::Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("JSONNET_PATH")
        .args([
            "export",
            out,
            "environments",
            "-r",
            "--ext-str",
            "flavour=a",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Kills exports writing to a cache at several moments; what the cache holds is
/// whole entries only, and the next export is right.
fn kill_while_writing(
    root: &Path,
    cache_arg: &str,
    env: &[(&str, String)],
    entries_now: &dyn Fn() -> BTreeMap<String, Vec<u8>>,
) {
    export_env(root, "plain", &[], &[]);
    let want = files_below(&root.join("plain"));
    for (i, delay_ms) in [30u64, 80, 150, 250, 400].into_iter().enumerate() {
        let out = format!("killed{i}");
        let mut child = spawn_export(root, &out, &["-c", cache_arg, "-p", "2"], env);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        for (name, bytes) in entries_now() {
            check_entry(&name, &bytes);
        }
    }
    let o = export_env(root, "after", &["-c", cache_arg], env);
    assert_eq!(files_below(&root.join("after")), want);
    let (hits, misses) = counts(&o);
    assert_eq!(hits + misses, 40);
}

#[test]
fn a_runner_killed_while_writing_leaves_whole_entries_only() {
    let p = CacheProject::new(40, 20);
    kill_while_writing(p.root(), p.cache_arg(), &[], &|| entries(&p.cache));
}

// ---------------------------------------------------------------------------
// A real S3 server.

/// An `s3s-fs` server on 127.0.0.1 serving a temporary directory (each bucket a
/// folder of it), stopped on drop.
struct S3 {
    child: Child,
    data: tempfile::TempDir,
    port: u16,
}

const ACCESS_KEY: &str = "gwsonnet-test";
const SECRET_KEY: &str = "gwsonnet-test-secret";

impl S3 {
    /// Starts the server, or `None` (after `skipped: …`) when `s3s-fs` is not installed
    /// and not in CI.
    fn start() -> Option<Self> {
        let Some(bin) = s3s_fs() else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("s3s-fs is not installed, and CI=true: .ci/run installs it");
            }
            println!("skipped: s3s-fs is not installed (cargo install s3s-fs --version 0.14.1 --locked --features binary)");
            return None;
        };
        let data = tempfile::tempdir().unwrap();
        std::fs::create_dir(data.path().join("bucket")).unwrap();
        let port = free_port();
        let child = std::process::Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting s3s-fs");
        let server = Self { child, data, port };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "s3s-fs did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    /// The environment that points the AWS client at the server.
    fn env(&self) -> Vec<(&'static str, String)> {
        aws_env(self.port)
    }

    /// The objects below `bucket/prefix`, as the server stores them.
    fn objects(&self, prefix: &str) -> BTreeMap<String, Vec<u8>> {
        entries(&self.data.path().join("bucket").join(prefix))
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The AWS client's environment for an endpoint on 127.0.0.1:`port`.
fn aws_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY.into()),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ENDPOINT", format!("http://127.0.0.1:{port}")),
        ("AWS_ALLOW_HTTP", "true".into()),
    ]
}

/// The `s3s-fs` binary: on PATH, or in cargo's bin folder.
fn s3s_fs() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("s3s-fs"))
        .find(|p| p.is_file())
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn s3_hits_misses_and_a_changed_import() {
    let Some(s3) = S3::start() else { return };
    let p = CacheProject::new(4, 3);
    let root = p.root();
    let env = s3.env();
    let url = "s3://bucket/ci/cache";
    let plain = {
        export(root, "plain", &[]);
        files_below(&root.join("plain"))
    };
    let o = export_env(root, "cold", &["-c", url], &env);
    assert_eq!(counts(&o), (0, 4), "{}", o.context());
    assert_eq!(o.stderr.lines().count(), 1, "{}", o.context());
    assert_eq!(files_below(&root.join("cold")), plain);
    let stored = s3.objects("ci/cache");
    assert_eq!(stored.len(), 4);
    for (name, bytes) in &stored {
        check_entry(name, bytes);
    }
    let o = export_env(root, "warm", &["-c", url], &env);
    assert_eq!(counts(&o), (4, 0));
    assert_eq!(files_below(&root.join("warm")), plain);
    write(root, "lib/only1.libsonnet", "{ extra: 'only1-b' }");
    let o = export_env(root, "changed", &["-c", url], &env);
    assert_eq!(counts(&o), (3, 1));
    assert!(files_below(&root.join("changed"))["v1.ConfigMap-e1-1.yaml"].contains("only1-b"));

    // Entries of another version under the same names: misses with a warning.
    for (name, bytes) in s3.objects("ci/cache") {
        let payload = check_entry(&name, &bytes);
        std::fs::write(
            s3.data.path().join("bucket/ci/cache").join(&name),
            forge_entry(&name, "0.0.0-other", &payload),
        )
        .unwrap();
    }
    let o = export_env(root, "foreign", &["-c", url], &env);
    assert_eq!(counts(&o), (0, 4));
    assert!(
        o.stderr.contains("written by gwsonnet 0.0.0-other"),
        "{}",
        o.context()
    );
}

#[test]
fn s3_racing_exports_share_a_bucket() {
    let Some(s3) = S3::start() else { return };
    let p = CacheProject::new(12, 5);
    let root = p.root();
    export(root, "plain", &[]);
    let want = files_below(&root.join("plain"));
    let env = s3.env();
    let children: Vec<Child> = ["a", "b", "c"]
        .iter()
        .map(|out| spawn_export(root, out, &["-c", "s3://bucket/race", "-p", "2"], &env))
        .collect();
    for child in children {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("WARNING"));
    }
    for out in ["a", "b", "c"] {
        assert_eq!(files_below(&root.join(out)), want, "{out}");
    }
    let stored = s3.objects("race");
    assert_eq!(stored.len(), 12);
    for (name, bytes) in &stored {
        check_entry(name, bytes);
    }
    let o = export_env(root, "warm", &["-c", "s3://bucket/race"], &env);
    assert_eq!(counts(&o), (12, 0));
}

#[test]
fn s3_a_runner_killed_while_writing_leaves_whole_objects_only() {
    let Some(s3) = S3::start() else { return };
    let p = CacheProject::new(40, 20);
    let root = p.root();
    let env = s3.env();
    kill_while_writing(root, "s3://bucket/killed", &env, &|| s3.objects("killed"));
}

#[test]
fn s3_an_unreachable_store_is_one_warning_and_the_same_export() {
    let p = CacheProject::new(6, 2);
    let root = p.root();
    export(root, "plain", &[]);
    // Nothing listens on the port: connections are refused at once.
    let env = aws_env(free_port());
    let start = Instant::now();
    let o = export_env(root, "out", &["-c", "s3://bucket/x"], &env);
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    let warnings: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("WARNING"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", o.context());
    assert!(warnings[0].contains("cannot be reached"), "{}", o.context());
    assert_eq!(
        files_below(&root.join("out")),
        files_below(&root.join("plain"))
    );

    // A server that refuses the credentials (403): the same, with the server's reason.
    let Some(s3) = S3::start() else { return };
    let mut denied = s3.env();
    denied[1].1 = "wrong-secret".into();
    let o = export_env(root, "denied", &["-c", "s3://bucket/x"], &denied);
    let warnings: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("WARNING"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", o.context());
    assert!(warnings[0].contains("cannot be reached"), "{}", o.context());
    assert_eq!(
        files_below(&root.join("denied")),
        files_below(&root.join("plain"))
    );
}
