//! A Tanka project on k8s-libsonnet with nothing vendored (`tests/testdata/tanka_k8s/`:
//! `lib/k.libsonnet` imports `github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet`,
//! a helper library of its own builds a Prometheus/Grafana/Alertmanager stack on it, in
//! two static environments and one inline one). `show`, `eval` and `export` give the same
//! bytes with the built-in library as with the published 1.30 library vendored, which is
//! what `tk` renders; and a vendored copy really replaces the built-in library.
//!
//! The published library in `../shared` is linked into the temporary project's `vendor/`
//! (or copied into the temporary directory when one file of it is changed), never into
//! the repository.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common;

use common::*;

/// The library's directory below `vendor/`, as jsonnet-bundler places it.
const VENDORED: &str = "vendor/github.com/jsonnet-libs/k8s-libsonnet/1.30";

/// The environments, in the order they are rendered.
const ENVS: &[&str] = &[
    "environments/dev",
    "environments/prod",
    "environments/staging",
];

/// The committed project.
fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/tanka_k8s")
}

/// `from` copied to `to` (directories recursively, symlinks followed).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.expect("readable dir entry").path();
        let dest = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            fs::copy(&path, &dest).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

/// A fresh copy of the project in a temporary directory; returns the directory and
/// the project root inside it (exports go beside the root, never into it).
fn project_copy() -> (tempfile::TempDir, PathBuf) {
    let d = tmp();
    let root = d.path().join("project");
    copy_tree(&project(), &root);
    assert!(
        !root.join("vendor").exists(),
        "the committed project vendors nothing"
    );
    (d, root)
}

/// Stdout of a successful run in `root`.
#[track_caller]
fn stdout(root: &Path, args: &[&str]) -> String {
    let o = run(gw(root).args(args));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{args:?}:\n{}", o.context());
    assert!(!o.stdout.is_empty(), "{args:?} printed nothing");
    o.stdout
}

/// Everything the project renders: each command's stdout, and each export's files
/// (keyed `<export>/<file>`).
fn render(root: &Path, tag: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for env in ENVS {
        out.insert(format!("show {env}"), stdout(root, &["show", env]));
        out.insert(format!("eval {env}"), stdout(root, &["eval", env]));
    }
    out.insert(
        "eval -e".into(),
        stdout(
            root,
            &[
                "eval",
                "environments/prod",
                "-e",
                "monitoring.prometheus.deployment.spec.template",
            ],
        ),
    );
    // Each environment exported alone with the default file names, then all three at
    // once into folders per namespace.
    let mut exports: Vec<(String, Vec<&str>)> = ENVS
        .iter()
        .map(|env| (env.replace('/', "-"), vec![*env]))
        .collect();
    exports.push((
        "all".into(),
        vec![
            "--format",
            "{{env.spec.namespace}}/{{.kind}}-{{.metadata.name}}",
        ],
    ));
    let base = root.parent().expect("a parent");
    for (name, args) in exports {
        let dir = base.join(format!("export-{tag}-{name}"));
        let mut cmd = vec!["export", dir.to_str().expect("utf-8 path")];
        if name == "all" {
            cmd.extend(ENVS.iter().copied());
        }
        cmd.extend(args);
        let o = run(gw(root).args(&cmd));
        no_panic(&o);
        assert_eq!(o.code, Some(0), "{cmd:?}:\n{}", o.context());
        let files = files_below(&dir);
        assert!(
            files.contains_key("manifest.json"),
            "{cmd:?}: no manifest.json"
        );
        for (rel, text) in files {
            out.insert(format!("export {name}/{rel}"), text);
        }
    }
    out
}

/// `got` and `want` have the same keys and the same bytes under each.
#[track_caller]
fn assert_same_renders(got: &BTreeMap<String, String>, want: &BTreeMap<String, String>) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "the same commands and exported files"
    );
    for (what, text) in got {
        assert_same(text, &want[what], what);
    }
}

/// Links the published 1.30 library into the project's vendor folder.
fn vendor_link(root: &Path, published: &Path) {
    let link = root.join(VENDORED);
    fs::create_dir_all(link.parent().expect("a parent")).unwrap();
    std::os::unix::fs::symlink(published, &link).expect("symlink");
}

#[test]
fn native_and_vendored_k8s_libsonnet_render_the_same_bytes() {
    let Some(published) = shared_fixture("kubernetes/k8s-libsonnet/1.30") else {
        return;
    };
    let (_d, root) = project_copy();

    let native = render(&root, "native");
    assert!(
        !root.join("vendor").exists(),
        "rendering needs no vendor folder"
    );
    // The stack is all there: every kind the project builds, in every environment.
    for env in ENVS {
        let show = &native[&format!("show {env}")];
        for kind in [
            "ServiceAccount",
            "ConfigMap",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Service",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "CronJob",
            "Secret",
            "HorizontalPodAutoscaler",
        ] {
            assert!(
                show.contains(&format!("\nkind: {kind}\n")),
                "{env}: no {kind}"
            );
        }
    }
    let prod = &native["show environments/prod"];
    assert!(
        prod.contains("prometheus-config-hash: "),
        "configMapVolumeMount"
    );
    assert!(
        prod.contains("imagePullPolicy: IfNotPresent"),
        "mapContainers"
    );
    assert!(prod.contains("  team: observability\n"), "resourceDefaults");
    assert!(
        native["export environments-dev/manifest.json"]
            .contains("\"apps-v1.Deployment-prometheus.yaml\": \"environments/dev/main.jsonnet\""),
        "default export names"
    );

    vendor_link(&root, &published);
    let vendored = render(&root, "vendored");
    assert_same_renders(&native, &vendored);
}

#[test]
fn a_vendored_copy_replaces_the_built_in_library() {
    let Some(published) = shared_fixture("kubernetes/k8s-libsonnet/1.30") else {
        return;
    };
    let (_d, root) = project_copy();
    let native = stdout(&root, &["show", "environments/dev"]);

    // A copy of the published library whose container.new also sets a pull policy.
    let copy = root.join(VENDORED);
    copy_tree(&published, &copy);
    let core = copy.join("_custom/core.libsonnet");
    let text = fs::read_to_string(&core).unwrap();
    let helper = "new(name, image):: super.withName(name) + super.withImage(image),";
    assert_eq!(text.matches(helper).count(), 1, "the helper to change");
    let changed = text.replace(
        helper,
        "new(name, image):: super.withName(name) + super.withImage(image) + super.withImagePullPolicy('Never'),",
    );
    fs::write(&core, changed).unwrap();

    let vendored = stdout(&root, &["show", "environments/dev"]);
    assert!(
        !native.contains("imagePullPolicy"),
        "the project sets no pull policy in dev"
    );
    let changed_lines = vendored
        .lines()
        .filter(|l| l.trim() == "imagePullPolicy: Never")
        .count();
    // prometheus, reloader, grafana, node-exporter, alertmanager and the backup job.
    assert_eq!(changed_lines, 6, "every container.new of the vendored copy");
    let without: String = vendored
        .split_inclusive('\n')
        .filter(|l| l.trim() != "imagePullPolicy: Never")
        .collect();
    assert_same(&without, &native, "vendored copy without its one change");
}
