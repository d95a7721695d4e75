//! The jsonnet-source generator (`gwsonnet::libsonnet`): the generated tcpRoute source
//! is byte-identical to the published file (when a vendored copy is at `/tmp/vendor`),
//! and, needing nothing external, the generated source evaluated by gwsonnet behaves
//! exactly like the native built-in library: same JSON for every setter called every
//! way, for the native-library test programs, and for the docs fields.

use crate::common;
use common::{
    assert_same, assert_tree, load_libraries, shared_fixture, tcp_route, PUBLISHED_GATEWAY_VERSIONS,
};

use std::path::{Path, PathBuf};

use gwsonnet::engine::{Engine, EngineSettings, Input, OutputMode};
use gwsonnet::libsonnet::{render_kind, render_library, write_library};
use gwsonnet::manifest::jsonnet_string::string_literal;
use gwsonnet::model::{library_tree, Kind, LibNode, Library, Registry, Schema};
use tempfile::TempDir;

/// Import path of the published package.
const PACKAGE: &str = "github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental";

/// The vendored upstream tcpRoute file, if this machine has one.
const VENDORED: &str = "/tmp/vendor/github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/v1alpha2/tcpRoute.libsonnet";

#[test]
fn tcp_route_source_is_byte_identical_to_the_published_file() {
    let Ok(want) = std::fs::read_to_string(VENDORED) else {
        println!("skipped: {VENDORED} not found (a vendored gateway-api-libsonnet is needed)");
        return;
    };
    assert_same(&render_kind(tcp_route()), &want, VENDORED);
}

#[test]
fn tcp_route_source_shape() {
    let src = render_kind(tcp_route());
    assert!(src.starts_with(
        "{\n  local d = (import 'doc-util/main.libsonnet'),\n  '#':: d.pkg(name='tcpRoute', url='', help='\"TCPRoute provides a way"
    ));
    assert!(src.ends_with("\n  '#mixin': 'ignore',\n  mixin: self,\n}\n"));
    for line in [
        "\n  '#metadata':: d.obj(help='\"ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.\"'),\n  metadata: {\n",
        "\n    withLabelsMixin(labels): { metadata+: { labels+: labels } },\n",
        "\n    withFinalizers(finalizers): { metadata+: { finalizers: if std.isArray(v=finalizers) then finalizers else [finalizers] } },\n",
        "\n  '#new':: d.fn(help='new returns an instance of TCPRoute', args=[d.arg(name='name', type=d.T.string)]),\n  new(name): {\n    apiVersion: 'gateway.networking.k8s.io/v1alpha2',\n    kind: 'TCPRoute',\n  } + self.metadata.withName(name=name),\n  '#spec':: ",
        "\n      withGroup(group): { group: group },\n",
        "\n      withBackendRefsMixin(backendRefs): { backendRefs+: if std.isArray(v=backendRefs) then backendRefs else [backendRefs] },\n",
        // A help with both kinds of quotes keeps Go's JSON text.
        "\n      '#withPort':: d.fn(help=\"\\\"Port is the network port this Route targets.",
        "args=[d.arg(name='weight', type=d.T.integer)]),\n",
    ] {
        assert!(src.contains(line), "missing {line:?}");
    }
    // Sorted members, each docs field right before its field.
    let root: Vec<&str> = src
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && !l.starts_with("  }"))
        .map(|l| l.trim_start().split([':', '(']).next().unwrap())
        .collect();
    assert_eq!(
        root,
        [
            "local d = ",
            "'#'",
            "'#metadata'",
            "metadata",
            "'#new'",
            "new",
            "'#spec'",
            "spec",
            "'#mixin'",
            "mixin"
        ]
    );
}

