//! Differential tests of the CRD libraries: for a library, one generated program calls
//! every function of every kind (and reads every docs field and every object's field
//! list); it must evaluate to the same JSON with the native library (`--crds` /
//! `--crd-library`) as with jsonnet source given with `-J`, both run through gwsonnet.
//!
//! The source is the published one in `../shared` (linked into a temporary `-J`
//! directory at its import path, never copied) for the versions jsonnet-libs publishes,
//! and gwsonnet's own generated source for 1.5, 1.6 and their experimental channels
//! (whose generator output is checked byte for byte against every published version in
//! `tests/libsonnet.rs`).

use crate::common;
use common::{gw, load_libraries, run, shared_fixture, tmp, write, PUBLISHED_GATEWAY_VERSIONS};

use std::path::{Path, PathBuf};

use gwsonnet::model::{library_tree, FnKind, LibNode, Library};

/// A Jsonnet string literal.
fn lit(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The argument a generated call passes for a function's argument type.
fn argument(arg_type: &str, is_array: bool, second: bool) -> &'static str {
    match (arg_type, is_array, second) {
        (_, true, false) => "'one'",
        (_, true, true) => "['two', 'three']",
        ("string", ..) => "'s'",
        ("integer" | "number", ..) => "7",
        ("boolean", ..) => "true",
        ("object", _, false) => "{ a: 'x' }",
        ("object", _, true) => "{ b: 'y' }",
        _ => "'any'",
    }
}

/// Appends the entries of `node` (expression `expr`) to `out`.
fn node_entries(node: &LibNode<'_>, expr: &str, key: &str, out: &mut String) {
    out.push_str(&format!(
        "  {}: std.objectFieldsAll({expr}),\n  {}: std.objectFields({expr}),\n",
        lit(&format!("{key} fieldsAll")),
        lit(&format!("{key} fields"))
    ));
    for f in &node.functions {
        let call = |second: bool| {
            format!(
                "{expr}[{}]({})",
                lit(&f.name),
                argument(f.arg_type, f.is_array, second)
            )
        };
        let value = match f.kind {
            FnKind::Set => call(false),
            FnKind::Mixin => format!("{} + {}", call(false), call(true)),
        };
        out.push_str(&format!(
            "  {}: {value},\n",
            lit(&format!("{key} {}", f.name))
        ));
        out.push_str(&format!(
            "  {}: doc({expr}[{}]),\n",
            lit(&format!("{key} #{}", f.name)),
            lit(&format!("#{}", f.name))
        ));
    }
    for o in &node.objects {
        out.push_str(&format!(
            "  {}: doc({expr}[{}]),\n",
            lit(&format!("{key} #{}", o.name)),
            lit(&format!("#{}", o.name))
        ));
        node_entries(
            o,
            &format!("{expr}[{}]", lit(&o.name)),
            &format!("{key}.{}", o.name),
            out,
        );
    }
}

/// Whether the program reads the docs fields whole or without their help texts.
#[derive(Clone, Copy, PartialEq)]
enum Help {
    Compared,
    Blanked,
}

