//! `gwsonnet validate` on objects of the Kubernetes API's own kinds: kubeconform's
//! acceptance cases as a peer suite (own fixtures in `tests/testdata/k8s_validate/`,
//! see its `PROVENANCE`), then one test per rule: int-or-string, quantities, list-map
//! keys and sets, object metadata, scope, missing `apiVersion`/`kind`, CRDs winning
//! over the API, `--kube-version` and `--openapi`.

use crate::common;

use std::path::{Path, PathBuf};

use common::{gw, run, tmp, write, Out};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/k8s_validate")
}

/// `gwsonnet validate ARGS` in the fixture folder.
fn validate(args: &[&str]) -> Out {
    run(gw(&fixtures()).arg("validate").args(args))
}

/// kubeconform's verdict on each case (valid or not) and the number of objects
/// gwsonnet checks: gwsonnet must agree, with exit status 0 or 2.
#[test]
fn verdicts_equal_kubeconforms() {
    let cases: &[(&str, bool, usize)] = &[
        ("valid.yaml", true, 1),
        ("valid.json", true, 1),
        ("int_or_string.yaml", true, 1),
        ("generate_name.yaml", true, 1),
        ("quantity.yaml", true, 1),
        ("null_array.yaml", true, 1),
        ("null_string.yaml", true, 1),
        ("multi_valid.yaml", true, 6),
        ("multi_invalid.yaml", false, 3),
        ("invalid.yaml", false, 1),
        ("blank.yaml", true, 0),
        ("comment.yaml", true, 0),
        ("missing_kind.yaml", false, 1),
        ("missing_apiversion.yaml", false, 1),
        ("missing_kind_value.yaml", false, 1),
        ("extra_property.yaml", true, 1),
        ("duplicate_property.yaml", true, 1),
        ("list_valid.yaml", true, 6),
        ("list_invalid.yaml", false, 2),
        ("list_empty_valid.yaml", true, 0),
        ("multi_with_list.yaml", true, 2),
    ];
    let mut listed: Vec<&str> = cases.iter().map(|c| c.0).collect();
    listed.push("test_crd.yaml");
    listed.sort_unstable();
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "PROVENANCE")
        .collect();
    on_disk.sort_unstable();
    assert_eq!(listed, on_disk, "every fixture has its verdict");
    for &(file, valid, objects) in cases {
        let o = validate(&["--output", "json", file]);
        assert_eq!(
            o.code,
            Some(if valid { 0 } else { 2 }),
            "{file}: {}",
            o.context()
        );
        let report: Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(report["valid"], valid, "{file}");
        assert_eq!(
            report["objects"].as_array().unwrap().len(),
            objects,
            "{file}: {}",
            o.context()
        );
        assert_eq!(report["unknownKinds"], Value::Array(vec![]), "{file}");
    }
    // A kind no schema is known for: skipped (kubeconform -ignore-missing-schemas),
    // an error with --strict (kubeconform's default).
    let o = validate(&["test_crd.yaml"]);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let o = validate(&["--strict", "test_crd.yaml"]);
    assert_eq!(o.code, Some(2), "{}", o.context());
    // A file that does not exist is bad input.
    let o = validate(&["not-here.yaml"]);
    assert_eq!(o.code, Some(1), "{}", o.context());
}