#[test]
fn string_literals_follow_the_formatter() {
    assert_eq!(string_literal("a\"b\"\\n"), r#"'a"b"\\n'"#);
    assert_eq!(string_literal("it's"), r#""it's""#);
    assert_eq!(
        string_literal("\"it's\" <x>"),
        r#""\"it's\" \u003cx\u003e""#
    );
    assert_eq!(string_literal("a\n\nb"), r"'a\n\nb'");
}

// ---------------------------------------------------------------------------------------
// Evaluation: the generated source against the native library

/// A `-J` directory holding the generated tcpRoute at the published import path.
fn source_jpath() -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let repository = dir
        .path()
        .join("github.com/jsonnet-libs/gateway-api-libsonnet");
    let written = write_library(
        &Registry::builtin(&gwsonnet::openapi::builtin::KUBERNETES),
        &repository,
    )
    .expect("write");
    let package = dir.path().join(PACKAGE);
    assert_eq!(
        written,
        [
            "_gen/gateway/main.libsonnet",
            "_gen/gateway/v1alpha2/gateway.libsonnet",
            "_gen/gateway/v1alpha2/gatewayClass.libsonnet",
            "_gen/gateway/v1alpha2/grpcRoute.libsonnet",
            "_gen/gateway/v1alpha2/httpRoute.libsonnet",
            "_gen/gateway/v1alpha2/main.libsonnet",
            "_gen/gateway/v1alpha2/referenceGrant.libsonnet",
            "_gen/gateway/v1alpha2/tcpRoute.libsonnet",
            "_gen/gateway/v1alpha2/tlsRoute.libsonnet",
            "_gen/gateway/v1alpha2/udpRoute.libsonnet",
            "_gen/gateway/v1beta1/gateway.libsonnet",
            "_gen/gateway/v1beta1/gatewayClass.libsonnet",
            "_gen/gateway/v1beta1/httpRoute.libsonnet",
            "_gen/gateway/v1beta1/main.libsonnet",
            "_gen/gateway/v1beta1/referenceGrant.libsonnet",
            "gen.libsonnet",
            "main.libsonnet"
        ]
        .map(|f| package.join(f))
    );
    dir
}

/// Evaluates `code` (imports relative to `cwd`) with `search` as library path; the JSON
/// output or the error text.
fn eval(code: &str, search: Vec<PathBuf>) -> Result<String, String> {
    let code = code.to_owned();
    // A large stack, as the CLI uses: the evaluator recurses on the OS stack.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let engine = Engine::new(&EngineSettings {
                search,
                ..EngineSettings::default()
            });
            let val = engine
                .evaluate(&Input::Code(code))
                .map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            engine
                .write_single(&val, OutputMode::Json, true, &mut out, None)
                .map_err(|e| e.to_string())?;
            Ok(String::from_utf8(out).expect("utf-8 output"))
        })
        .expect("spawn")
        .join()
        .expect("evaluation thread")
}

/// Evaluates `code` with the native library and with the generated source: both must
/// succeed with the same bytes (`ok`), or both fail (`!ok`).
fn assert_equivalent(name: &str, code: &str, jpath: &Path, ok: bool) {
    let native = eval(code, Vec::new());
    let source = eval(code, vec![jpath.to_owned()]);
    match (&native, &source) {
        (Ok(n), Ok(s)) if ok => assert_same(s, n, &format!("{name}: source vs native")),
        (Err(_), Err(_)) if !ok => {}
        _ => panic!("{name}: expected ok={ok}\nnative {native:?}\nsource {source:?}"),
    }
}

const PREAMBLE: &str = "local k = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;\n";

#[test]
fn the_source_is_really_used_under_jpath() {
    let jpath = source_jpath();
    // Marks the vendored copy: only the source sees the change.
    let file = jpath
        .path()
        .join(PACKAGE)
        .join("_gen/gateway/v1alpha2/tcpRoute.libsonnet");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("mixin: self,", "mixin: self, vendored: true,", 1),
    )
    .unwrap();
    let code = format!("{PREAMBLE}std.objectHas(k, 'vendored')");
    assert_eq!(
        eval(&code, vec![jpath.path().to_owned()]).unwrap(),
        "true\n"
    );
    assert_eq!(eval(&code, Vec::new()).unwrap(), "false\n");
}

/// `k.spec.rules.backendRefs` for a node path.
fn node_expr(node: &LibNode<'_>) -> String {
    std::iter::once("k".to_owned())
        .chain(node.path.iter().cloned())
        .collect::<Vec<_>>()
        .join(".")
}

/// One program calling every setter of the tree: positionally and by name, with a
/// scalar, a list and an object, alone and layered on `new` with its mixin twin.
fn every_setter_program(root: &LibNode<'_>) -> String {
    fn walk(node: &LibNode<'_>, out: &mut String) {
        let obj = node_expr(node);
        for f in &node.functions {
            let call = format!("{obj}.{}", f.name);
            let p = &f.param;
            out.push_str(&format!(
                "  '{call}': {{\n    positional: {call}('v'),\n    named: {call}({p}='v'),\n    list: {call}(['a', 'b']),\n    object: {call}({{ o: 1 }}),\n    layered: k.new('n') + {call}(['a']) + {call}({p}='b') + {call}([{{ c: 1 }}]),\n    lazy: std.objectFields({call}(error 'not forced')),\n  }},\n"
            ));
        }
        for o in &node.objects {
            walk(o, out);
        }
    }
    let mut out = format!("{PREAMBLE}{{\n");
    walk(root, &mut out);
    out.push_str("}\n");
    out
}

