//! The built-in `gateway.v1alpha2.tcpRoute` library, run through the `gwsonnet` binary with no
//! library files anywhere (no `-J`, no `JSONNET_PATH`, an empty working directory).
//!
//! Every `tests/testdata/native/NAME.jsonnet` must print exactly `NAME.golden`. The goldens
//! were produced by go-jsonnet 0.22 evaluating the same programs against the real published
//! jsonnet-libs/gateway-api-libsonnet `0.8-experimental` and docsonnet's doc-util
//! (`tests/testdata/native/regen.py` regenerates them; it is not needed to run the tests).
//!
//! `docs_pkg` is the only case that depends on doc-util's `d.pkg` (the `'#'` package fields);
//! it is kept apart so that a doc-util problem shows up there alone.
//!
//! Then: error cases (exit 1, `RUNTIME ERROR: ...`, naming the function or kind, no panic)
//! and the "files on the search path win" rule, checked with a tiny fake library.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common;

use common::*;

const LIB: &str = "github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental";

// ---------------------------------------------------------------------------------------
// Helpers

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/native")
}

/// `gwsonnet -e CODE` in an empty directory.
fn eval(code: &str) -> Out {
    let d = tmp();
    run(gw(d.path()).arg("-e").arg(code))
}

#[track_caller]
fn no_panic(o: &Out) {
    assert!(
        !o.stderr.contains("panicked") && !o.stdout.contains("panicked"),
        "gwsonnet panicked:\n{}",
        o.context()
    );
    assert!(
        o.code.is_some(),
        "gwsonnet was killed by a signal (crash or timeout):\n{}",
        o.context()
    );
}

#[track_caller]
fn ok(o: &Out, stdout: &str) {
    no_panic(o);
    assert_eq!(o.code, Some(0), "expected success:\n{}", o.context());
    assert_eq!(o.stdout, stdout, "stdout differs:\n{}", o.context());
}

/// Exit 1, nothing on stdout, stderr starting `RUNTIME ERROR: ` and containing every needle.
#[track_caller]
fn fails_runtime(o: &Out, needles: &[&str]) {
    no_panic(o);
    assert_eq!(o.code, Some(1), "expected exit 1:\n{}", o.context());
    assert_eq!(
        o.stdout,
        "",
        "nothing should reach stdout:\n{}",
        o.context()
    );
    assert!(
        o.stderr.starts_with("RUNTIME ERROR: "),
        "stderr should start with \"RUNTIME ERROR: \":\n{}",
        o.context()
    );
    for n in needles {
        assert!(
            o.stderr.contains(n),
            "stderr should mention {n:?}:\n{}",
            o.context()
        );
    }
}

/// First lines of a unified-ish diff, to make a golden mismatch readable.
fn first_difference(got: &str, want: &str) -> String {
    let g: Vec<&str> = got.lines().collect();
    let w: Vec<&str> = want.lines().collect();
    for i in 0..g.len().max(w.len()) {
        if g.get(i) != w.get(i) {
            let from = i.saturating_sub(3);
            let mut s = format!("first difference at line {}:\n", i + 1);
            for j in from..(i + 4) {
                if let Some(l) = w.get(j) {
                    s += &format!("  want {:>4}: {}\n", j + 1, l);
                }
            }
            for j in from..(i + 4) {
                if let Some(l) = g.get(j) {
                    s += &format!("  got  {:>4}: {}\n", j + 1, l);
                }
            }
            return s;
        }
    }
    if got.ends_with('\n') != want.ends_with('\n') {
        return "only the trailing newline differs".to_string();
    }
    "no line differs".to_string()
}

/// Runs `NAME.jsonnet` (by absolute path, from an empty directory, no -J) and compares
/// stdout byte for byte with `NAME.golden`.
fn golden(name: &str) {
    let program = testdata().join(format!("{name}.jsonnet"));
    let want = fs::read_to_string(testdata().join(format!("{name}.golden")))
        .unwrap_or_else(|e| panic!("reading {name}.golden: {e}"));
    let d = tmp();
    let o = run(gw(d.path()).arg(&program));
    no_panic(&o);
    assert_eq!(
        o.code,
        Some(0),
        "{name}.jsonnet should evaluate:\n{}",
        o.context()
    );
    if o.stdout != want {
        panic!(
            "{name}.jsonnet: stdout differs from {name}.golden\n{}",
            first_difference(&o.stdout, &want)
        );
    }
}

// ---------------------------------------------------------------------------------------
// Golden programs

