//! Hints that lead to the fix, as a user meets them: an import of a library that is
//! not loaded names the versions that are (and where from) and the flag that loads
//! another; CRD sources without a CRD warn once; the built-in library's other kinds
//! point at `--crds`; "similar names" leave out docs fields; misspelt, misplaced and
//! missing commands, `help`, and a bare `gwsonnet`.

use std::path::Path;

use crate::common;

use common::*;

/// A Gateway API bundle CRD (HTTPRoute of `version`, standard channel), in the shape
/// the release YAML has.
fn gateway_crd(version: &str) -> String {
    format!(
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: httproutes.gateway.networking.k8s.io
  annotations:
    gateway.networking.k8s.io/bundle-version: v{version}.0
    gateway.networking.k8s.io/channel: standard
spec:
  group: gateway.networking.k8s.io
  names: {{kind: HTTPRoute, plural: httproutes}}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              hostnames: {{type: array, items: {{type: string}}}}
"
    )
}

/// `gwsonnet <args> -e <code>` in `dir`.
fn eval(dir: &Path, args: &[&str], code: &str) -> Out {
    run(gw(dir).args(args).arg("-e").arg(code))
}

/// The single line of a `RUNTIME ERROR: ` report.
fn first_line(o: &Out) -> &str {
    o.stderr.lines().next().unwrap_or_default()
}

#[test]
fn a_version_that_is_not_loaded_names_the_loaded_ones_and_their_origin() {
    let d = tmp();
    write(d.path(), "crds/1.5/httproute.yaml", &gateway_crd("1.5"));
    let code =
        "(import 'github.com/jsonnet-libs/gateway-api-libsonnet/1.9/main.libsonnet').gateway";
    let o = eval(d.path(), &["--crds", "crds/1.5"], code);
    fails_runtime(&o, &[]);
    let line = first_line(&o);
    for needle in [
        "couldn't open import \"github.com/jsonnet-libs/gateway-api-libsonnet/1.9/main.libsonnet\": no match locally or in the Jsonnet library paths; ",
        "gateway-api-libsonnet 1.9 is not loaded",
        "1.5 (--crds crds/1.5)",
        "0.8-experimental (built in)",
        "--crds <",
    ] {
        assert!(line.contains(needle), "no {needle:?}:\n{}", o.context());
    }
    // The same from GWSONNET_CRDS.
    let o = run(gw(d.path())
        .env("GWSONNET_CRDS", "crds/1.5")
        .args(["-e", code]));
    assert!(
        first_line(&o).contains("1.5 (GWSONNET_CRDS crds/1.5)"),
        "{}",
        o.context()
    );
    // Forgetting --crds: only the built-in version is there.
    let o = eval(
        d.path(),
        &[],
        "import 'github.com/jsonnet-libs/gateway-api-libsonnet/1.5/main.libsonnet'",
    );
    assert!(
        first_line(&o)
            .contains("gwsonnet has 0.8-experimental (built in); load another version with --crds"),
        "{}",
        o.context()
    );
}

#[test]
fn kubernetes_versions_and_crd_groups_that_are_not_loaded_say_how_to_load_them() {
    let d = tmp();
    let o = eval(
        d.path(),
        &[],
        "import 'github.com/jsonnet-libs/k8s-libsonnet/1.99/main.libsonnet'",
    );
    fails_runtime(&o, &[]);
    let line = first_line(&o);
    for needle in [
        "couldn't open import",
        "k8s-libsonnet 1.99 is not available",
        "1.28, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36 (built in)",
        "--openapi",
    ] {
        assert!(line.contains(needle), "no {needle:?}:\n{}", o.context());
    }
    // A file a loaded version does not have.
    let o = eval(
        d.path(),
        &[],
        "import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/nope.libsonnet'",
    );
    assert!(
        first_line(&o).contains("k8s-libsonnet 1.30 (built in) has no file nope.libsonnet"),
        "{}",
        o.context()
    );
    // A CRD group forgotten on the command line.
    let o = eval(
        d.path(),
        &[],
        "import 'gwsonnet/crds/metallb.io/main.libsonnet'",
    );
    assert!(
        first_line(&o).contains(
            "no CRD of the API group metallb.io is loaded (loaded groups: none); give its CRDs with --crds"
        ),
        "{}",
        o.context()
    );
    // A jsonnet-libs CRD library that was never loaded.
    let o = eval(
        d.path(),
        &[],
        "import 'github.com/jsonnet-libs/metallb-libsonnet/0.14/main.libsonnet'",
    );
    assert!(
        first_line(&o).contains("metallb-libsonnet is not loaded")
            && first_line(&o).contains("--crd-library"),
        "{}",
        o.context()
    );
    // Any other import keeps go-jsonnet's words alone.
    let o = eval(d.path(), &[], "import 'lib/nope.libsonnet'");
    assert_eq!(
        first_line(&o),
        "RUNTIME ERROR: couldn't open import \"lib/nope.libsonnet\": no match locally or in the Jsonnet library paths",
        "{}",
        o.context()
    );
}