/// The program: every package docs field, and for every kind `new` (a resource with
/// `metadata`) and its docs, and every function and docs field of every object.
/// `file` is the library file imported (`main.libsonnet`, or `gen.libsonnet` for the
/// generated part of a library with a hand-written layer).
fn program(lib: &Library, file: &str, help: Help) -> String {
    let url = format!("{}/{file}", lib.import_root());
    let mut out = format!("local main = import {};\n", lit(&url));
    out.push_str(match help {
        Help::Compared => "local doc(d) = d;\n",
        Help::Blanked => {
            "local doc(d) = std.mapWithKey(function(k, v) if std.isObject(v) && std.objectHas(v, 'help') then v { help: '' } else v, d) + (if std.objectHas(d, 'help') then { help: '' } else {});\n"
        }
    });
    // Which members of each layout level are visible: the published files hide the
    // groups (`gen.libsonnet`) and show versions and kinds.
    out.push_str("{\n  '#': doc(main['#']),\n  fields: std.objectFields(main),\n");
    for (group, versions) in lib.groups() {
        let g = format!("main[{}]", lit(group));
        out.push_str(&format!(
            "  {}: doc({g}['#']),\n  {}: std.objectFields({g}),\n  {}: std.objectFieldsAll({g}),\n",
            lit(&format!("{group} #")),
            lit(&format!("{group} fields")),
            lit(&format!("{group} fieldsAll"))
        ));
        for (version, kinds) in versions {
            let v = format!("{g}[{}]", lit(version));
            out.push_str(&format!(
                "  {}: doc({v}['#']),\n  {}: std.objectFieldsAll({v}),\n  {}: std.objectFields({v}),\n",
                lit(&format!("{group}.{version} #")),
                lit(&format!("{group}.{version} fieldsAll")),
                lit(&format!("{group}.{version} fields"))
            ));
            for (key, slot) in kinds {
                let kind = slot.kind().expect("carried").expect("loads");
                let tree = library_tree(kind);
                let k = format!("{v}[{}]", lit(key));
                let name = format!("{group}.{version}.{key}");
                if tree.constructor.is_some() && tree.find(&["metadata"]).is_some() {
                    out.push_str(&format!(
                        "  {}: {k}.new('n'),\n  {}: doc({k}['#new']),\n",
                        lit(&format!("{name} new")),
                        lit(&format!("{name} #new")),
                    ));
                }
                out.push_str(&format!(
                    "  {}: doc({k}['#']),\n  {}: {k}.mixin == {k},\n",
                    lit(&format!("{name} #")),
                    lit(&format!("{name} mixin")),
                ));
                node_entries(&tree, &k, &name, &mut out);
            }
        }
    }
    out.push_str("}\n");
    out
}

/// Runs `program` natively (`native` flags) and against the source under `jpath`:
/// both succeed with the same output. Returns the number of entries.
#[track_caller]
fn assert_same_result(what: &str, program: &str, native: &[&str], jpath: &Path) -> usize {
    let dir = tmp();
    write(dir.path(), "p.jsonnet", program);
    let n = run(gw(dir.path()).args(native).arg("p.jsonnet"));
    common::no_panic(&n);
    assert_eq!(n.code, Some(0), "{what} native:\n{}", n.context());
    let s = run(gw(dir.path()).arg("-J").arg(jpath).arg("p.jsonnet"));
    common::no_panic(&s);
    assert_eq!(s.code, Some(0), "{what} source:\n{}", s.context());
    common::assert_same(&n.stdout, &s.stdout, what);
    let v: serde_json::Value = serde_json::from_str(&n.stdout).unwrap();
    v.as_object().unwrap().len()
}

/// A `-J` directory where `repository` (`github.com/jsonnet-libs/x-libsonnet`) is a
/// link to `tree` (a directory of library versions).
fn linked_jpath(repository: &str, tree: &Path) -> tempfile::TempDir {
    let dir = tmp();
    let link = dir.path().join(repository);
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(tree, &link).unwrap();
    dir
}

#[test]
fn every_published_gateway_version_native_equals_published_source() {
    let (Some(crds), Some(published)) = (
        shared_fixture("gateway-api/crds"),
        shared_fixture("gateway-api/libsonnet"),
    ) else {
        return;
    };
    let jpath = linked_jpath("github.com/jsonnet-libs/gateway-api-libsonnet", &published);
    for version in PUBLISHED_GATEWAY_VERSIONS {
        let dir = crds.join(version);
        let libs = load_libraries(std::slice::from_ref(&dir), &[]);
        let entries = assert_same_result(
            version,
            &program(&libs[0], "main.libsonnet", Help::Compared),
            &["--crds", &dir.to_string_lossy()],
            jpath.path(),
        );
        assert!(entries > 500, "{version}: {entries} entries");
    }
}

#[test]
fn metallb_native_equals_published_source() {
    let Some(metallb) = shared_fixture("crd-libraries/metallb") else {
        return;
    };
    let config = metallb.join("config.yml");
    let libs = load_libraries(&[], std::slice::from_ref(&config));
    let jpath = linked_jpath(
        "github.com/jsonnet-libs/metallb-libsonnet",
        &metallb.join("libsonnet"),
    );
    let entries = assert_same_result(
        "metallb",
        &program(&libs[0], "main.libsonnet", Help::Compared),
        &["--crd-library", &config.to_string_lossy()],
        jpath.path(),
    );
    assert!(entries > 300, "{entries} entries");
}