macro_rules! golden_tests {
    ($($name:ident),* $(,)?) => {
        const GOLDEN_CASES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                golden(stringify!($name));
            }
        )*
    };
}

golden_tests!(
    new,
    metadata_setters,
    spec_setters,
    parentrefs_setters,
    rules_setters,
    mixin_accumulation,
    set_semantics,
    late_binding,
    named_args,
    values_passthrough,
    visibility,
    functions,
    mixin_field,
    laziness,
    import_chain,
    docs_fields,
    docs_selected,
    // Depends on doc-util's d.pkg (the '#' package docs of every file).
    docs_pkg,
);

/// Every program in testdata/native has a golden and a test above (nothing silently skipped).
#[test]
fn every_program_has_a_golden_and_a_test() {
    let mut programs: Vec<String> = fs::read_dir(testdata())
        .expect("tests/testdata/native")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".jsonnet").map(str::to_string))
        .collect();
    programs.sort();
    assert!(!programs.is_empty());
    for p in &programs {
        assert!(
            testdata().join(format!("{p}.golden")).is_file(),
            "{p}.jsonnet has no {p}.golden"
        );
        assert!(
            GOLDEN_CASES.contains(&p.as_str()),
            "{p}.jsonnet is not listed in golden_tests!"
        );
    }
    for c in GOLDEN_CASES {
        assert!(
            programs.iter().any(|p| p == c),
            "golden_tests! lists {c} but {c}.jsonnet is missing"
        );
    }
}

/// The headline facts, spelled out (they are also inside the goldens).
#[test]
fn headline_facts() {
    let t = format!("(import '{LIB}/main.libsonnet').gateway.v1alpha2.tcpRoute");
    ok(
        &eval(&format!("std.objectFields({t})")),
        "[\n   \"#mixin\",\n   \"metadata\",\n   \"mixin\",\n   \"new\",\n   \"spec\"\n]\n",
    );
    ok(
        &eval(&format!("{t}['#new']")),
        "{\n   \"function\": {\n      \"args\": [\n         {\n            \"default\": null,\n            \"enums\": null,\n            \"name\": \"name\",\n            \"type\": \"string\"\n         }\n      ],\n      \"help\": \"new returns an instance of TCPRoute\"\n   }\n}\n",
    );
    ok(
        &eval(&format!(
            "{t}.spec.parentRefs['#withPort']['function'].args[0].type"
        )),
        "\"number\"\n",
    );
    ok(
        &eval(&format!("std.objectFields({t}.spec.withRules(error 'x'))")),
        "[\n   \"spec\"\n]\n",
    );
    ok(
        &eval(&format!(
            "({t} + {{metadata+: {{withName(name): {{metadata+: {{id: name}}}}}}}}).new('x')"
        )),
        "{\n   \"apiVersion\": \"gateway.networking.k8s.io/v1alpha2\",\n   \"kind\": \"TCPRoute\",\n   \"metadata\": {\n      \"id\": \"x\"\n   }\n}\n",
    );
    ok(
        &eval(&format!("{t}.spec.parentRefs.withName('gw')")),
        "{\n   \"name\": \"gw\"\n}\n",
    );
    ok(
        &eval(&format!("{t}.spec.parentRefs.withPort(port=80)")),
        "{\n   \"port\": 80\n}\n",
    );
}

// ---------------------------------------------------------------------------------------
// Errors

fn tcp(expr: &str) -> String {
    format!("local tcpRoute = (import '{LIB}/main.libsonnet').gateway.v1alpha2.tcpRoute; {expr}")
}

#[test]
fn missing_argument_is_an_error() {
    fails_runtime(
        &eval(&tcp("tcpRoute.metadata.withName()")),
        &["Missing argument: name", "\t<cmdline>:1:"],
    );
    fails_runtime(&eval(&tcp("tcpRoute.new()")), &["Missing argument: name"]);
    fails_runtime(
        &eval(&tcp("tcpRoute.spec.parentRefs.withPort()")),
        &["Missing argument: port"],
    );
}

#[test]
fn too_many_arguments_is_an_error() {
    fails_runtime(
        &eval(&tcp("tcpRoute.metadata.withName('a', 'b')")),
        &["positional argument(s), but got 2", "\t<cmdline>:1:"],
    );
    fails_runtime(
        &eval(&tcp("tcpRoute.new('a', 'b')")),
        &["positional argument(s), but got 2"],
    );
    fails_runtime(
        &eval(&tcp("tcpRoute.spec.withRulesMixin([], [])")),
        &["positional argument(s), but got 2"],
    );
}

