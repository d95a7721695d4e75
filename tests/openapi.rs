//! The Kubernetes API as a library from the command line: the built-in versions with no
//! flag and no `../shared`, `--openapi [VERSION=]FILE` / `GWSONNET_OPENAPI` documents,
//! `--kube-version`, vendored copies winning, and every kind of bad input (a version
//! that is not there, a malformed or truncated document, no version, no definitions, a
//! dangling or recursive `$ref`): a one-line error naming the file, exit 1, no panic.

use crate::common;
use common::{fails_plain, gw, no_panic, run, tmp, write, Out};

use std::path::Path;

/// Evaluates `code` in `dir` with `flags`.
fn eval(dir: &Path, flags: &[&str], code: &str) -> Out {
    let o = run(gw(dir).args(flags).args(["-e", code]));
    no_panic(&o);
    o
}

/// `import` of k8s-libsonnet `version`'s main file.
fn k(version: &str) -> String {
    format!("(import 'github.com/jsonnet-libs/k8s-libsonnet/{version}/main.libsonnet')")
}

/// A small OpenAPI document: a resource `example.com/v1 Widget` (as the generator would
/// place `io.k8s.api.example.v1.Widget`) with ObjectMeta and a spec, plus `extra`
/// top-level members.
fn document(info_version: Option<&str>, extra: &str) -> String {
    let info = info_version
        .map(|v| format!("\"info\": {{\"title\": \"Kubernetes\", \"version\": \"{v}\"}},"))
        .unwrap_or_default();
    format!(
        r##"{{{info} "definitions": {{
  "io.k8s.api.example.v1.Widget": {{
    "description": "A widget.", "type": "object",
    "properties": {{
      "apiVersion": {{"type": "string"}}, "kind": {{"type": "string"}},
      "metadata": {{"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}},
      "spec": {{"$ref": "#/definitions/io.k8s.api.example.v1.WidgetSpec"}}
    }},
    "x-kubernetes-group-version-kind": [{{"group": "example.com", "kind": "Widget", "version": "v1"}}]
  }},
  "io.k8s.api.example.v1.WidgetSpec": {{
    "description": "What a widget does.", "type": "object",
    "properties": {{"size": {{"type": "integer"}}, "parts": {{"type": "array", "items": {{"$ref": "#/definitions/io.k8s.api.example.v1.WidgetSpec"}}}}}}
  }},
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {{
    "description": "Metadata.", "type": "object",
    "properties": {{"name": {{"type": "string"}}, "namespace": {{"type": "string"}}}}
  }}{extra}
}}}}"##
    )
}

#[test]
fn built_in_versions_need_no_flag_and_no_shared_data() {
    let dir = tmp();
    for version in [
        "1.28", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36",
    ] {
        let code = format!(
            "local k = {};
             k.apps.v1.deployment.new('web', containers=[k.core.v1.container.new('web', 'nginx')])
             + k.apps.v1.deployment.spec.withReplicas(2)",
            k(version)
        );
        let o = eval(dir.path(), &[], &code);
        assert_eq!(o.code, Some(0), "{version}: {}", o.context());
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(v["kind"], "Deployment", "{version}");
        assert_eq!(v["spec"]["replicas"], 2, "{version}");
        assert_eq!(
            v["spec"]["template"]["spec"]["containers"][0]["image"],
            "nginx"
        );
    }
}

#[test]
fn a_version_that_is_not_there_names_the_ones_that_are() {
    let dir = tmp();
    let o = eval(dir.path(), &[], &format!("{}.core", k("1.29")));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.contains("k8s-libsonnet 1.29 is not available")
            && o.stderr
                .contains("1.28, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36")
            && o.stderr.contains("--openapi"),
        "{}",
        o.context()
    );
}

#[test]
fn a_vendored_copy_wins_over_the_built_in_library() {
    let dir = tmp();
    write(
        dir.path(),
        "vendor/github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet",
        "{ vendored: true }\n",
    );
    let o = eval(
        dir.path(),
        &["-J", "vendor"],
        &format!("{}.vendored", k("1.30")),
    );
    assert_eq!(o.stdout, "true\n", "{}", o.context());
}

#[test]
fn openapi_documents_serve_their_version() {
    let dir = tmp();
    write(dir.path(), "v.json", &document(Some("v1.29.3"), ""));
    write(
        dir.path(),
        "unversioned.json",
        &document(Some("unversioned"), ""),
    );
    let code = format!(
        "local w = {}.example.v1.widget; w.new('a') + w.spec.withSize(3) + w.metadata.withNamespace('n')",
        k("1.29")
    );
    let want = "{\n   \"apiVersion\": \"example.com/v1\",\n   \"kind\": \"Widget\",\n   \"metadata\": {\n      \"name\": \"a\",\n      \"namespace\": \"n\"\n   },\n   \"spec\": {\n      \"size\": 3\n   }\n}\n";
    for flags in [
        vec!["--openapi", "v.json"],
        vec!["--openapi", "1.29=unversioned.json"],
        vec!["--openapi", "v1.29.0=v.json"],
    ] {
        let o = eval(dir.path(), &flags, &code);
        assert_eq!(o.stdout, want, "{flags:?}: {}", o.context());
    }
    let o = run(gw(dir.path())
        .env("GWSONNET_OPENAPI", "v.json")
        .args(["-e", &code]));
    assert_eq!(o.stdout, want, "GWSONNET_OPENAPI: {}", o.context());
    // The recursive reference (parts: [WidgetSpec]) is an ordinary array setter.
    let o = eval(
        dir.path(),
        &["--openapi", "v.json"],
        &format!(
            "{}.example.v1.widgetSpec.withParts({{ size: 1 }})",
            k("1.29")
        ),
    );
    assert_eq!(
        o.stdout,
        "{\n   \"parts\": [\n      {\n         \"size\": 1\n      }\n   ]\n}\n",
        "{}",
        o.context()
    );
}