#[test]
fn every_setter_matches_the_native_library() {
    let jpath = source_jpath();
    let tree = library_tree(tcp_route());
    let code = every_setter_program(&tree);
    assert!(code.matches("positional:").count() >= 30, "{code}");
    assert_equivalent("every setter", &code, jpath.path(), true);
}

#[test]
fn docs_fields_and_visibility_match_the_native_library() {
    let jpath = source_jpath();
    let code = format!(
        "{PREAMBLE}local dump(o) = {{
  visible: std.objectFields(o),
  all: std.objectFieldsAll(o),
  members: {{
    [f]: if f == 'mixin' then 'self'
         else if std.isFunction(o[f]) then 'function'
         else if std.isObject(o[f]) && !std.startsWith(f, '#') then dump(o[f])
         else o[f]
    for f in std.objectFieldsAll(o)
  }},
}};
{{ tcpRoute: dump(k), package_fields: std.objectFieldsAll(import '{PACKAGE}/main.libsonnet') }}
"
    );
    assert_equivalent("docs dump", &code, jpath.path(), true);
}

#[test]
fn constructor_late_binding_and_errors_match_the_native_library() {
    let jpath = source_jpath();
    for (name, body) in [
        ("new", "k.new('x')"),
        ("new named", "k.new(name='x')"),
        ("mixin new", "k.mixin.mixin.new('x')"),
        (
            "overridden withName",
            "(k + { metadata+: { withName(name): { metadata+: { id: name } } } }).new('x')",
        ),
        (
            "super chain",
            "(k + { new(name): super.new(name) + self.metadata.withNamespace('ns') }).new('n')",
        ),
        ("lazy new", "std.objectFields(k.new(error 'x'))"),
        ("missing argument", "k.metadata.withName()"),
        ("unknown named argument", "k.metadata.withName(nom='x')"),
        ("too many arguments", "k.spec.withRules(1, 2)"),
        ("forced error", "k.metadata.withName(error 'boom')"),
        (
            "route",
            "k.new('r') + k.metadata.withNamespace('ns') + k.metadata.withLabels({ a: 'b' })
             + k.spec.withParentRefs(k.spec.parentRefs.withName('gw') + k.spec.parentRefs.withPort(80))
             + k.spec.withRules(k.spec.rules.withBackendRefs([
                 k.spec.rules.backendRefs.withName('svc') + k.spec.rules.backendRefs.withPort(8080)
                 + k.spec.rules.backendRefs.withWeight(1),
               ]))
             + k.metadata.withLabelsMixin({ c: 'd' }) + k.spec.withRulesMixin({})",
        ),
    ] {
        let fails = matches!(
            name,
            "missing argument" | "unknown named argument" | "too many arguments" | "forced error"
        );
        assert_equivalent(name, &format!("{PREAMBLE}{body}"), jpath.path(), !fails);
    }
}

#[test]
fn native_test_programs_match_the_native_library() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/native");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} not found", dir.display());
        return;
    };
    let jpath = source_jpath();
    let mut programs: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonnet"))
        .collect();
    programs.sort();
    for p in programs {
        let code = std::fs::read_to_string(&p).unwrap();
        assert_equivalent(&p.display().to_string(), &code, jpath.path(), true);
    }
}

// ---------------------------------------------------------------------------------------
// A synthetic kind: the generator's edge cases, checked by evaluating the source

const WIDGET: &str = r#"{
  "group": "example.com", "kind": "Widget",
  "schema": {
    "type": "object",
    "description": "A widget's \"thing\" <b> & co",
    "properties": {
      "apiVersion": {"type": "string"},
      "kind": {"type": "string"},
      "metadata": {"type": "object", "properties": {"name": {"type": "string", "description": "Name."}}},
      "spec": {"type": "object", "description": "", "properties": {
        "deep": {"type": "object", "properties": {"inner": {"type": "object", "properties": {
          "x-y": {"type": "integer", "description": "tab\there"},
          "local": {"type": "boolean"}
        }}}},
        "empty": {"type": "object", "description": "Only status.", "properties": {"status": {"type": "string"}}},
        "items": {"type": "array", "items": {"type": "object", "properties": {"error": {"type": "string"}}}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "anything": {"description": "it's"}
      }},
      "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}
    }
  }
}"#;