#[test]
fn crd_sources_without_a_crd_warn_once() {
    let d = tmp();
    write(d.path(), "crds/1.5/httproute.yaml", &gateway_crd("1.5"));
    write(d.path(), "crds/notes.yaml", "a: 1\n");
    // The parent folder: its subfolders are not read.
    let o = run(gw(d.path()).args(["--crds", "crds", "--crds", "crds", "-e", "1"]));
    ok(&o, "1\n");
    let warning = "warning: --crds crds: no CustomResourceDefinition found (subfolders are not read: give one of 1.5)\n";
    assert_eq!(o.stderr, warning, "{}", o.context());
    let o = run(gw(d.path()).env("GWSONNET_CRDS", "crds").args(["-e", "1"]));
    ok(&o, "1\n");
    assert!(
        o.stderr
            .starts_with("warning: GWSONNET_CRDS crds: no CustomResourceDefinition found"),
        "{}",
        o.context()
    );
    // A folder that has CRDs says nothing.
    let o = run(gw(d.path()).args(["--crds", "crds/1.5", "-e", "1"]));
    ok(&o, "1\n");
    assert!(o.stderr.is_empty(), "{}", o.context());
}

#[test]
fn a_tanka_projects_empty_crds_folder_warns_once_for_all_environments() {
    let d = tmp();
    write(d.path(), "jsonnetfile.json", "{}");
    write(d.path(), "crds/README.md", "no CRDs yet\n");
    write(d.path(), "crds/empty.yaml", "# nothing\n");
    for env in ["a", "b"] {
        write(
            d.path(),
            &format!("environments/{env}/main.jsonnet"),
            &format!("{{ cm: {{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {{ name: '{env}' }} }} }}"),
        );
        write(
            d.path(),
            &format!("environments/{env}/spec.json"),
            r#"{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {}, "spec": {"namespace": "default"}}"#,
        );
    }
    let o = run(gw(d.path()).args(["export", "out", "environments", "-r"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(
        o.stderr
            .matches("no CustomResourceDefinition found")
            .count(),
        1,
        "{}",
        o.context()
    );
    assert!(
        o.stderr.contains("the project's crds/ folder"),
        "{}",
        o.context()
    );
}

#[test]
fn the_built_in_librarys_other_kinds_point_at_crds() {
    let d = tmp();
    let o = eval(
        d.path(),
        &[],
        "(import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1beta1.httpRoute.new('x')",
    );
    fails_runtime(
        &o,
        &[
            "gateway.v1beta1.httpRoute of gateway-api 0.8-experimental is not built into gwsonnet",
            "load the CRDs with --crds <file or folder>",
        ],
    );
}

#[test]
fn similar_names_leave_out_docs_fields() {
    let d = tmp();
    let o = eval(
        d.path(),
        &[],
        "local t = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute; t.spec.withRulez([])",
    );
    fails_runtime(&o, &["Field does not exist: withRulez", "withRules"]);
    assert!(!o.stderr.contains("#withRules"), "{}", o.context());
}

#[test]
fn a_misspelt_command_suggests_the_nearest() {
    let d = tmp();
    write(d.path(), "x.jsonnet", "{}");
    let o = run(gw(d.path()).args(["valdate", "x.jsonnet"]));
    fails_plain(
        &o,
        &["unknown command 'valdate'", "did you mean 'validate'?"],
    );
    assert_eq!(o.stderr.lines().count(), 1, "{}", o.context());
    let o = run(gw(d.path()).arg("shwo"));
    fails_plain(&o, &["did you mean 'show'?"]);
    // A file of that name is evaluated, as go-jsonnet does.
    write(d.path(), "valdate", "{ a: 1 }");
    let o = run(gw(d.path()).arg("valdate"));
    ok(&o, "{\n   \"a\": 1\n}\n");
    // Far from any command: go-jsonnet's words alone.
    let o = run(gw(d.path()).arg("routes"));
    fails_plain(&o, &["routes"]);
    assert!(!o.stderr.contains("did you mean"), "{}", o.context());
}

#[test]
fn flags_before_a_command_say_that_commands_come_first() {
    let d = tmp();
    write(d.path(), "f.yaml", "a: 1\n");
    let o = run(gw(d.path()).args(["--crds", "my crds", "validate", "f.yaml"]));
    fails_plain(
        &o,
        &["'validate' is a command, and commands come first: gwsonnet validate --crds 'my crds' f.yaml"],
    );
    // A flag the jsonnet mode does not know, and the command alone.
    let o = run(gw(d.path()).args(["--strict", "validate", "f.yaml"]));
    fails_plain(
        &o,
        &["commands come first: gwsonnet validate --strict f.yaml"],
    );
    let o = run(gw(d.path()).args(["-J", "lib", "show"]));
    fails_plain(&o, &["commands come first: gwsonnet show -J lib"]);
    // A file named like the command is evaluated.
    write(d.path(), "show", "{}");
    let o = run(gw(d.path()).args(["-J", "lib", "show"]));
    ok(&o, "{ }\n");
}

#[test]
fn help_describes_gwsonnet_and_each_command() {
    let d = tmp();
    let help = run(gw(d.path()).arg("--help"));
    let o = run(gw(d.path()).arg("help"));
    ok(&o, &help.stdout);
    for command in ["validate", "show", "export", "help"] {
        let want = run(gw(d.path()).args([command, "--help"]));
        let o = run(gw(d.path()).args(["help", command]));
        ok(&o, &want.stdout);
        assert!(
            o.stdout.starts_with(&format!("Usage: gwsonnet {command}")),
            "{}",
            o.context()
        );
    }
    let o = run(gw(d.path()).args(["help", "valdate"]));
    fails_plain(
        &o,
        &["help: unknown command 'valdate': did you mean 'validate'?"],
    );
    let o = run(gw(d.path()).args(["help", "frobnicate"]));
    fails_plain(
        &o,
        &["help: unknown command 'frobnicate' (commands: show, eval"],
    );
    // A folder named help does not matter; a file named help is evaluated, as before
    // `help` was a command.
    std::fs::create_dir(d.path().join("sub")).unwrap();
    write(&d.path().join("sub"), "help/x", "");
    let o = run(gw(&d.path().join("sub")).arg("help"));
    ok(&o, &help.stdout);
    write(d.path(), "help", "{ h: true }");
    let o = run(gw(d.path()).arg("help"));
    ok(&o, "{\n   \"h\": true\n}\n");
}

#[test]
fn a_bare_gwsonnet_prints_the_usage_and_a_help_hint() {
    let d = tmp();
    let o = run(&mut gw(d.path()));
    no_panic(&o);
    // As go-jsonnet and C++ jsonnet: the error, a blank line, the usage; exit 1.
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stdout.is_empty(), "{}", o.context());
    assert!(
        o.stderr
            .starts_with("ERROR: must give filename\n\nUsage: gwsonnet [OPTIONS] <filename>\n"),
        "{}",
        o.context()
    );
    assert!(
        o.stderr.contains("gwsonnet <COMMAND> [OPTIONS]")
            && o.stderr
                .ends_with("Run 'gwsonnet --help' for the flags and commands.\n"),
        "{}",
        o.context()
    );
    let o = run(gw(d.path()).arg("-e"));
    assert!(
        o.stderr.starts_with("ERROR: must give code\n\nUsage: "),
        "{}",
        o.context()
    );
}