#[test]
fn an_openapi_document_replaces_the_built_in_version() {
    let dir = tmp();
    write(dir.path(), "v.json", &document(None, ""));
    let o = eval(
        dir.path(),
        &["--openapi", "1.30=v.json"],
        &format!("std.objectFieldsAll({})", k("1.30")),
    );
    assert_eq!(o.code, Some(0), "{}", o.context());
    let fields: Vec<String> = serde_json::from_str(&o.stdout).unwrap();
    assert!(fields.contains(&"example".to_owned()), "{fields:?}");
    // The custom layer still adds its groups (`apps+:`); the generated ones are gone.
    assert!(
        !fields.contains(&"admissionregistration".to_owned()),
        "{fields:?}"
    );
}

#[test]
fn kube_version_must_be_available() {
    let dir = tmp();
    let o = eval(dir.path(), &["--kube-version", "1.29"], "1");
    fails_plain(
        &o,
        &["--kube-version 1.29 is not available", "1.36", "--openapi"],
    );
    let o = eval(dir.path(), &["--kube-version", "latest"], "1");
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.contains("not a Kubernetes version"),
        "{}",
        o.context()
    );
    let o = eval(dir.path(), &["--kube-version", "v1.30.2"], "1");
    assert_eq!(o.code, Some(0), "{}", o.context());
}

#[test]
fn bad_documents_are_one_line_errors_naming_the_file() {
    let dir = tmp();
    let full = document(Some("v1.29.0"), "");
    write(dir.path(), "truncated.json", &full[..full.len() / 2]);
    write(
        dir.path(),
        "unversioned.json",
        &document(Some("unversioned"), ""),
    );
    write(dir.path(), "noinfo.json", &document(None, ""));
    write(
        dir.path(),
        "nodefs.json",
        "{\"info\": {\"version\": \"v1.29.0\"}}",
    );
    write(dir.path(), "array.json", "[1, 2]");
    write(dir.path(), "yaml.json", "swagger: '2.0'\n");
    let cases: &[(&str, &[&str])] = &[
        (
            "truncated.json",
            &["truncated.json: line", "not a JSON document"],
        ),
        (
            "unversioned.json",
            &[
                "unversioned.json: no Kubernetes version",
                "\"unversioned\"",
                "--openapi 1.30=",
            ],
        ),
        (
            "noinfo.json",
            &["noinfo.json: no Kubernetes version", "absent"],
        ),
        (
            "nodefs.json",
            &["nodefs.json: not an OpenAPI v2 document: no \"definitions\""],
        ),
        ("array.json", &["array.json: not an OpenAPI document"]),
        (
            "yaml.json",
            &["yaml.json: line 1 column 1: not a JSON document"],
        ),
        ("missing.json", &["missing.json", "No such file"]),
    ];
    for (file, needles) in cases {
        let o = eval(dir.path(), &["--openapi", file], "1");
        fails_plain(&o, needles);
        assert_eq!(o.stderr.lines().count(), 1, "{file}: {}", o.context());
    }
    let o = eval(dir.path(), &["--openapi", "0.x=noinfo.json"], "1");
    fails_plain(&o, &["0.x=noinfo.json", "No such file"]);
}

#[test]
fn a_dangling_ref_fails_when_its_kind_is_used_naming_file_and_path() {
    let dir = tmp();
    let extra = r##",
  "io.k8s.api.example.v1.Broken": {"type": "object", "properties": {
    "spec": {"type": "object", "properties": {"x": {"$ref": "#/definitions/io.k8s.api.example.v1.Gone"}}}}},
  "io.k8s.api.example.v1.Odd": {"type": "object", "properties": {"x": 5}}"##;
    write(dir.path(), "v.json", &document(Some("v1.29.0"), extra));
    let flags = ["--openapi", "v.json"];
    // Other kinds of the document are unaffected.
    let o = eval(
        dir.path(),
        &flags,
        &format!("{}.example.v1.widget.new('a').kind", k("1.29")),
    );
    assert_eq!(o.stdout, "\"Widget\"\n", "{}", o.context());
    let o = eval(
        dir.path(),
        &flags,
        &format!("{}.example.v1.broken", k("1.29")),
    );
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.contains(
            "v.json: definition io.k8s.api.example.v1.Broken at .properties.spec.properties.x: $ref #/definitions/io.k8s.api.example.v1.Gone names no definition"
        ),
        "{}",
        o.context()
    );
    let o = eval(dir.path(), &flags, &format!("{}.example.v1.odd", k("1.29")));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.contains(
            "definition io.k8s.api.example.v1.Odd at .properties.x: a schema must be an object"
        ),
        "{}",
        o.context()
    );
}

/// The built-in data (`lib/k8s/openapi/`) is exactly what `examples/k8s_openapi.rs`
/// derives from the upstream documents in `../shared`.
#[test]
fn the_built_in_data_is_what_the_tool_derives_from_the_upstream_documents() {
    let Some(dir) = common::shared_fixture("kubernetes/openapi") else {
        return;
    };
    let files = gwsonnet::openapi::compact::compact_dir(&dir).unwrap();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("lib/k8s/openapi");
    assert_eq!(
        common::listing(&committed),
        files.keys().cloned().collect::<Vec<_>>()
    );
    for (name, text) in files {
        let have = std::fs::read_to_string(committed.join(&name)).unwrap();
        assert!(
            have == text,
            "lib/k8s/openapi/{name} is not what the tool derives: run cargo run --example k8s_openapi -- ../shared/kubernetes/openapi lib/k8s/openapi"
        );
    }
}