/// A registry with one library holding the widget kind in each of `versions`.
fn widget_registry(versions: &[&str]) -> Registry {
    let widget: serde_json::Value = serde_json::from_str(WIDGET).expect("widget json");
    let schema = Schema::from_json(&widget["schema"]).expect("widget schema");
    let mut lib = Library::new("example", "example.com/widget-libsonnet", "test");
    for version in versions {
        let schema = schema.clone();
        lib.add_kind(
            "example.com",
            version,
            "Widget",
            Box::new(move || Ok(schema.clone())),
        )
        .expect("one widget per version");
    }
    let mut registry = Registry::new();
    registry.insert(lib);
    registry
}

#[test]
fn synthetic_kind_edge_cases() {
    let registry = widget_registry(&["v1"]);
    let lib = registry.libraries().next().unwrap();
    let kind: &Kind = lib.kinds().unwrap()[0];
    let src = render_kind(kind);
    for line in [
        "  '#':: d.pkg(name='widget', url='', help=\"\\\"A widget's \\\\\\\"thing\\\\\\\" \\u003cb\\u003e \\u0026 co\\\"\"),\n",
        "\n    '#empty':: d.obj(help='\"Only status.\"'),\n    empty: {},\n",
        "\n        'withX-Y'(x_y): { spec+: { deep+: { inner+: { 'x-y': x_y } } } },\n",
        "\n        '#withX-Y':: d.fn(help='\"tab\\\\there\"', args=[d.arg(name='x_y', type=d.T.integer)]),\n",
        "\n        withLocal(Local): { spec+: { deep+: { inner+: { 'local': Local } } } },\n",
        "\n      withError(err): { 'error': err },\n",
        "\n    withLabelsMixin(labels): { spec+: { labels+: labels } },\n",
        "\n    '#withAnything':: d.fn(help=\"\\\"it's\\\"\", args=[d.arg(name='anything', type=d.T.any)]),\n",
        "\n  new(name): {\n    apiVersion: 'example.com/v1',\n    kind: 'Widget',\n  } + self.metadata.withName(name=name),\n",
    ] {
        assert!(src.contains(line), "missing {line:?} in\n{src}");
    }
    assert!(
        !src.contains("withStatus") && !src.contains("withReady"),
        "status is skipped:\n{src}"
    );
    assert!(
        !src.contains("withKind"),
        "the root's withKind is dropped:\n{src}"
    );

    let dir = tempfile::tempdir().unwrap();
    let written = write_library(&registry, dir.path()).unwrap();
    assert!(written.contains(&dir.path().join("test/_gen/example/v1/widget.libsonnet")));
    let code = "local k = (import 'test/main.libsonnet').example.v1.widget;
{
  new: k.new('w'),
  deep: k.spec.deep.inner['withX-Y'](1) + k.spec.deep.inner.withLocal(Local=true),
  items: k.spec.withItems(k.spec.items.withError('e')) + k.spec.withItemsMixin([{ b: 2 }]),
  labels: k.spec.withLabels({ a: '1' }) + k.spec.withLabelsMixin({ b: '2' }),
  any: k.spec.withAnything(anything=[1]),
  empty: std.objectFieldsAll(k.spec.empty),
  spec_fields: std.objectFieldsAll(k.spec),
  help: k.spec.deep.inner['#withX-Y'],
  pkg_help: k['#'],
}";
    let got = eval(code, vec![dir.path().to_owned()]).unwrap();
    let got: serde_json::Value = serde_json::from_str(&got).unwrap();
    let want = serde_json::json!({
        "new": {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}},
        "deep": {"spec": {"deep": {"inner": {"x-y": 1, "local": true}}}},
        "items": {"spec": {"items": [{"error": "e"}, {"b": 2}]}},
        "labels": {"spec": {"labels": {"a": "1", "b": "2"}}},
        "any": {"spec": {"anything": [1]}},
        "empty": [],
        "spec_fields": [
            "#deep", "#empty", "#items", "#withAnything", "#withItems", "#withItemsMixin",
            "#withLabels", "#withLabelsMixin", "deep", "empty", "items", "withAnything",
            "withItems", "withItemsMixin", "withLabels", "withLabelsMixin"
        ],
        "help": {"function": {"args": [{"default": null, "enums": null, "name": "x_y", "type": "number"}], "help": "\"tab\\there\""}},
    });
    for (key, value) in want.as_object().unwrap() {
        assert_eq!(&got[key], value, "{key}");
    }
    assert_eq!(got["pkg_help"]["name"], "widget");
    let pkg_help = got["pkg_help"]["help"].as_str().unwrap();
    assert!(
        pkg_help.starts_with("\"A widget's \\\"thing\\\" <b> & co\""),
        "{pkg_help}"
    );
}