/// The findings of `validate` on `yaml` (extra flags before the file), as
/// `<path>: <message> [<constraint>]` lines (severity first), and the exit status.
fn findings(args: &[&str], yaml: &str) -> (Option<i32>, Vec<String>) {
    let dir = tmp();
    write(dir.path(), "in.yaml", yaml);
    let o = run(gw(dir.path())
        .arg("validate")
        .args(args)
        .args(["--output", "json", "in.yaml"]));
    assert!(matches!(o.code, Some(0 | 2)), "{}", o.context());
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    let mut lines = Vec::new();
    for object in report["objects"].as_array().unwrap() {
        for f in object["findings"].as_array().unwrap() {
            lines.push(format!(
                "{}: {}: {} [{}]",
                f["severity"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
                f["constraint"].as_str().unwrap()
            ));
        }
    }
    for u in report["unknownKinds"].as_array().unwrap() {
        lines.push(format!("unknown: {} {}", u["apiVersion"], u["kind"]));
    }
    (o.code, lines)
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
";

#[test]
fn int_or_string_takes_an_integer_or_a_string() {
    let yaml = |surge: &str| {
        DEPLOYMENT.replace(
            "  selector:",
            &format!("  strategy: {{rollingUpdate: {{maxSurge: {surge}}}}}\n  selector:"),
        )
    };
    for ok in ["1", "25%", "'3'"] {
        assert_eq!(findings(&[], &yaml(ok)), (Some(0), vec![]), "{ok}");
    }
    for bad in ["1.5", "true", "3000000000", "[1]"] {
        let (code, lines) = findings(&[], &yaml(bad));
        assert_eq!(code, Some(2), "{bad}");
        assert_eq!(
            lines,
            ["error: spec.strategy.rollingUpdate.maxSurge: must be an integer (int32) or a string [int-or-string]"],
            "{bad}"
        );
    }
}

#[test]
fn quantities_are_parsed_as_the_api_server_parses_them() {
    let yaml = |v: &str| {
        DEPLOYMENT.replace(
            "        image: nginx\n",
            &format!("        image: nginx\n        resources: {{limits: {{memory: {v}}}}}\n"),
        )
    };
    for ok in ["512Mi", "1e3", "0.5", "134217728", "'1.5Gi'", "' 2Gi '"] {
        assert_eq!(findings(&[], &yaml(ok)), (Some(0), vec![]), "{ok}");
    }
    let at = "spec.template.spec.containers[0].resources.limits.memory";
    for (bad, message) in [
        ("1K", "unable to parse quantity's suffix"),
        ("1GB", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        ("lots", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        ("true", "must be a quantity: a string or a number"),
    ] {
        let (code, lines) = findings(&[], &yaml(bad));
        assert_eq!(code, Some(2), "{bad}");
        assert_eq!(lines, [format!("error: {at}: {message} [quantity]")], "{bad}");
    }
}

#[test]
fn list_map_keys_and_sets_are_unique() {
    let yaml = DEPLOYMENT.replace(
        "        image: nginx\n",
        "        image: nginx\n        ports: [{containerPort: 80}, {containerPort: 80, protocol: UDP}, {containerPort: 80}]\n      - name: web\n        image: other\n",
    );
    let (code, lines) = findings(&[], &yaml);
    assert_eq!(code, Some(2));
    assert_eq!(
        lines,
        [
            "error: spec.template.spec.containers[0].ports[2]: Duplicate value [x-kubernetes-list-map-keys]",
            "error: spec.template.spec.containers[1]: Duplicate value [x-kubernetes-list-map-keys]",
        ]
    );
    // `x-kubernetes-list-type: set`: an object's finalizers.
    let yaml = DEPLOYMENT.replace(
        "metadata: {name: web}",
        "metadata: {name: web, finalizers: [example.com/a, example.com/b, example.com/a]}",
    );
    let (code, lines) = findings(&[], &yaml);
    assert_eq!(code, Some(2));
    assert_eq!(
        lines,
        ["error: metadata.finalizers[2]: Duplicate value [x-kubernetes-list-type]"]
    );
}

#[test]
fn null_unknown_fields_types_and_required_fields() {
    let yaml = DEPLOYMENT
        .replace("metadata: {name: web}", "metadata: {name: web, creationTimestamp: null, labels: null}")
        .replace("        image: nginx\n", "        image: nginx\n        args: null\n        command: [null]\n        colour: blue\n")
        .replace("  selector:", "  replicas: '3'\n  paused: null\n  selector:");
    let (code, lines) = findings(&[], &yaml);
    assert_eq!(code, Some(2));
    assert_eq!(
        lines,
        [
            "error: spec.replicas: must be of type integer [type]",
            "warning: spec.template.spec.containers[0].colour: unknown field \"spec.template.spec.containers[0].colour\" (the API server prunes it) [unknown field]",
        ]
    );
    let yaml = DEPLOYMENT
        .replace(
            "      - name: web\n        image: nginx\n",
            "      - image: nginx\n",
        )
        .replace(
            "metadata: {name: web}",
            "metadata: {name: web, creationTimestamp: yesterday}",
        );
    let (code, lines) = findings(&[], &yaml);
    assert_eq!(code, Some(2));
    assert_eq!(
        lines,
        [
            "error: metadata.creationTimestamp: must be of type date-time [format]",
            "error: spec.template.spec.containers[0].name: Required value [required]",
        ]
    );
}

#[test]
fn object_metadata_follows_the_api_servers_rules_for_the_kind() {
    let yaml = "apiVersion: v1
kind: Service
metadata:
  name: 1web
  labels: {'app/x/y': ok, good: 'not ok!'}
  annotations: {'Bad Key': x}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {generateName: 'cfg-'}
---
apiVersion: v1
kind: ConfigMap
metadata: {namespace: x}
";
    let (code, lines) = findings(&[], yaml);
    assert_eq!(code, Some(2));
    let constraints: Vec<String> = lines
        .iter()
        .map(|l| {
            let (head, c) = l.rsplit_once(" [").unwrap();
            let path = head.split(": ").nth(1).unwrap();
            format!("{path} {}", c.trim_end_matches(']'))
        })
        .collect();
    assert_eq!(
        constraints,
        [
            "metadata.name dns1035label",
            "metadata.labels[\"app/x/y\"] qualifiedname",
            "metadata.labels.good labelvalue",
            "metadata.annotations[\"Bad Key\"] qualifiedname",
            "metadata.name required",
        ],
        "{lines:#?}"
    );
}

#[test]
fn a_namespace_on_a_cluster_scoped_kind_is_reported() {
    for (kind, scoped) in [
        ("apiVersion: v1\nkind: Namespace", true),
        (
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole",
            true,
        ),
        (
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nprovisioner: x",
            true,
        ),
        ("apiVersion: v1\nkind: ConfigMap", false),
    ] {
        let yaml = format!("{kind}\nmetadata: {{name: a, namespace: team}}\n");
        let (code, lines) = findings(&[], &yaml);
        assert_eq!(code, Some(0), "{kind}");
        if scoped {
            assert_eq!(lines.len(), 1, "{kind}: {lines:?}");
            assert!(
                lines[0].starts_with("warning: metadata.namespace: "),
                "{lines:?}"
            );
            assert!(lines[0].ends_with("[scope]"), "{lines:?}");
        } else {
            assert!(lines.is_empty(), "{kind}: {lines:?}");
        }
    }
}

#[test]
fn objects_without_api_version_or_kind_are_errors() {
    for (yaml, missing) in [
        ("kind: ConfigMap\nmetadata: {name: a}\n", "apiVersion"),
        ("apiVersion: v1\nmetadata: {name: a}\n", "kind"),
        ("apiVersion: v1\nkind: ''\n", "kind"),
        ("data: {a: b}\n", "apiVersion"),
    ] {
        let (code, lines) = findings(&[], yaml);
        assert_eq!(code, Some(2), "{yaml}");
        assert_eq!(
            lines,
            [format!("error: {missing}: missing '{missing}' key: a Kubernetes object needs apiVersion and kind [required]")],
            "{yaml}"
        );
    }
    // Objects nested in plain mappings are found, as Tanka finds them.
    let (code, lines) = findings(
        &[],
        "app: {cm: {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}}\n",
    );
    assert_eq!((code, lines), (Some(0), vec![]));
}

#[test]
fn documents_that_are_not_mappings_are_errors() {
    let not_object = |what: &str| {
        format!("error: : the document is {what}, not a Kubernetes object (a mapping with apiVersion and kind) [type]")
    };
    for (yaml, want) in [
        ("42\n", not_object("a number")),
        ("just text\n", not_object("a string")),
        ("true\n", not_object("a boolean")),
        (
            "- a\n- b\n",
            "error: : the document is a list with no Kubernetes object in it [type]".to_owned(),
        ),
    ] {
        let (code, lines) = findings(&[], yaml);
        assert_eq!((code, lines), (Some(2), vec![want]), "{yaml}");
    }
    // A list of objects is walked; an empty document or list is nothing to check.
    let (code, lines) = findings(
        &[],
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n",
    );
    assert_eq!((code, lines), (Some(0), vec![]));
    let (code, lines) = findings(&[], "[]\n---\n~\n");
    assert_eq!((code, lines), (Some(0), vec![]));
}

#[test]
fn a_crd_wins_over_the_api_for_the_same_kind() {
    let dir = tmp();
    write(
        dir.path(),
        "crd.yaml",
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: deployments.apps}
spec:
  group: apps
  names: {plural: deployments, kind: Deployment}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          data: {type: object, maxProperties: 1, additionalProperties: {type: string}}
",
    );
    write(
        dir.path(),
        "cm.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\ndata: {a: '1', b: '2'}\n",
    );
    // The API's Deployment has no `data`: a warning only.
    let o = run(gw(dir.path()).args(["validate", "cm.yaml"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(
        o.stdout.contains("warning: data: unknown field"),
        "{}",
        o.context()
    );
    let o = run(gw(dir.path()).args(["validate", "--crds", "crd.yaml", "cm.yaml"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert!(
        o.stdout.contains("data: must have at most 1 properties"),
        "{}",
        o.context()
    );
}

#[test]
fn kube_version_chooses_the_schema() {
    let pod = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostnameOverride: h
  containers: [{name: c, image: i}]
";
    assert_eq!(findings(&[], pod), (Some(0), vec![]));
    assert_eq!(
        findings(&["--kube-version", "1.36"], pod),
        (Some(0), vec![])
    );
    let (code, lines) = findings(&["--kube-version", "1.28"], pod);
    assert_eq!(code, Some(0));
    assert_eq!(
        lines,
        ["warning: spec.hostnameOverride: unknown field \"spec.hostnameOverride\" (the API server prunes it) [unknown field]"]
    );
    // A kind the version does not have is unknown there.
    let class =
        "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu}\nspec: {}\n";
    assert_eq!(findings(&[], class), (Some(0), vec![]));
    let (code, lines) = findings(&["--kube-version", "1.28"], class);
    assert_eq!(code, Some(0));
    assert_eq!(lines, ["unknown: \"resource.k8s.io/v1\" \"DeviceClass\""]);
}

#[test]
fn an_openapi_document_gives_the_kinds_and_their_scopes() {
    let dir = tmp();
    let doc = serde_json::json!({
        "swagger": "2.0",
        "info": {"version": "v1.99.0"},
        "paths": {
            "/apis/example.com/v1/gizmos/{name}": {"get": {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Gizmo"}}},
            "/api/v1/namespaces/{namespace}/widgets": {"post": {"x-kubernetes-group-version-kind": {"group": "", "version": "v1", "kind": "Widget"}}},
        },
        "definitions": {
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object", "properties": {"name": {"type": "string"}, "namespace": {"type": "string"}}},
            "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
            "io.k8s.api.core.v1.Widget": {
                "type": "object",
                "required": ["size"],
                "properties": {
                    "apiVersion": {"type": "string"},
                    "kind": {"type": "string"},
                    "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
                    "size": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"},
                },
                "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Widget"}],
            },
            "com.example.v1.Gizmo": {
                "type": "object",
                "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                    "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}},
                "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Gizmo"}],
            },
        },
    });
    write(dir.path(), "api.json", &doc.to_string());
    write(
        dir.path(),
        "in.yaml",
        "apiVersion: v1\nkind: Widget\nmetadata: {name: w}\nsize: 2Gx\n---\napiVersion: v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g, namespace: x}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
    );
    let o = run(gw(dir.path()).args([
        "validate",
        "--openapi",
        "api.json",
        "--kube-version",
        "1.99",
        "in.yaml",
    ]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "in.yaml#1: Widget w: error: size: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (value: \"2Gx\") [quantity]",
            "in.yaml#2: Widget w: error: size: Required value [required]",
            "in.yaml#3: Gizmo x/g: warning: metadata.namespace: Forbidden: not allowed on this type (a cluster-scoped kind; the API server drops the namespace) (value: \"x\") [scope]",
            "in.yaml#4: Deployment d: skipped: no schema for apps/v1 Deployment",
        ],
        "{}",
        o.context()
    );
    // The document's version is the newest, so validation uses it by default.
    let o = run(gw(dir.path()).args(["validate", "--openapi", "api.json", "in.yaml"]));
    assert!(
        o.stdout.contains("Widget w: error: size: Required value"),
        "{}",
        o.context()
    );
}
