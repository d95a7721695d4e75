//! The CRD loader from the command line: `--crds`, `GWSONNET_CRDS` and `--crd-library`,
//! every bad-input case of issue 9 (one `file:line` error, exit 1), and the libraries
//! the loaded CRDs become (Gateway API bundles, other CRDs, generator configs).

use crate::common;
use common::{fails, gw, ok, run, shared_fixture, tmp, write};

/// A small CRD: `Widget` of `example.com`, versions `v1` (and `v2` when `two`).
fn widget(scope: &str, description: &str) -> String {
    format!(
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: {scope}
  names:
    kind: Widget
    plural: widgets
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          description: {description}
          properties:
            apiVersion: {{type: string}}
            kind: {{type: string}}
            metadata: {{type: object}}
            spec:
              type: object
              properties:
                size: {{type: integer, description: How big.}}
                tags: {{type: array, items: {{type: string}}}}
"
    )
}

const NOT_A_CRD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";

#[test]
fn a_folder_of_crds_is_a_native_library_and_other_documents_are_skipped() {
    let dir = tmp();
    write(
        dir.path(),
        "crds/widgets.yaml",
        &format!("{NOT_A_CRD}---\n{}", widget("Namespaced", "A widget.")),
    );
    write(dir.path(), "crds/notes.txt", "not yaml: [");
    let o = run(gw(dir.path()).args([
        "--crds",
        "crds",
        "-e",
        "local w = (import 'gwsonnet/crds/example.com/main.libsonnet').example.v1.widget; \
         w.new('a') + w.spec.withSize(3) + w.spec.withTags('t')",
    ]));
    ok(
        &o,
        "{\n   \"apiVersion\": \"example.com/v1\",\n   \"kind\": \"Widget\",\n   \"metadata\": {\n      \"name\": \"a\"\n   },\n   \"spec\": {\n      \"size\": 3,\n      \"tags\": [\n         \"t\"\n      ]\n   }\n}\n",
    );
}

#[test]
fn gwsonnet_crds_is_read_and_cluster_scoped_new_marks_the_object() {
    let dir = tmp();
    write(dir.path(), "a/w.yml", &widget("Cluster", "A widget."));
    let o = run(gw(dir.path()).env("GWSONNET_CRDS", "missing-is-fine-only-if-unused:a").args([
        "-e",
        "(import 'gwsonnet/crds/example.com/main.libsonnet').example.v1.widget.new('a').metadata",
    ]));
    // a GWSONNET_CRDS entry that does not exist is an error like any other path
    fails(
        &o,
        "ERROR: reading CRDs from missing-is-fine-only-if-unused",
        &[],
    );
    let o = run(gw(dir.path()).env("GWSONNET_CRDS", "a").args([
        "-e",
        "(import 'gwsonnet/crds/example.com/main.libsonnet').example.v1.widget.new('a').metadata",
    ]));
    ok(
        &o,
        "{\n   \"annotations\": {\n      \"tanka.dev/namespaced\": \"false\"\n   },\n   \"name\": \"a\"\n}\n",
    );
}

#[test]
fn the_same_crd_twice_is_fine_a_different_definition_is_not() {
    let dir = tmp();
    write(dir.path(), "a.yaml", &widget("Namespaced", "A widget."));
    write(dir.path(), "b.yaml", &widget("Namespaced", "A widget."));
    write(
        dir.path(),
        "c.yaml",
        &widget("Namespaced", "Another widget."),
    );
    let code = "std.objectFields((import 'gwsonnet/crds/example.com/main.libsonnet').example.v1)";
    let o = run(gw(dir.path()).args(["--crds", "a.yaml", "--crds", "b.yaml", "-e", code]));
    ok(&o, "[\n   \"widget\"\n]\n");
    let o = run(gw(dir.path()).args(["--crds", "a.yaml", "--crds", "c.yaml", "-e", code]));
    fails(
        &o,
        "ERROR: c.yaml:12: example.com/v1 Widget is defined differently in a.yaml:12",
        &[],
    );
}

#[test]
fn bad_crd_files_are_one_line_errors_with_file_and_line() {
    let dir = tmp();
    let cases: &[(&str, String, &str)] = &[
        (
            "syntax.yaml",
            "apiVersion: v1\nkind: [\n".to_owned(),
            "ERROR: syntax.yaml:3: YAML syntax error: ",
        ),
        (
            "noversions.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: w}\nspec:\n  group: example.com\n  names: {kind: W}\n".to_owned(),
            "ERROR: noversions.yaml:5: CustomResourceDefinition w has no spec.versions",
        ),
        (
            "noschema.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: w}\nspec:\n  group: example.com\n  names: {kind: W}\n  versions:\n    - name: v1\n      served: true\n".to_owned(),
            "ERROR: noschema.yaml:8: CustomResourceDefinition w version v1 has no schema.openAPIV3Schema",
        ),
        (
            "nogroup.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: w}\nspec:\n  names: {kind: W}\n".to_owned(),
            "ERROR: nogroup.yaml:5: CustomResourceDefinition w has no spec.group",
        ),
    ];
    for (file, text, want) in cases {
        write(dir.path(), file, text);
        let o = run(gw(dir.path()).args(["--crds", file, "-e", "1"]));
        fails(&o, want, &[]);
        assert_eq!(o.stderr.lines().count(), 1, "{}", o.context());
        // the generators load the same way
        let o = run(gw(dir.path()).args(["docs", "--crds", file, "--out", "out"]));
        fails(&o, want, &[]);
    }
    let o = run(gw(dir.path()).args(["--crds", "nowhere", "-e", "1"]));
    fails(
        &o,
        "ERROR: reading CRDs from nowhere: No such file or directory",
        &[],
    );
}