#[test]
fn write_library_refuses_two_libraries_in_one_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut registry = widget_registry(&["v1"]);
    registry.insert(Library::new("other", "example.com/other-libsonnet", "test"));
    let err = write_library(&registry, dir.path()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("both write test/"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn cli_subcommand_writes_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a/b");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gwsonnet"))
        .args(["libsonnet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let file = out.join("0.8-experimental/_gen/gateway/v1alpha2/tcpRoute.libsonnet");
    let listing = String::from_utf8(o.stdout).unwrap();
    assert!(
        listing.contains(&format!("{}\n", file.display())),
        "{listing}"
    );
    assert_eq!(listing.lines().count(), 17, "{listing}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        render_kind(tcp_route())
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_gwsonnet"))
        .args(["libsonnet"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--out"));
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_gwsonnet"))
        .args(["libsonnet", "--help"])
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("Usage: gwsonnet libsonnet"));
}

/// Every source tree jsonnet-libs publishes, generated from the CRD YAML in `../shared`
/// through the CRD loader: the 12 Gateway API versions and metallb, file for file.
#[test]
fn every_published_source_tree_is_byte_identical() {
    let (Some(crds), Some(published)) = (
        shared_fixture("gateway-api/crds"),
        shared_fixture("gateway-api/libsonnet"),
    ) else {
        return;
    };
    for version in PUBLISHED_GATEWAY_VERSIONS {
        let libs = load_libraries(&[crds.join(version)], &[]);
        assert_eq!(libs.len(), 1, "{version}");
        assert_tree(&render_library(&libs[0]).unwrap(), &published.join(version));
    }
    let Some(metallb) = shared_fixture("crd-libraries/metallb") else {
        return;
    };
    let libs = load_libraries(&[], &[metallb.join("config.yml")]);
    assert_tree(
        &render_library(&libs[0]).unwrap(),
        &metallb.join("libsonnet/0.14"),
    );
}

/// The `help=` string literals of a generated file, in order.
fn help_texts(text: &str) -> Vec<&str> {
    static HELP: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    HELP.get_or_init(|| regex::Regex::new(r#"help=('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"#).unwrap())
        .captures_iter(text)
        .map(|c| c.get(1).unwrap().as_str())
        .collect()
}

/// The built-in Kubernetes 1.30 source tree against the published k8s-libsonnet 1.30:
/// the same files; every generated file byte-identical except, in 23 files, help texts
/// the published library has from a later 1.30 document than v1.30.0 (each of them is
/// the text gwsonnet's 1.31 has); `main.libsonnet` identical; `_custom/` is gwsonnet's
/// own layer (`tests/k8s_custom.rs` compares its behaviour).
#[test]
fn kubernetes_1_30_source_is_the_published_one_but_for_later_help_texts() {
    let Some(published) = shared_fixture("kubernetes/k8s-libsonnet/1.30") else {
        return;
    };
    let lib = gwsonnet::openapi::builtin::library("1.30").unwrap();
    let got = render_library(lib).unwrap();
    let want = common::files_below(&published);
    let got_names: Vec<&String> = got.keys().collect();
    let want_names: Vec<&String> = want.keys().collect();
    assert_eq!(got_names, want_names);
    let newer = render_library(gwsonnet::openapi::builtin::library("1.31").unwrap()).unwrap();
    let newer_helps: std::collections::HashSet<&str> =
        newer.values().flat_map(|t| help_texts(t)).collect();
    let (mut identical, mut later_help) = (0, 0);
    for (rel, text) in &got {
        if rel.starts_with("_custom/") {
            continue;
        }
        let published = &want[rel];
        if text == published {
            identical += 1;
            continue;
        }
        let (ours, theirs) = (help_texts(text), help_texts(published));
        assert_eq!(ours.len(), theirs.len(), "{rel}");
        let mut masked = text.clone();
        for (o, t) in ours.iter().zip(&theirs) {
            if o != t {
                assert!(newer_helps.contains(t), "{rel}: help not in 1.31: {t}");
                masked = masked.replacen(o, t, 1);
            }
        }
        assert_same(&masked, published, rel);
        later_help += 1;
    }
    assert_eq!((identical, later_help), (want.len() - 8 - 23, 23));
}
