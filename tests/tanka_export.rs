//! `gwsonnet export` on the Tanka project in `jsonnet/tanka/`: every exported file is
//! byte for byte one document of the `show` goldens (Tanka's own bytes, see
//! `jsonnet/tanka/README.md`: `tk export` writes each manifest with the same yaml.v2
//! marshaller `tk show` joins with `---`), `manifest.json` as Go's
//! `json.MarshalIndent(m, "", "    ")`, and the safety cases: conflicts, names leaving
//! the directory, a failure midway and the merge strategies leave the filesystem as
//! specified.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common;

use common::*;

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("jsonnet/tanka")
}

/// The documents of a `show` golden, each as the file `export` writes.
fn golden_docs(golden: &str) -> Vec<String> {
    let text = std::fs::read_to_string(project().join("golden").join(golden)).unwrap();
    let mut docs = Vec::new();
    let mut cur = String::new();
    for line in text.split_inclusive('\n') {
        if line == "---\n" {
            docs.push(std::mem::take(&mut cur));
        } else {
            cur.push_str(line);
        }
    }
    docs.push(cur);
    docs
}

/// A string field of a YAML document (`a.b` paths).
fn field(doc: &str, path: &str) -> Option<String> {
    let yaml = yaml_rust2::YamlLoader::load_from_str(doc)
        .unwrap()
        .remove(0);
    let mut cur = &yaml;
    for key in path.split('.') {
        cur = &cur[key];
    }
    cur.as_str().map(str::to_owned)
}

/// The file Tanka's default format names a document (a `/` of a value becomes `-`).
fn default_name(doc: &str) -> String {
    let name = field(doc, "metadata.name")
        .or_else(|| field(doc, "metadata.generateName"))
        .unwrap();
    format!(
        "{}.{}-{}.yaml",
        field(doc, "apiVersion").unwrap(),
        field(doc, "kind").unwrap(),
        name
    )
    .replace('/', "-")
}

/// `manifest.json` of these files, all from one environment entry file.
fn manifest_json(files: &BTreeMap<String, String>) -> String {
    let lines: Vec<String> = files
        .iter()
        .map(|(f, env)| format!("    \"{f}\": \"{env}\""))
        .collect();
    format!("{{\n{}\n}}", lines.join(",\n"))
}

/// The tree `export` should write for these goldens: `(golden, folder prefix, entry)`.
fn expected(sets: &[(&str, &str, &str)]) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut manifest = BTreeMap::new();
    for (golden, prefix, entry) in sets {
        for doc in golden_docs(golden) {
            let rel = format!("{prefix}{}", default_name(&doc));
            manifest.insert(rel.clone(), entry.to_string());
            assert!(files.insert(rel.clone(), doc).is_none(), "{rel} twice");
        }
    }
    files.insert("manifest.json".into(), manifest_json(&manifest));
    files
}

fn export(args: &[&str]) -> Out {
    let o = run(gw(&project()).arg("export").args(args));
    no_panic(&o);
    o
}

/// A file name format putting each environment in its own folder.
const BY_ENV: &str =
    "{{env.metadata.name}}/{{.apiVersion}}.{{.kind}}-{{or .metadata.name .metadata.generateName}}";