#[test]
fn unknown_named_argument_is_an_error() {
    fails_runtime(
        &eval(&tcp("tcpRoute.metadata.withName(nope=1)")),
        &["nope", "\t<cmdline>:1:"],
    );
    fails_runtime(
        &eval(&tcp("tcpRoute.spec.rules.backendRefs.withWeight(weigth=1)")),
        &["weigth"],
    );
}

#[test]
fn argument_given_twice_is_an_error() {
    fails_runtime(&eval(&tcp("tcpRoute.new('x', name='y')")), &["name"]);
}

#[test]
fn errors_surface_even_through_setters() {
    // Laziness defers errors; it must not swallow them.
    fails_runtime(
        &eval(&tcp("tcpRoute.spec.withRules(error 'boom-rules')")),
        &["boom-rules"],
    );
    fails_runtime(
        &eval(&tcp(
            "tcpRoute.new('x') + tcpRoute.metadata.withLabelsMixin(error 'boom-labels')",
        )),
        &["boom-labels"],
    );
}

#[test]
fn functions_that_do_not_exist() {
    fails_runtime(
        &eval(&tcp("tcpRoute.metadata.withNope('x')")),
        &["withNope"],
    );
    // Mixins exist only for array and map fields.
    fails_runtime(
        &eval(&tcp("tcpRoute.metadata.withNameMixin('x')")),
        &["withNameMixin"],
    );
    fails_runtime(
        &eval(&tcp("tcpRoute.spec.parentRefs.withPortMixin(1)")),
        &["withPortMixin"],
    );
}

#[test]
fn late_bound_with_name_replaced_by_a_non_function() {
    fails_runtime(
        &eval(&tcp(
            "(tcpRoute + {metadata+: {withName: {x: 1}}}).new('a')",
        )),
        &[],
    );
    // new calls self.metadata.withName(name=name): a replacement with another parameter
    // name fails, as with the published library.
    fails_runtime(
        &eval(&tcp(
            "(tcpRoute + {metadata+: {withName(n): {x: n}}}).new('a')",
        )),
        &["name"],
    );
    fails_runtime(
        &eval(&tcp("(tcpRoute + {metadata: {}}).new('a')")),
        &["withName"],
    );
}

#[test]
fn calling_a_non_function_is_an_error() {
    fails_runtime(&eval(&tcp("tcpRoute.metadata('x')")), &[]);
    fails_runtime(&eval(&tcp("tcpRoute['#new']('x')")), &[]);
}

fn check_other_kind(o: &Out, kind: &str) {
    fails_runtime(o, &[kind, "tcpRoute"]);
    assert!(
        o.stderr.to_lowercase().contains("only"),
        "the error should say only tcpRoute is built in:\n{}",
        o.context()
    );
}

#[test]
fn other_kinds_fail_naming_the_kind() {
    let main = format!("(import '{LIB}/main.libsonnet').gateway");
    for kind in [
        "v1alpha2.httpRoute",
        "v1alpha2.gateway",
        "v1alpha2.gatewayClass",
        "v1alpha2.grpcRoute",
        "v1alpha2.referenceGrant",
        "v1alpha2.tlsRoute",
        "v1alpha2.udpRoute",
        "v1beta1.gateway",
        "v1beta1.gatewayClass",
        "v1beta1.httpRoute",
        "v1beta1.referenceGrant",
    ] {
        // Plain access, a call into it, and std.objectFields of it.
        check_other_kind(&eval(&format!("{main}.{kind}")), kind);
        check_other_kind(&eval(&format!("{main}.{kind}.new('x')")), kind);
        check_other_kind(&eval(&format!("std.objectFields({main}.{kind})")), kind);
    }
}

#[test]
fn other_kind_files_fail_naming_the_kind() {
    for (file, kind) in [
        (
            "_gen/gateway/v1alpha2/httpRoute.libsonnet",
            "v1alpha2.httpRoute",
        ),
        (
            "_gen/gateway/v1alpha2/udpRoute.libsonnet",
            "v1alpha2.udpRoute",
        ),
        ("_gen/gateway/v1beta1/gateway.libsonnet", "v1beta1.gateway"),
    ] {
        check_other_kind(&eval(&format!("(import '{LIB}/{file}').new('x')")), kind);
    }
}

