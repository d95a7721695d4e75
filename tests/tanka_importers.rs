//! Tanka's own importer and imports tests, ported as data
//! (`tests/testdata/tanka_importers/cases.json`, see its PROVENANCE): every case of
//! `find_importers_test.go` and `imports_test.go`, through the library API and through
//! `gwsonnet tool importers` / `gwsonnet tool imports`; then the graph's edge cases
//! (cycles, missing imports, symlink loops, built-in libraries, `importbin`).

use std::path::{Path, PathBuf};

use gwsonnet::error::{Error, TankaError};
use gwsonnet::tanka::imports::{self, Files};
use serde_json::Value;

use crate::common;

use common::*;

/// The folder Tanka's tests run in (`pkg/jsonnet`'s stand-in).
fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/tanka_importers")
}

fn cases() -> Value {
    let text = std::fs::read_to_string(cases_dir().join("cases.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// `rel` below the cases folder, absolute and real (Tanka's `absPath`).
fn abs(rel: &str) -> PathBuf {
    let dir = std::fs::canonicalize(cases_dir()).unwrap();
    dir.join(rel)
}

/// A case's file argument made independent of the working directory: paths below
/// `testdata/` absolute, root-relative `deleted:` paths kept.
fn argument(file: &str) -> String {
    match file.strip_prefix("deleted:") {
        Some(p) if p.starts_with("testdata/") => format!("deleted:{}", abs(p).display()),
        Some(_) => file.to_owned(),
        None => abs(file).display().to_string(),
    }
}

#[test]
fn tankas_importer_cases_through_the_api() {
    let doc = cases();
    let root = abs(doc["root"].as_str().unwrap());
    for case in doc["importers"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let files: Vec<String> = strings(&case["files"])
            .iter()
            .map(|f| argument(f))
            .collect();
        let found = imports::find_importers(&root, &files);
        if let Some(error) = case.get("error") {
            let e = found.expect_err(name).render();
            let expected = error.as_str().unwrap().replace(
                "testdata/findImporters/does-not-exist.jsonnet",
                &abs("testdata/findImporters/does-not-exist.jsonnet")
                    .display()
                    .to_string(),
            );
            assert!(e.contains(&expected), "{name}: {e}");
            continue;
        }
        let found = found.unwrap_or_else(|e| panic!("{name}: {}", e.render()));
        let expected: Vec<PathBuf> = strings(&case["importers"]).iter().map(|p| abs(p)).collect();
        assert_eq!(found.environments, expected, "{name}");
        if let Some(transitive) = case.get("transitive") {
            let expected: Vec<PathBuf> = strings(transitive).iter().map(|p| abs(p)).collect();
            assert_eq!(found.files, expected, "{name}: transitive importers");
        }
    }
}

#[test]
fn tankas_imports_case_through_the_api() {
    for case in cases()["imports"].as_array().unwrap() {
        let tree = imports::imports(&abs(case["path"].as_str().unwrap()), &Files::new(None))
            .unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(tree.relative_paths(), strings(&case["imports"]));
        assert!(tree.missing.is_empty() && tree.cycles.is_empty());
        let entry = std::fs::read(tree.entry.clone()).unwrap();
        assert_eq!(
            &*tree.files[&tree.entry].contents,
            &entry[..],
            "contents kept"
        );
    }
}

/// A Tanka project in a temporary folder: `tkrc.yaml` and `files`.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tmp();
    write(d.path(), "tkrc.yaml", "");
    for (path, text) in files {
        write(d.path(), path, text);
    }
    d
}

#[test]
fn an_import_cycle_is_reported_and_each_file_counted_once() {
    let d = project(&[
        ("environments/a/main.jsonnet", "(import 'x.libsonnet').v"),
        ("lib/x.libsonnet", "{ v: (import 'y.libsonnet').w, z: 1 }"),
        ("lib/y.libsonnet", "{ w: (import 'x.libsonnet').z }"),
    ]);
    let tree = imports::imports(&d.path().join("environments/a"), &Files::new(None)).unwrap();
    assert_eq!(
        tree.relative_paths(),
        [
            "environments/a/main.jsonnet",
            "lib/x.libsonnet",
            "lib/y.libsonnet"
        ]
    );
    assert_eq!(tree.cycles.len(), 1, "{:?}", tree.cycles);
    let names: Vec<&str> = tree.cycles[0]
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(names, ["x.libsonnet", "y.libsonnet", "x.libsonnet"]);
}

#[test]
fn a_missing_import_names_its_place() {
    let d = project(&[("e/main.jsonnet", "{\n  a: import 'nope.libsonnet',\n}\n")]);
    let e = imports::imports(&d.path().join("e"), &Files::new(None)).unwrap_err();
    assert!(
        matches!(&e, Error::Tanka(TankaError::MissingImport { file, line: 2, column: 6, path })
            if file.ends_with("main.jsonnet") && path == "nope.libsonnet"),
        "{e:?}"
    );
    let e = e.render();
    assert!(
        e.contains("main.jsonnet:2:6: couldn't open import \"nope.libsonnet\": no match locally or in the Jsonnet library paths"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn a_symlink_loop_in_vendor_is_an_error() {
    let d = project(&[("e/main.jsonnet", "import 'loop/x.libsonnet'")]);
    std::fs::create_dir_all(d.path().join("vendor")).unwrap();
    std::os::unix::fs::symlink("loop", d.path().join("vendor/loop")).unwrap();
    let e = imports::imports(&d.path().join("e"), &Files::new(None)).unwrap_err();
    assert!(
        matches!(&e, Error::Tanka(TankaError::UnusableImport { line: 1, column: 1, keyword: "import", path, why, .. })
            if path == "loop/x.libsonnet" && why.contains("symlink loop")),
        "{e:?}"
    );
    let e = imports::find_importers(d.path(), &[]).unwrap_err();
    assert!(
        matches!(&e, Error::Tanka(TankaError::SymlinkLoop { path }) if path.contains("vendor/loop")),
        "{e:?}"
    );
}

#[test]
fn built_in_libraries_raw_imports_and_tk_are_not_files() {
    use gwsonnet::model::Registry;
    let d = project(&[
        (
            "e/main.jsonnet",
            "local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet';\nlocal tk = import 'tk';\n{ a: importstr 'data.txt', b: importbin 'data.txt', c: import 'data.txt' }",
        ),
        ("e/data.txt", "{}"),
    ]);
    let registry = Registry::builtin(&gwsonnet::openapi::builtin::KUBERNETES);
    let files = Files::new(Some(gwsonnet::native::BuiltinFiles::new(
        std::sync::Arc::new(registry),
    )));
    let tree = imports::imports(&d.path().join("e"), &files).unwrap();
    assert_eq!(tree.relative_paths(), ["e/data.txt", "e/main.jsonnet"]);
    assert_eq!(
        tree.builtins.iter().collect::<Vec<_>>(),
        [
            "github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet",
            "tk"
        ]
    );
    // Without the built-in libraries the same import is missing.
    let e = imports::imports(&d.path().join("e"), &Files::new(None)).unwrap_err();
    assert!(
        matches!(&e, Error::Tanka(TankaError::MissingImport { path, .. })
            if path == "github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet"),
        "{e:?}"
    );
}

#[test]
fn a_deleted_file_behind_a_symlinked_folder_is_found() {
    let d = project(&[
        ("e/main.jsonnet", "import 'linked/gone.libsonnet'"),
        ("vendor/real/keep.libsonnet", "{}"),
    ]);
    std::os::unix::fs::symlink("real", d.path().join("vendor/linked")).unwrap();
    let gone = d.path().join("vendor/real/gone.libsonnet");
    let found =
        imports::find_importers(d.path(), &[format!("deleted:{}", gone.display())]).unwrap();
    let main = std::fs::canonicalize(d.path().join("e/main.jsonnet")).unwrap();
    assert_eq!(found.environments, [main]);
}

#[test]
fn tankas_cases_through_the_commands() {
    let dir = cases_dir();
    let doc = cases();
    let root = doc["root"].as_str().unwrap();
    for case in doc["importers"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let files = strings(&case["files"]);
        let o = run(gw(&dir)
            .args(["tool", "importers", "--root", root])
            .args(&files));
        if files.is_empty() {
            assert_eq!(o.code, Some(1), "{name}: {}", o.context());
            assert!(o
                .stderr
                .starts_with("ERROR: tool importers: give at least one <file>"));
            continue;
        }
        if let Some(error) = case.get("error") {
            assert_eq!(o.code, Some(1), "{name}: {}", o.context());
            assert_eq!(
                o.stderr,
                format!("ERROR: {}\n", error.as_str().unwrap()),
                "{name}"
            );
            continue;
        }
        let expected: Vec<String> = strings(&case["importers"])
            .iter()
            .map(|p| abs(p).display().to_string())
            .collect();
        assert_eq!(o.code, Some(0), "{name}: {}", o.context());
        assert_eq!(o.stdout, format!("{}\n", expected.join("\n")), "{name}");
        assert!(o.stderr.is_empty(), "{name}: {}", o.context());
    }
    for case in doc["imports"].as_array().unwrap() {
        let o = run(gw(&dir).args(["tool", "imports", case["path"].as_str().unwrap()]));
        let list: Vec<String> = strings(&case["imports"])
            .iter()
            .map(|p| format!("{p:?}"))
            .collect();
        assert_eq!(o.code, Some(0), "{}", o.context());
        assert_eq!(o.stdout, format!("[{}]\n", list.join(",")));
    }
}

#[test]
fn command_errors_are_one_line() {
    let d = project(&[
        ("e/main.jsonnet", "{\n  a: import 'nope.libsonnet',\n}\n"),
        ("c/main.jsonnet", "import 'a.libsonnet'"),
        ("c/a.libsonnet", "import 'main.jsonnet'"),
    ]);
    let o = run(gw(d.path()).args(["tool", "imports", "e"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert_eq!(
        o.stderr,
        "ERROR: e/main.jsonnet:2:6: couldn't open import \"nope.libsonnet\": no match locally or in the Jsonnet library paths\n"
    );
    // A cycle is a warning; the list is complete.
    let o = run(gw(d.path()).args(["tool", "imports", "c"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(o.stdout, "[\"c/a.libsonnet\",\"c/main.jsonnet\"]\n");
    assert!(
        o.stderr.starts_with(
            "warning: import cycle: c/main.jsonnet -> c/a.libsonnet -> c/main.jsonnet"
        ),
        "{}",
        o.context()
    );
    for (args, message) in [
        (
            &["tool"][..],
            "ERROR: tool: give a command: imports, importers",
        ),
        (
            &["tool", "imporers", "x"],
            "ERROR: tool: unknown command 'imporers': did you mean 'tool importers'?",
        ),
        (&["env"], "ERROR: env: give a command: list"),
        (
            &["env", "list", "a", "b"],
            "ERROR: env list: only one <path> is allowed",
        ),
        (
            &["tool", "importers", "--root", "."],
            "ERROR: tool importers: give at least one <file>",
        ),
        (
            &["tool", "importers", "gone.jsonnet"],
            "ERROR: file \"gone.jsonnet\" does not exist",
        ),
    ] {
        let o = run(gw(d.path()).args(args));
        assert_eq!(o.code, Some(1), "{args:?}: {}", o.context());
        assert!(o.stderr.starts_with(message), "{args:?}: {}", o.context());
        assert_eq!(o.stderr.lines().count(), 1, "{args:?}: {}", o.context());
    }
    let o = run(gw(d.path()).args(["tool", "--help"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(
        o.stdout.contains("importers") && !o.stdout.contains("\n  help "),
        "{}",
        o.stdout
    );
}

/// Tanka's sanity check: every environment of the importer cases evaluates (but the
/// one that imports deleted files), with go-jsonnet's lexical `..` in import paths:
/// `relative-import` reads `../../../other-files/test2.txt` through `<base>/vendor`,
/// a folder that does not exist.
#[test]
fn the_importer_cases_evaluate() {
    let dir = cases_dir().join("testdata/findImporters");
    let repo = imports::Repository::scan(&dir).unwrap();
    assert_eq!(repo.mains.len(), 17);
    for main in repo
        .mains
        .iter()
        .filter(|m| !m.to_string_lossy().contains("using-deleted-stuff"))
    {
        let o = run(gw(&dir).arg("eval").arg(main));
        assert_eq!(o.code, Some(0), "{}: {}", main.display(), o.context());
    }
    let d = tmp();
    write(d.path(), "x.txt", "x");
    write(
        d.path(),
        "a/main.jsonnet",
        "importstr 'missing/../../x.txt'",
    );
    let o = run(gw(d.path()).arg("a/main.jsonnet"));
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (Some(0), "\"x\"\n"),
        "{}",
        o.context()
    );
}
