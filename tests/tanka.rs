//! `gwsonnet show` and `gwsonnet eval` on the Tanka project in `jsonnet/tanka/`: the
//! exact bytes of every golden (made with Tanka's own packages and Go's serialisers,
//! see `jsonnet/tanka/README.md`), inline environment selection, and clear errors.

use std::path::{Path, PathBuf};

use crate::common;

use common::*;

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("jsonnet/tanka")
}

/// Each golden and the arguments that print it.
const CASES: &[(&str, &[&str])] = &[
    ("show-static.yaml", &["show", "environments/static"]),
    (
        "show-static-target.yaml",
        &[
            "show",
            "environments/static",
            "-t",
            "configmap/.*",
            "--target=service/web",
        ],
    ),
    (
        "show-static-exclude.yaml",
        &["show", "environments/static", "-t", "!configmap/.*"],
    ),
    (
        "show-inline-prod.yaml",
        &["show", "environments/inline", "--name", "inline-prod"],
    ),
    (
        "show-inline-dev.yaml",
        &["show", "environments/inline", "--name", "dev"],
    ),
    (
        "show-function.yaml",
        &[
            "show",
            "environments/function",
            "--tla-code",
            "replicas=1000000",
            "-A",
            "tag=v2",
        ],
    ),
    ("eval-static.json", &["eval", "environments/static"]),
    ("eval-inline.json", &["eval", "environments/inline"]),
    (
        "eval-static-expr.json",
        &["eval", "environments/static", "-e", "['odd'].data"],
    ),
    (
        "eval-function-expr.json",
        &[
            "eval",
            "environments/function",
            "--tla-code",
            "replicas=1000000",
            "-A",
            "tag=v2",
            "-e",
            "deployment.spec",
        ],
    ),
];

#[test]
fn show_and_eval_match_tanka_byte_for_byte() {
    let root = project();
    for (golden, args) in CASES {
        let want = std::fs::read_to_string(root.join("golden").join(golden))
            .unwrap_or_else(|e| panic!("{golden}: {e}"));
        let o = run(gw(&root).args(*args));
        no_panic(&o);
        assert_eq!(o.code, Some(0), "{golden}:\n{}", o.context());
        assert_same(&o.stdout, &want, golden);
    }
}

#[test]
fn the_entry_file_and_a_subdirectory_name_the_same_environment() {
    let root = project();
    let want = std::fs::read_to_string(root.join("golden/show-static.yaml")).unwrap();
    let o = run(gw(&root.join("environments/static/vendor")).args(["show", "../main.jsonnet"]));
    ok(&o, &want);
    // From a directory below the environment, its main.jsonnet is found above.
    let o = run(gw(&root).args(["show", "environments/static/vendor"]));
    ok(&o, &want);
}

#[test]
fn several_inline_environments_need_a_name() {
    let root = project();
    let o = run(gw(&root).args(["show", "environments/inline"]));
    fails(
        &o,
        "ERROR: found several inline environments",
        &["inline-dev, inline-prod", "--name"],
    );
    let o = run(gw(&root).args(["show", "environments/inline", "--name", "inline"]));
    fails(
        &o,
        "ERROR: found several inline environments matching --name 'inline'",
        &["inline-dev, inline-prod"],
    );
    let o = run(gw(&root).args(["show", "environments/inline", "--name", "qa"]));
    fails(
        &o,
        "ERROR: found no inline environment matching --name 'qa'",
        &["; it has: inline-dev, inline-prod\n"],
    );
}

#[test]
fn show_accepts_and_ignores_dangerous_allow_redirect() {
    let root = project();
    let want = std::fs::read_to_string(root.join("golden/show-static.yaml")).unwrap();
    let o = run(gw(&root).args(["show", "--dangerous-allow-redirect", "environments/static"]));
    ok(&o, &want);
    let o = run(gw(&root).args(["show", "environments/static", "--dangerous-allow-redirect"]));
    ok(&o, &want);
}

#[test]
fn inline_environments_cannot_read_tk_env() {
    let d = tmp();
    write(d.path(), "jsonnetfile.json", "{}");
    write(
        d.path(),
        "env/main.jsonnet",
        "{ apiVersion: 'tanka.dev/v1alpha1', kind: 'Environment', metadata: { name: 'x' }, data: { n: (import 'tk').env } }",
    );
    let o = run(gw(d.path()).args(["show", "env"]));
    fails_runtime(&o, &["only supported for static environments"]);
}