#[test]
fn other_kinds_do_not_break_the_tcp_route() {
    // Listing the kinds (lazily) and using tcpRoute next to them must work.
    ok(
        &eval(&format!(
            "local v = (import '{LIB}/main.libsonnet').gateway.v1alpha2; \
             {{ kinds: std.length(std.objectFields(v)), kind: v.tcpRoute.new('x').kind }}"
        )),
        "{\n   \"kind\": \"TCPRoute\",\n   \"kinds\": 8\n}\n",
    );
}

#[test]
fn unknown_library_file_is_an_import_error() {
    let o = eval(&format!(
        "import '{LIB}/_gen/gateway/v1alpha9/main.libsonnet'"
    ));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.contains("ERROR"), "{}", o.context());
}

// ---------------------------------------------------------------------------------------
// Files on the search path win over the built-in library

const FAKE_MAIN: &str =
    "{ gateway: { v1alpha2: { tcpRoute: { new(name): { fake: 'vendored', name: name } } } } }\n";
const FAKE_OUT: &str = "{\n   \"fake\": \"vendored\",\n   \"name\": \"x\"\n}\n";

fn program() -> String {
    format!("(import '{LIB}/main.libsonnet').gateway.v1alpha2.tcpRoute.new('x')\n")
}

const BUILTIN_OUT: &str = "{\n   \"apiVersion\": \"gateway.networking.k8s.io/v1alpha2\",\n   \"kind\": \"TCPRoute\",\n   \"metadata\": {\n      \"name\": \"x\"\n   }\n}\n";

#[test]
fn builtin_is_used_without_files() {
    let d = tmp();
    let p = write(d.path(), "prog.jsonnet", &program());
    ok(&run(gw(d.path()).arg(&p)), BUILTIN_OUT);
}

#[test]
fn vendored_copy_under_jpath_wins() {
    let d = tmp();
    write(d.path(), &format!("vendor/{LIB}/main.libsonnet"), FAKE_MAIN);
    let p = write(d.path(), "prog.jsonnet", &program());
    ok(&run(gw(d.path()).args(["-J", "vendor"]).arg(&p)), FAKE_OUT);
    // Absolute -J, and -e instead of a file.
    let vendor = d.path().join("vendor");
    ok(
        &run(gw(d.path()).arg("-J").arg(&vendor).arg("-e").arg(program())),
        FAKE_OUT,
    );
}

#[test]
fn vendored_copy_relative_imports_stay_in_the_vendored_copy() {
    // The vendored main imports 'gen.libsonnet' next to it: the vendored gen, not the
    // built-in one.
    let d = tmp();
    write(
        d.path(),
        &format!("vendor/{LIB}/main.libsonnet"),
        "(import 'gen.libsonnet') + { marker:: 'main' }\n",
    );
    write(
        d.path(),
        &format!("vendor/{LIB}/gen.libsonnet"),
        "{ gateway:: { v1alpha2: { tcpRoute: { new(name): { fromGen: name } } } } }\n",
    );
    let p = write(d.path(), "prog.jsonnet", &program());
    ok(
        &run(gw(d.path()).args(["-J", "vendor"]).arg(&p)),
        "{\n   \"fromGen\": \"x\"\n}\n",
    );
}

#[test]
fn vendored_copy_via_jsonnet_path_wins() {
    let d = tmp();
    write(d.path(), &format!("vendor/{LIB}/main.libsonnet"), FAKE_MAIN);
    let p = write(d.path(), "prog.jsonnet", &program());
    ok(
        &run(gw(d.path())
            .env("JSONNET_PATH", d.path().join("vendor"))
            .arg(&p)),
        FAKE_OUT,
    );
}

#[test]
fn copy_next_to_the_importing_file_wins() {
    // go-jsonnet looks next to the importing file before the search path.
    let d = tmp();
    write(d.path(), &format!("app/{LIB}/main.libsonnet"), FAKE_MAIN);
    let p = write(d.path(), "app/prog.jsonnet", &program());
    let elsewhere = tmp();
    ok(&run(gw(elsewhere.path()).arg(&p)), FAKE_OUT);
}

#[test]
fn vendored_kind_file_wins_for_a_direct_import() {
    let d = tmp();
    write(
        d.path(),
        &format!("vendor/{LIB}/_gen/gateway/v1alpha2/tcpRoute.libsonnet"),
        "{ new(name): { fakeKind: name } }\n",
    );
    let code = format!("(import '{LIB}/_gen/gateway/v1alpha2/tcpRoute.libsonnet').new('x')");
    ok(
        &run(gw(d.path()).args(["-J", "vendor", "-e", &code])),
        "{\n   \"fakeKind\": \"x\"\n}\n",
    );
}