#[test]
fn a_static_environment_exports_tankas_bytes() {
    let d = tmp();
    let out = d.path().join("out");
    let o = export(&[out.to_str().unwrap(), "environments/static"]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(o.stdout, "");
    // The progress bar is drawn only on a terminal: a pipe gets nothing.
    assert_eq!(o.stderr, "");
    let want = expected(&[("show-static.yaml", "", "environments/static/main.jsonnet")]);
    assert_eq!(files_below(&out), want);
    // Nothing left next to the output directory.
    assert_eq!(listing(d.path()), vec!["out"]);
}

#[test]
fn inline_environments_export_each_with_env_in_the_format() {
    let d = tmp();
    let out = d.path().join("out");
    let o = export(&[
        out.to_str().unwrap(),
        "environments/inline",
        "--format",
        BY_ENV,
    ]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let entry = "environments/inline/main.jsonnet";
    let want = expected(&[
        ("show-inline-dev.yaml", "inline-dev/", entry),
        ("show-inline-prod.yaml", "inline-prod/", entry),
    ]);
    assert_eq!(files_below(&out), want);
    // `--name` picks one, and `--extension` changes the suffix.
    let out2 = d.path().join("out2");
    let o = export(&[
        out2.to_str().unwrap(),
        "environments/inline",
        "--name",
        "prod",
        "--extension",
        "yml",
        "--format",
        "{{ .kind | lower }}_{{ index .metadata.labels \"app\" | default \"none\" }}",
    ]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let got = files_below(&out2);
    assert!(got
        .keys()
        .all(|k| k.ends_with(".yml") || k == "manifest.json"));
    assert!(got.contains_key("manifest.json"));
    assert_eq!(
        got.values().filter(|v| !v.starts_with('{')).count(),
        golden_docs("show-inline-prod.yaml").len()
    );
}

#[test]
fn recursive_exports_every_environment_in_parallel() {
    let tla = ["--tla-code", "replicas=1000000", "-A", "tag=v2"];
    let want = expected(&[
        (
            // The `/` of the static environments' names is a value's: it becomes `-`.
            "show-static.yaml",
            "environments-static/",
            "environments/static/main.jsonnet",
        ),
        (
            "show-inline-dev.yaml",
            "inline-dev/",
            "environments/inline/main.jsonnet",
        ),
        (
            "show-inline-prod.yaml",
            "inline-prod/",
            "environments/inline/main.jsonnet",
        ),
        (
            "show-function.yaml",
            "environments-function/",
            "environments/function/main.jsonnet",
        ),
    ]);
    for parallel in ["1", "8"] {
        let d = tmp();
        let out = d.path().join("out");
        let mut args = vec![
            out.to_str().unwrap(),
            "environments",
            "-r",
            "-p",
            parallel,
            "--format",
            BY_ENV,
        ];
        args.extend(tla);
        let o = export(&args);
        assert_eq!(o.code, Some(0), "-p {parallel}: {}", o.context());
        assert_eq!(files_below(&out), want, "-p {parallel}");
    }
}

#[test]
fn two_manifests_for_one_file_are_an_error_naming_both() {
    let d = tmp();
    let out = d.path().join("out");
    let o = export(&[
        out.to_str().unwrap(),
        "environments/static",
        "--format",
        "{{.kind}}",
    ]);
    fails_plain(
        &o,
        &[
            "two manifests map to the file 'ConfigMap.yaml'",
            "ConfigMap/deep of environment 'environments/static' in environments/static/main.jsonnet",
            "ConfigMap/from-list of environment 'environments/static' in environments/static/main.jsonnet",
            "make --format tell them apart",
        ],
    );
    assert!(!out.exists(), "nothing written");
    assert!(listing(d.path()).is_empty());
    // Two inline environments of one file: both are named, and the fix puts the
    // environment's name in the format.
    let o = export(&[out.to_str().unwrap(), "environments/inline"]);
    fails_plain(
        &o,
        &[
            "two manifests map to the file 'v1.ConfigMap-app.yaml': ConfigMap/app of environment 'inline-dev' in environments/inline/main.jsonnet and ConfigMap/app of environment 'inline-prod' in environments/inline/main.jsonnet; ",
            "--format '{{env.metadata.name}}/{{.apiVersion}}.{{.kind}}-{{or .metadata.name .metadata.generateName}}'",
        ],
    );
    assert!(listing(d.path()).is_empty());
}

#[test]
fn names_leaving_the_directory_are_refused() {
    let d = tmp();
    let out = d.path().join("out");
    for format in ["../{{.kind}}-{{.metadata.name}}", "/etc/{{.metadata.name}}"] {
        let o = export(&[
            out.to_str().unwrap(),
            "environments/static",
            "--format",
            format,
        ]);
        fails_plain(&o, &["leaves the output directory"]);
        assert!(listing(d.path()).is_empty(), "{format}");
    }
    // A `/` or `..` produced by a value stays in one file name.
    let o = export(&[
        out.to_str().unwrap(),
        "environments/static",
        "--format",
        "{{ print \"../\" .metadata.name }}",
        "-t",
        "namespace/.*",
    ]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(listing(&out), vec!["..-apps.yaml", "manifest.json"]);
}

#[test]
fn unsupported_template_syntax_is_a_clear_error() {
    let d = tmp();
    let out = d.path().join("out");
    let o = export(&[
        out.to_str().unwrap(),
        "environments/static",
        "--format",
        "{{ toYaml . }}",
    ]);
    fails_plain(&o, &["parsing format", "\"toYaml\" not defined"]);
    let o = export(&[
        out.to_str().unwrap(),
        "environments/static",
        "--format",
        "{{ range .x }}{{ end }}",
    ]);
    fails_plain(&o, &["parsing format"]);
    assert!(listing(d.path()).is_empty());
}

#[test]
fn a_non_empty_directory_needs_a_merge_strategy() {
    let d = tmp();
    let out = d.path().join("out");
    write(&out, "keep.txt", "mine");
    let o = export(&[out.to_str().unwrap(), "environments/static"]);
    fails_plain(
        &o,
        &[
            "output dir",
            "not empty",
            "--merge-strategy",
            "fail-on-conflicts",
            "replace-envs",
        ],
    );
    assert_eq!(listing(&out), vec!["keep.txt"]);
    let o = export(&[
        out.to_str().unwrap(),
        "environments/static",
        "--merge-strategy",
        "sideways",
    ]);
    fails(
        &o,
        "ERROR: export: ",
        &["fail-on-conflicts or replace-envs"],
    );
    // An empty directory is fine.
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = export(&[empty.to_str().unwrap(), "environments/static"]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(listing(&empty).contains(&"manifest.json".to_owned()));
}

#[test]
fn a_failure_midway_leaves_the_directory_as_it_was() {
    let d = tmp();
    // A second project whose environment fails to evaluate.
    let broken = d.path().join("broken");
    write(&broken, "jsonnetfile.json", "{}");
    write(&broken, "env/spec.json", "{}");
    write(&broken, "env/main.jsonnet", "error 'boom'");
    let out = d.path().join("out");
    write(&out, "keep.txt", "mine");
    write(&out, "sub/also.txt", "mine too");
    let before = files_below(&out);
    let o = export(&[
        out.to_str().unwrap(),
        "environments/static",
        broken.join("env").to_str().unwrap(),
        "-p",
        "1",
        "--merge-strategy",
        "fail-on-conflicts",
    ]);
    fails_runtime(&o, &["boom"]);
    assert_eq!(files_below(&out), before);
    assert_eq!(listing(d.path()), vec!["broken", "out"], "no stage left");

    // A conflict with an existing file is found while writing: still nothing changes.
    write(&out, "v1.Namespace-apps.yaml", "old");
    let before = files_below(&out);
    let o = export(&[
        out.to_str().unwrap(),
        "environments/static",
        "--merge-strategy",
        "fail-on-conflicts",
    ]);
    fails_plain(&o, &["v1.Namespace-apps.yaml' already exists. Aborting"]);
    assert_eq!(files_below(&out), before);
    assert_eq!(listing(d.path()), vec!["broken", "out"], "no stage left");
}

#[test]
fn merge_strategies() {
    let d = tmp();
    let out = d.path().join("out");
    let o_arg = out.to_str().unwrap();
    let static_entry = "environments/static/main.jsonnet";
    let inline_entry = "environments/inline/main.jsonnet";
    let o = export(&[o_arg, "environments/static"]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    write(&out, "notes.txt", "not Tanka's");

    // fail-on-conflicts adds the other environments' files and merges manifest.json.
    let o = export(&[
        o_arg,
        "environments/inline",
        "--format",
        BY_ENV,
        "--merge-strategy",
        "fail-on-conflicts",
    ]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let mut want = expected(&[
        ("show-static.yaml", "", static_entry),
        ("show-inline-dev.yaml", "inline-dev/", inline_entry),
        ("show-inline-prod.yaml", "inline-prod/", inline_entry),
    ]);
    want.insert("notes.txt".into(), "not Tanka's".into());
    assert_eq!(files_below(&out), want);

    // Exporting the static environment again conflicts...
    let o = export(&[
        o_arg,
        "environments/static",
        "--merge-strategy",
        "fail-on-conflicts",
    ]);
    fails_plain(&o, &["already exists. Aborting"]);
    assert_eq!(files_below(&out), want);

    // ...unless its previous files are replaced: only the ConfigMaps stay now.
    let o = export(&[
        o_arg,
        "environments/static",
        "-t",
        "configmap/.*",
        "--merge-strategy",
        "replace-envs",
    ]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let mut want = expected(&[
        ("show-inline-dev.yaml", "inline-dev/", inline_entry),
        ("show-inline-prod.yaml", "inline-prod/", inline_entry),
    ]);
    let mut manifest: BTreeMap<String, String> =
        serde_json::from_str(&want["manifest.json"]).unwrap();
    for doc in golden_docs("show-static.yaml") {
        if field(&doc, "kind").as_deref() == Some("ConfigMap") {
            manifest.insert(default_name(&doc), static_entry.into());
            want.insert(default_name(&doc), doc);
        }
    }
    want.insert("manifest.json".into(), manifest_json(&manifest));
    want.insert("notes.txt".into(), "not Tanka's".into());
    assert_eq!(files_below(&out), want);
    assert_eq!(listing(d.path()), vec!["out"], "no stage left");
}

#[test]
fn usage_errors() {
    let o = export(&["out"]);
    fails(&o, "ERROR: export: ", &["<path>"]);
    let o = export(&["out", "environments/static", "-p", "0"]);
    fails(&o, "ERROR: export: ", &["--parallel"]);
}

/// SIGINT while environments evaluate (the long part of an export): nothing was
/// written yet, so the directory is as it was and no stage is left.
#[test]
fn sigint_midway_leaves_the_directory_as_it_was() {
    let d = tmp();
    let slow = d.path().join("slow");
    write(&slow, "jsonnetfile.json", "{}");
    write(&slow, "env/spec.json", "{}");
    write(
        &slow,
        "env/main.jsonnet",
        "{ n: std.foldl(function(a, i) a + std.foldl(function(b, j) b + j, std.range(1, 10000), 0), std.range(1, 1000000), 0) }",
    );
    let out = d.path().join("out");
    write(&out, "keep.txt", "mine");
    let before = files_below(&out);
    let mut command = std::process::Command::new(BIN);
    command
        .current_dir(project())
        .args(["export", out.to_str().unwrap(), "environments/static"])
        .arg(slow.join("env"))
        .args(["--merge-strategy", "fail-on-conflicts"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // A test run started in the background of a non-interactive shell inherits SIGINT
    // ignored, and so would the child: give it the default disposition a user's
    // terminal gives it.
    // SAFETY: signal(2) is async-signal-safe, as pre_exec requires.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let still_running = child.try_wait().unwrap().is_none();
    // SAFETY: signals the child this test spawned.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert!(still_running, "the slow environment finished within 1.5 s");
    assert!(!status.success());
    assert_eq!(files_below(&out), before);
    assert_eq!(listing(d.path()), vec!["out", "slow"], "no stage left");
}

#[test]
fn a_selector_picks_environments_by_label() {
    let d = tmp();
    let run_with = |out: &Path, selector: &str| {
        export(&[
            out.to_str().unwrap(),
            "environments",
            "-r",
            "--format",
            BY_ENV,
            "--tla-code",
            "replicas=1000000",
            "-A",
            "tag=v2",
            "-l",
            selector,
        ])
    };
    let out = d.path().join("team");
    let o = run_with(&out, "team=platform");
    assert_eq!(o.code, Some(0), "{}", o.context());
    let want = expected(&[(
        "show-static.yaml",
        "environments-static/",
        "environments/static/main.jsonnet",
    )]);
    assert_eq!(files_below(&out), want);

    let out = d.path().join("stages");
    let o = run_with(&out, "stage in (prod, qa),team!=platform");
    assert_eq!(o.code, Some(0), "{}", o.context());
    let want = expected(&[(
        "show-inline-prod.yaml",
        "inline-prod/",
        "environments/inline/main.jsonnet",
    )]);
    assert_eq!(files_below(&out), want);

    let o = run_with(&d.path().join("bad"), "a>1");
    fails(&o, "ERROR: export: ", &["not supported"]);
}

#[test]
fn the_current_directory_can_be_the_output() {
    let d = tmp();
    let out = d.path().join("out");
    write(&out, "keep.txt", "mine");
    let env = project().join("environments/static");
    let o = run(gw(&out).args([
        "export",
        ".",
        env.to_str().unwrap(),
        "--merge-strategy",
        "fail-on-conflicts",
    ]));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let mut want = expected(&[("show-static.yaml", "", "environments/static/main.jsonnet")]);
    want.insert("keep.txt".into(), "mine".into());
    assert_eq!(files_below(&out), want);
    assert_eq!(listing(d.path()), vec!["out"], "no stage left");
}

/// SIGINT while the files are written (into the stage): the writing stops, the stage is
/// removed and the directory is as it was.
#[test]
fn sigint_while_writing_leaves_the_directory_as_it_was() {
    let d = tmp();
    let many = d.path().join("many");
    write(&many, "jsonnetfile.json", "{}");
    write(&many, "env/spec.json", "{}");
    write(
        &many,
        "env/main.jsonnet",
        "{ ['cm%d' % i]: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm%d' % i } } for i in std.range(1, 40000) }",
    );
    let out = d.path().join("out");
    write(&out, "keep.txt", "mine");
    let before = files_below(&out);
    let mut command = std::process::Command::new(BIN);
    command
        .current_dir(d.path())
        .args([
            "export",
            "out",
            "many/env",
            "--merge-strategy",
            "replace-envs",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    // As above: a SIGINT inherited as ignored stays ignored by the export.
    // SAFETY: signal(2) is async-signal-safe, as pre_exec requires.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let child = command.spawn().unwrap();
    let stage = d
        .path()
        .join(format!(".out.gwsonnet-export-{}", child.id()));
    let start = std::time::Instant::now();
    while !stage.join("keep.txt").exists() && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    // SAFETY: signals the child this test spawned.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("interrupted (SIGINT)"), "{stderr}");
    assert_eq!(files_below(&out), before);
    assert_eq!(listing(d.path()), vec!["many", "out"], "no stage left");
}