#[test]
fn bad_library_configs_are_one_line_errors_with_file_and_line() {
    let dir = tmp();
    write(
        dir.path(),
        "crds/w.yaml",
        &widget("Namespaced", "A widget."),
    );
    let spec = |extra: &str, crds: &str| {
        format!("repository: example.com/widgets-libsonnet\nspecs:\n  - output: \"1.0\"\n    prefix: ^com\\.example\\..*\n    localName: widgets\n    crds:\n      - {crds}\n{extra}")
    };
    let cases: &[(&str, String, &str)] = &[
        (
            "unknown.yml",
            spec("    patchDir: x\n", "crds/w.yaml"),
            "ERROR: unknown.yml:8: unknown key \"patchDir\" in specs[0] (known: output, prefix, localName, crds)",
        ),
        (
            "missing.yml",
            "repository: r\nspecs:\n  - output: \"1.0\"\n    localName: w\n    crds: []\n".to_owned(),
            "ERROR: missing.yml:3: specs[0] has no \"prefix\"",
        ),
        (
            "norepo.yml",
            "specs: []\n".to_owned(),
            "ERROR: norepo.yml:1: the config has no \"repository\"",
        ),
        (
            "nopath.yml",
            spec("", "crds/nothing.yaml"),
            "ERROR: nopath.yml:7: crds entry crds/nothing.yaml does not exist",
        ),
        (
            "url.yml",
            spec("", "https://example.com/w.yaml"),
            "ERROR: url.yml:7: https://example.com/w.yaml is a URL: gwsonnet does not download; download it and list its local path",
        ),
        (
            "syntax.yml",
            "repository: [\n".to_owned(),
            "ERROR: syntax.yml:2: YAML syntax error: ",
        ),
    ];
    for (file, text, want) in cases {
        write(dir.path(), file, text);
        let o = run(gw(dir.path()).args(["--crd-library", file, "-e", "1"]));
        fails(&o, want, &[]);
        assert_eq!(o.stderr.lines().count(), 1, "{}", o.context());
    }
    write(dir.path(), "good.yml", &spec("", "crds/w.yaml"));
    let o = run(gw(dir.path()).args([
        "--crd-library",
        "good.yml",
        "-e",
        "(import 'example.com/widgets-libsonnet/1.0/main.libsonnet').example.v1.widget.new('a').kind",
    ]));
    ok(&o, "\"Widget\"\n");
}

#[test]
fn gateway_api_versions_side_by_side_and_the_built_in_replaced() {
    let Some(crds) = shared_fixture("gateway-api/crds") else {
        return;
    };
    let dir = tmp();
    let root = "github.com/jsonnet-libs/gateway-api-libsonnet";
    let code = format!(
        "local a = import '{root}/1.5/main.libsonnet';
         local b = import '{root}/0.8-experimental/main.libsonnet';
         local c = import '{root}/1.6-experimental/main.libsonnet';
         [a.gateway.v1.gatewayClass.new('gc'), std.objectFields(b.gateway.v1beta1),
          std.length(std.objectFields(c.gateway))]"
    );
    let o = run(gw(dir.path()).args([
        "--crds",
        &crds.join("1.5").to_string_lossy(),
        "--crds",
        &crds.join("0.8-experimental").to_string_lossy(),
        "--crds",
        &crds.join("1.6-experimental").to_string_lossy(),
        "-e",
        &code,
    ]));
    common::no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v[0]["metadata"]["annotations"]["tanka.dev/namespaced"],
        "false"
    );
    assert_eq!(
        v[1],
        serde_json::json!(["gateway", "gatewayClass", "httpRoute", "referenceGrant"])
    );
}

/// Two API groups with one group key share `<key>.<version>`: their kinds merge (sorted,
/// whatever the load order); the same kind key from both is an error naming both.
#[test]
fn groups_sharing_a_key_merge_or_fail_clearly() {
    let dir = tmp();
    let crd = |group: &str, kind: &str| {
        format!(
            "{{\"apiVersion\": \"apiextensions.k8s.io/v1\", \"kind\": \"CustomResourceDefinition\",
             \"metadata\": {{\"name\": \"x.{group}\"}},
             \"spec\": {{\"group\": \"{group}\", \"scope\": \"Namespaced\", \"names\": {{\"kind\": \"{kind}\"}},
               \"versions\": [{{\"name\": \"v1\", \"schema\": {{\"openAPIV3Schema\": {{\"type\": \"object\"}}}}}}]}}}}\n"
        )
    };
    write(
        dir.path(),
        "lib.yml",
        "repository: example.com/shared-libsonnet\nspecs:\n  - output: \"1\"\n    prefix: ^.*\n    localName: shared\n    crds: [a.json, b.json]\n",
    );
    write(dir.path(), "a.json", &crd("net.b.example.com", "Zebra"));
    write(dir.path(), "b.json", &crd("net.a.example.org", "Ant"));
    let code = "std.objectFields((import 'example.com/shared-libsonnet/1/main.libsonnet').net.v1)";
    let o = run(gw(dir.path()).args(["--crd-library", "lib.yml", "-e", code]));
    ok(&o, "[\n   \"ant\",\n   \"zebra\"\n]\n");
    write(dir.path(), "b.json", &crd("net.a.example.org", "Zebra"));
    let o = run(gw(dir.path()).args(["--crd-library", "lib.yml", "-e", code]));
    fails(
        &o,
        "ERROR: b.json:4: example.com/shared-libsonnet/1: net.v1.zebra is defined twice (net.b.example.com/v1 Zebra and net.a.example.org/v1 Zebra)",
        &[],
    );
}