#[test]
fn vendored_kind_file_wins_through_the_builtin_layout_files() {
    // The built-in main, gen, group and version files make their members natively
    // (`gwsonnet.layout`); each member is still an import from its layout file, so a
    // file of the search path at that place wins, and a vendored version file too.
    let d = tmp();
    write(
        d.path(),
        &format!("vendor/{LIB}/_gen/gateway/v1alpha2/tcpRoute.libsonnet"),
        "{ new(name): { fakeKind: name } }\n",
    );
    write(
        d.path(),
        &format!("vendor/{LIB}/_gen/gateway/v1beta1/main.libsonnet"),
        "{ fakeVersion: true }\n",
    );
    let code = format!(
        "local g = (import '{LIB}/main.libsonnet').gateway; \
         {{ kind: g.v1alpha2.tcpRoute.new('x'), version: g.v1beta1, \
            kinds: std.length(std.objectFields(g.v1alpha2)), \
            fields: std.objectFields(g.v1alpha2) == std.objectFields(import '{LIB}/_gen/gateway/v1alpha2/main.libsonnet') }}"
    );
    ok(
        &run(gw(d.path()).args(["-J", "vendor", "-e", &code])),
        "{\n   \"fields\": true,\n   \"kind\": {\n      \"fakeKind\": \"x\"\n   },\n   \"kinds\": 8,\n   \"version\": {\n      \"fakeVersion\": true\n   }\n}\n",
    );
}

#[test]
fn layout_native_names_what_it_does_not_have() {
    for (args, needle) in [
        ("'nope', '', ''", "gwsonnet.layout: no library nope"),
        (
            &format!("'{LIB}', 'nope', ''") as &str,
            "gwsonnet.layout: no group nope in github.com",
        ),
        (
            &format!("'{LIB}', 'gateway', 'v9'"),
            "gwsonnet.layout: no version gateway.v9 in github.com",
        ),
    ] {
        let o = eval(&format!("std.native('gwsonnet.layout')({args})"));
        fails_runtime(&o, &[needle]);
    }
}

#[test]
fn unrelated_jpath_keeps_the_builtin() {
    let d = tmp();
    write(d.path(), "vendor/other/lib.libsonnet", "{ v: 1 }\n");
    write(
        d.path(),
        "vendor/github.com/jsonnet-libs/other-libsonnet/main.libsonnet",
        "{}\n",
    );
    let p = write(d.path(), "prog.jsonnet", &program());
    ok(
        &run(gw(d.path()).args(["-J", "vendor"]).arg(&p)),
        BUILTIN_OUT,
    );
}

#[test]
fn vendored_copy_of_another_version_does_not_shadow_the_builtin() {
    let d = tmp();
    write(
        d.path(),
        "vendor/github.com/jsonnet-libs/gateway-api-libsonnet/0.7/main.libsonnet",
        FAKE_MAIN,
    );
    let p = write(d.path(), "prog.jsonnet", &program());
    ok(
        &run(gw(d.path()).args(["-J", "vendor"]).arg(&p)),
        BUILTIN_OUT,
    );
}

#[test]
fn a_vendored_custom_file_is_added_whole_by_the_builtin_k8s_main() {
    // The built-in k8s `main.libsonnet` adds its hand-written files field by field
    // (each imported when one of its fields is read); a copy of one of them on the
    // search path replaces it whole, fields the built-in file does not add included.
    let k8s = "github.com/jsonnet-libs/k8s-libsonnet/1.30";
    let code = format!(
        "local k = import '{k8s}/main.libsonnet'; \
         {{ pod: std.objectHas(k.core.v1.pod, 'hello'), \
            bind: std.objectHasAll(k.rbac.v1.roleBinding, 'bindRole'), \
            deployment: k.apps.v1.deployment.new('x', containers=[]).kind }}"
    );
    let d = tmp();
    ok(
        &run(gw(d.path()).args(["-J", "vendor", "-e", &code])),
        "{\n   \"bind\": true,\n   \"deployment\": \"Deployment\",\n   \"pod\": false\n}\n",
    );
    write(
        d.path(),
        &format!("vendor/{k8s}/_custom/rbac.libsonnet"),
        "{ core+: { v1+: { pod+: { hello: 1 } } } }\n",
    );
    ok(
        &run(gw(d.path()).args(["-J", "vendor", "-e", &code])),
        "{\n   \"bind\": false,\n   \"deployment\": \"Deployment\",\n   \"pod\": true\n}\n",
    );
}