#[test]
fn clear_errors() {
    let d = tmp();
    write(d.path(), "env/main.jsonnet", "{}");
    let o = run(gw(d.path()).args(["show", "env"]));
    fails(
        &o,
        "ERROR: unable to identify the project root",
        &["tkrc.yaml", "jsonnetfile.json"],
    );

    write(d.path(), "tkrc.yaml", "");
    write(
        d.path(),
        "env/spec.json",
        "{\"spec\": {\"namespace\": \"ns\"}}",
    );
    write(d.path(), "env/main.jsonnet", "{ a: { b: [{ c: 1 }] } }");
    let o = run(gw(d.path()).args(["show", "env"]));
    fails(
        &o,
        "ERROR: got an error while extracting env `env`: found invalid Kubernetes object (at .a.b.[0])",
        &["missing attribute \"apiVersion\"", "\n\nc: 1\n"],
    );

    write(
        d.path(),
        "env/main.jsonnet",
        "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { a: 1 } } }",
    );
    let o = run(gw(d.path()).args(["show", "env"]));
    fails(
        &o,
        "ERROR: got an error while extracting env `env`: . has missing or invalid fields:",
        &[
            "metadata.name: missing or not of string type",
            "non-string field 'a'",
        ],
    );

    let o = run(gw(d.path()).args(["show", "env", "-t", "("]));
    fails(&o, "ERROR: invalid --target expression `(`", &[]);

    write(d.path(), "env/spec.json", "{\"spec\": {\"namespace\": 1}}");
    let o = run(gw(d.path()).args(["eval", "env"]));
    fails(&o, "ERROR: parsing spec.json", &[]);

    let o = run(gw(d.path()).args(["show"]));
    fails(&o, "ERROR: show: ", &["path"]);
}

#[test]
fn an_empty_environment_prints_nothing() {
    let d = tmp();
    write(d.path(), "jsonnetfile.json", "{}");
    write(d.path(), "env/spec.json", "{}");
    write(
        d.path(),
        "env/main.jsonnet",
        "{ nothing: null, empty: [], obj: {} }",
    );
    ok(&run(gw(d.path()).args(["show", "env"])), "");
    ok(
        &run(gw(d.path()).args(["eval", "env"])),
        "{\n  \"empty\": [],\n  \"nothing\": null,\n  \"obj\": {}\n}",
    );
}

#[test]
fn import_tk_wins_over_a_file_named_tk() {
    let d = tmp();
    write(d.path(), "jsonnetfile.json", "{}");
    write(d.path(), "env/spec.json", "{}");
    write(d.path(), "env/tk", "{ env: 'the file' }");
    write(
        d.path(),
        "env/main.jsonnet",
        "{ name: (import 'tk').env.metadata.name }",
    );
    ok(
        &run(gw(d.path()).args(["eval", "env"])),
        "{\n  \"name\": \"env\"\n}",
    );
}

#[test]
fn a_projects_crds_folder_is_a_library_without_any_flag() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let d = tmp();
    write(
        d.path(),
        "jsonnetfile.json",
        "{\"version\": 1, \"dependencies\": []}",
    );
    // The CRD YAML a team installs, linked (never copied) as the project's crds/.
    std::os::unix::fs::symlink(&crds, d.path().join("crds")).expect("symlink");
    write(
        d.path(),
        "environments/gw/spec.json",
        r#"{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {"name": "environments/gw"}, "spec": {"namespace": "edge"}}"#,
    );
    write(
        d.path(),
        "environments/gw/main.jsonnet",
        "local gateway = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/1.5/main.libsonnet').gateway;\n\
         local route = gateway.v1.httpRoute;\n\
         local klass = gateway.v1.gatewayClass;\n\
         {\n  route: route.new('web') + route.spec.withHostnames(['example.com']),\n  \
         class: klass.new('edge') + klass.spec.withControllerName('example.com/gw'),\n}\n",
    );
    // GatewayClass is cluster-scoped: its `new` marks it, so no namespace is added.
    ok(
        &run(gw(d.path()).args(["show", "environments/gw"])),
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  annotations:\n    tanka.dev/namespaced: \"false\"\n  name: edge\nspec:\n  controllerName: example.com/gw\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n  namespace: edge\nspec:\n  hostnames:\n  - example.com\n",
    );
}