/// 1.5, 1.6 and their experimental channels (no published library): every kind, every
/// function, native against gwsonnet's generated source; and `new` gives the kind.
#[test]
fn unpublished_gateway_versions_native_equals_generated_source() {
    let Some(crds) = shared_fixture("gateway-api/crds") else {
        return;
    };
    for version in ["1.5", "1.5-experimental", "1.6", "1.6-experimental"] {
        let dir: PathBuf = crds.join(version);
        let libs = load_libraries(std::slice::from_ref(&dir), &[]);
        let lib = &libs[0];
        let jpath = tmp();
        let repo = jpath.path().join(lib.repository());
        let mut registry = gwsonnet::model::Registry::new();
        let lib_again = load_libraries(std::slice::from_ref(&dir), &[]).remove(0);
        registry.insert(lib_again);
        gwsonnet::libsonnet::write_library(&registry, &repo).unwrap();
        let prog = program(lib, "main.libsonnet", Help::Compared);
        let n = assert_same_result(
            version,
            &prog,
            &["--crds", &dir.to_string_lossy()],
            jpath.path(),
        );
        assert!(n > 500, "{version}: {n}");
        // every kind's constructor names its kind
        let d = tmp();
        write(d.path(), "p.jsonnet", &prog);
        let o = run(gw(d.path()).args(["--crds", &dir.to_string_lossy(), "p.jsonnet"]));
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        for kind in lib.kinds().unwrap() {
            let key = format!(
                "{}.{}.{} new",
                kind.group_key(),
                kind.version,
                kind.field_name()
            );
            assert_eq!(v[&key]["kind"], kind.kind.as_str(), "{key}");
            assert_eq!(v[&key]["apiVersion"], kind.api_version().as_str(), "{key}");
            assert_eq!(v[&key]["metadata"]["name"], "n", "{key}");
        }
    }
}

/// The library of a built-in Kubernetes version.
fn kubernetes(version: &str) -> &'static Library {
    gwsonnet::openapi::builtin::library(version).expect("a built-in version")
}

/// k8s-libsonnet 1.30: every function of every kind and sub-type (the generated part,
/// `gen.libsonnet`; the `_custom` layer is `tests/k8s_custom.rs`'s), natively and from
/// the published source. Docs fields are compared without their help texts: the
/// published 1.30 was generated from a later 1.30 document than v1.30.0, which has
/// other wording in 35 of them (`tests/libsonnet.rs` checks that each is 1.31's).
#[test]
fn kubernetes_1_30_native_equals_published_source() {
    let Some(published) = shared_fixture("kubernetes/k8s-libsonnet") else {
        return;
    };
    let jpath = linked_jpath("github.com/jsonnet-libs/k8s-libsonnet", &published);
    let n = assert_same_result(
        "k8s-libsonnet 1.30",
        &program(kubernetes("1.30"), "gen.libsonnet", Help::Blanked),
        &[],
        jpath.path(),
    );
    assert!(n > 20_000, "{n} entries");
}

/// Every built-in Kubernetes version: every function and docs field (help included),
/// natively and from gwsonnet's generated source of the same version.
#[test]
fn kubernetes_native_equals_generated_source_for_every_built_in_version() {
    for version in gwsonnet::openapi::builtin::versions() {
        let jpath = tmp();
        let mut registry = gwsonnet::model::Registry::new();
        assert!(registry.list_builtin_kubernetes(&gwsonnet::openapi::builtin::KUBERNETES, version));
        gwsonnet::libsonnet::write_library(
            &registry,
            &jpath.path().join(gwsonnet::openapi::REPOSITORY),
        )
        .unwrap();
        let n = assert_same_result(
            version,
            &program(kubernetes(version), "gen.libsonnet", Help::Compared),
            &[],
            jpath.path(),
        );
        assert!(n > 20_000, "{version}: {n} entries");
    }
}
