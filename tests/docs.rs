//! The docs renderer against upstream pages: the built-in tcpRoute page must be
//! byte-identical to the seed docs page, and the package pages must have upstream's
//! shape. Pages from `../shared` are read at run time; without it the comparison is
//! skipped (and fails under `CI=true`).

use crate::common;
use common::{
    assert_same, assert_tree, builtin, load_libraries, shared_fixture, tcp_route,
    PUBLISHED_GATEWAY_VERSIONS,
};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gwsonnet::docs::{render_evaluated, render_kind_page, render_library, write_docs};
use gwsonnet::engine::{Engine, EngineSettings};
use gwsonnet::model::Registry;

/// `../shared`, by the fixture policy of every suite.
fn shared_dir() -> Option<PathBuf> {
    shared_fixture(".")
}

#[test]
fn tcp_route_page_is_byte_identical_to_the_seed() {
    let Some(shared) = shared_dir() else { return };
    let want = std::fs::read_to_string(shared.join("seed/tcpRoute.md")).unwrap();
    let got = render_kind_page(builtin(), tcp_route());
    assert_same(&got, &want, "seed/tcpRoute.md");
}

#[test]
fn tcp_route_page_matches_the_upstream_docs_tree() {
    let Some(shared) = shared_dir() else { return };
    let path = shared.join("gateway-api/docs/0.8-experimental/gateway/v1alpha2/tcpRoute.md");
    let Ok(want) = std::fs::read_to_string(&path) else {
        println!("skipped: {} not found", path.display());
        return;
    };
    let got = render_kind_page(builtin(), tcp_route());
    assert_same(&got, &want, "docs/0.8-experimental tcpRoute.md");
}

#[test]
fn page_shape_without_shared() {
    let page = render_kind_page(builtin(), tcp_route());
    assert!(page.starts_with(
        "---\npermalink: /0.8-experimental/gateway/v1alpha2/tcpRoute/\n---\n\n# gateway.v1alpha2.tcpRoute\n\n\"TCPRoute provides"
    ));
    assert!(page.contains("\n## Index\n\n* [`fn new(name)`](#fn-new)\n* [`obj metadata`](#obj-metadata)\n  * [`fn withAnnotations(annotations)`](#fn-metadatawithannotations)\n"));
    assert!(page.contains(
        "\n      * [`fn withWeight(weight)`](#fn-specrulesbackendrefswithweight)\n\n## Fields\n\n### fn new\n\n```ts\nnew(name)\n```\n\nnew returns an instance of TCPRoute\n\n## obj metadata\n"
    ));
    assert!(page.contains("### fn metadata.withLabelsMixin\n\n```ts\nwithLabelsMixin(labels)\n```\n\n\"Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: http://kubernetes.io/docs/user-guide/labels\"\n\n**Note:** This function appends passed data to existing values\n\n"));
    assert!(!page.ends_with('\n'));
    assert!(!page.contains("withManagedFields"));
    assert!(!page.contains("obj metadata.ownerReferences"));
    assert!(!page.contains("withStatus"));
    assert!(!page.contains("withApiVersion"));
    assert!(!page.contains("(#fn-withkind)"));
    assert!(page.contains("(#fn-specparentrefswithkind)"));
}

#[test]
fn package_pages_have_upstream_shape() {
    let pages = render_library(builtin()).unwrap();
    let keys: Vec<&str> = pages.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "README.md",
            "gateway/index.md",
            "gateway/v1alpha2/index.md",
            "gateway/v1alpha2/tcpRoute.md"
        ]
    );
    assert_eq!(
        pages["README.md"],
        "---\npermalink: /0.8-experimental/\n---\n\n# gateway-api\n\n```jsonnet\nlocal gateway-api = import \"github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet\"\n```\n\n\n\n* [gateway](gateway/index.md)"
    );
    assert_eq!(
        pages["gateway/index.md"],
        "---\npermalink: /0.8-experimental/gateway/\n---\n\n# gateway\n\n\n\n* [v1alpha2](v1alpha2/index.md)"
    );
    assert_eq!(
        pages["gateway/v1alpha2/index.md"],
        "---\npermalink: /0.8-experimental/gateway/v1alpha2/\n---\n\n# gateway.v1alpha2\n\n\n\n* [tcpRoute](tcpRoute.md)"
    );
}

#[test]
fn package_pages_match_upstream_where_the_kind_set_agrees() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("gateway-api/docs/0.8-experimental");
    let pages = render_library(builtin()).unwrap();
    for name in ["README.md"] {
        let Ok(want) = std::fs::read_to_string(dir.join(name)) else {
            println!("skipped: {name} not found");
            continue;
        };
        // upstream lists v1beta1 too; the built-in library has v1alpha2 only
        let got = &pages[name];
        assert_same(got, &want, name);
    }
}

#[test]
fn write_docs_writes_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let written = write_docs(
        &Registry::builtin(&gwsonnet::openapi::builtin::KUBERNETES),
        dir.path(),
    )
    .unwrap();
    let page = dir
        .path()
        .join("0.8-experimental/gateway/v1alpha2/tcpRoute.md");
    assert!(written.contains(&page), "{written:?}");
    assert_eq!(written.len(), 4);
    let text = std::fs::read_to_string(&page).unwrap();
    assert_eq!(text, render_kind_page(builtin(), tcp_route()));
    // no temporary files left behind
    let leftovers: Vec<_> = std::fs::read_dir(page.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // rewriting over existing files works
    write_docs(
        &Registry::builtin(&gwsonnet::openapi::builtin::KUBERNETES),
        dir.path(),
    )
    .unwrap();
}

/// Every docs tree jsonnet-libs publishes, rendered from the CRD YAML in `../shared`
/// through the CRD loader: the 12 Gateway API versions (from `--crds` folders) and
/// metallb (from its generator config), page for page.
#[test]
fn every_published_docs_tree_is_byte_identical() {
    let (Some(crds), Some(docs)) = (
        shared_fixture("gateway-api/crds"),
        shared_fixture("gateway-api/docs"),
    ) else {
        return;
    };
    for version in PUBLISHED_GATEWAY_VERSIONS {
        let libs = load_libraries(&[crds.join(version)], &[]);
        let [lib] = libs.as_slice() else {
            panic!("{version}: one library, got {libs:?}")
        };
        assert_eq!(lib.output(), *version);
        assert_tree(&render_library(lib).unwrap(), &docs.join(version));
    }
    let Some(metallb) = shared_fixture("crd-libraries/metallb") else {
        return;
    };
    let libs = load_libraries(&[], &[metallb.join("config.yml")]);
    assert_eq!(libs.len(), 1);
    assert_tree(
        &render_library(&libs[0]).unwrap(),
        &metallb.join("docs/0.14"),
    );
}

/// The unpublished versions render too, through the generator config of all 16.
#[test]
fn every_gateway_version_of_the_config_renders() {
    let Some(config) = shared_fixture("gateway-api/config.yml") else {
        return;
    };
    let libs = load_libraries(&[], &[config]);
    let outputs: Vec<&str> = libs.iter().map(|l| l.output()).collect();
    assert_eq!(outputs.len(), 16, "{outputs:?}");
    for lib in &libs {
        let pages = render_library(lib).unwrap();
        assert!(pages.len() > 5, "{}: {:?}", lib.output(), pages.keys());
    }
    let v16 = libs
        .iter()
        .find(|l| l.output() == "1.6-experimental")
        .unwrap();
    assert!(v16.groups()["gateway"].len() >= 3, "{v16:?}");
}

#[test]
fn anchors_follow_docsonnet_slug_rules() {
    use gwsonnet::docs::Slugger;
    let mut s = Slugger::new();
    assert_eq!(s.slug("fn new"), "fn-new");
    assert_eq!(
        s.slug("fn spec.rules.backendRefs.withWeight"),
        "fn-specrulesbackendrefswithweight"
    );
    assert_eq!(s.slug("obj spec.parentRefs"), "obj-specparentrefs");
    // a repeated heading is numbered
    assert_eq!(s.slug("fn new"), "fn-new-1");
    // punctuation goes, `-` and `_` stay, whitespace becomes `-`
    assert_eq!(s.slug("fn with(a, b)"), "fn-witha-b");
    assert_eq!(s.slug("x_y-z\u{2019}s"), "x_y-zs");
}

#[test]
fn help_texts_are_quoted_like_the_generator() {
    use gwsonnet::model::library::{go_quote_help, MIXIN_NOTE};
    assert_eq!(go_quote_help(""), "");
    assert_eq!(
        go_quote_help("a \"producer\" route.\n\nNext"),
        "\"a \\\"producer\\\" route.\\n\\nNext\""
    );
    assert_eq!(go_quote_help("tab\there"), "\"tab\\there\"");
    assert_eq!(go_quote_help("ends with \"x\""), "\"ends with \\\"x\\");
    assert_eq!(
        MIXIN_NOTE,
        "\n\n**Note:** This function appends passed data to existing values"
    );
}

/// A search directory holding `source` (linked, never copied) at `import_root`, and an
/// engine that reads libraries from it alone (doc-util aside: no built-in library).
fn vendored(source: &Path, import_root: &str) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join(import_root);
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(source, &link).unwrap();
    let engine = Engine::new(&EngineSettings {
        search: vec![dir.path().to_owned()],
        registry: Arc::new(Registry::new()),
        ..EngineSettings::default()
    });
    (dir, engine)
}

/// The evaluated front end against docsonnet itself: every published library's source
/// (the 12 Gateway API versions and metallb), evaluated from a search directory,
/// renders the docs tree jsonnet-libs published from that same source, page for page.
#[test]
fn evaluated_published_sources_render_the_published_docs() {
    let (Some(src), Some(docs)) = (
        shared_fixture("gateway-api/libsonnet"),
        shared_fixture("gateway-api/docs"),
    ) else {
        return;
    };
    let root = "github.com/jsonnet-libs/gateway-api-libsonnet";
    for version in PUBLISHED_GATEWAY_VERSIONS {
        let (_dir, engine) = vendored(&src.join(version), &format!("{root}/{version}"));
        let main = format!("{root}/{version}/main.libsonnet");
        let pages = render_evaluated(&engine, &main, version).unwrap();
        assert_tree(&pages, &docs.join(version));
    }
    let Some(metallb) = shared_fixture("crd-libraries/metallb") else {
        return;
    };
    let root = "github.com/jsonnet-libs/metallb-libsonnet/0.14";
    let (_dir, engine) = vendored(&metallb.join("libsonnet/0.14"), root);
    let pages = render_evaluated(&engine, &format!("{root}/main.libsonnet"), "0.14").unwrap();
    assert_tree(&pages, &metallb.join("docs/0.14"));
}

/// A docs page cut at its help texts: the page with each help replaced by `<help>`, and
/// the helps in page order, each with the heading it belongs to (the page title for the
/// package's own help). A help runs from after its heading (and the heading's code
/// block) to the blank line before the next heading, the sub-package list or the end.
fn cut_helps(page: &str) -> (String, Vec<(String, String)>) {
    let lines: Vec<&str> = page.split('\n').collect();
    let heading = |i: usize| {
        let l = lines[i];
        (i == 0 || lines[i - 1].is_empty())
            && (l.starts_with("# ") || l.starts_with("## ") || l.starts_with("### "))
    };
    let mut skeleton: Vec<&str> = Vec::new();
    let mut helps = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        skeleton.push(line);
        i += 1;
        let title = line.starts_with("# ");
        if !heading(i - 1) || !(title || line.starts_with("### ") || line.starts_with("## obj ")) {
            continue;
        }
        if lines.get(i + 1).is_some_and(|l| l.starts_with("```")) {
            skeleton.push(lines[i]);
            i += 1;
            while lines[i] != "```" {
                skeleton.push(lines[i]);
                i += 1;
            }
            skeleton.push(lines[i]);
            i += 1;
        }
        skeleton.push(lines[i]);
        i += 1;
        let start = i;
        let ends = |j: usize| {
            lines[j].is_empty()
                && j + 1 < lines.len()
                && (heading(j + 1) || (title && lines[j + 1].starts_with("* [")))
        };
        while i < lines.len() && !ends(i) {
            i += 1;
        }
        helps.push((line.to_owned(), lines[start..i].join("\n")));
        skeleton.push("<help>");
    }
    (skeleton.join("\n"), helps)
}

/// The Kubernetes 1.30 docs `gwsonnet docs --kube-version 1.30` writes (the built-in
/// library with gwsonnet's own `_custom` layer) against the docs the same front end
/// renders from the published k8s-libsonnet 1.30 source: the same pages, the same
/// index and signatures (names, arguments, defaults) everywhere; help texts the same
/// except those of the `_custom` helpers (ours are in our own words: each differing
/// one is where our help is not the generated one) and the generated help texts the
/// published library took from a later 1.30 document (each is the text gwsonnet's 1.31
/// has, and ours is the generated 1.30 one).
#[test]
fn kubernetes_1_30_docs_are_the_published_ones_but_for_our_helpers_words() {
    let Some(published) = shared_fixture("kubernetes/k8s-libsonnet/1.30") else {
        return;
    };
    let root = "github.com/jsonnet-libs/k8s-libsonnet/1.30";
    let (_dir, engine) = vendored(&published, root);
    let theirs = render_evaluated(&engine, &format!("{root}/main.libsonnet"), "1.30").unwrap();

    let out = tempfile::tempdir().unwrap();
    let mut registry = Registry::new();
    assert!(registry.list_builtin_kubernetes(&gwsonnet::openapi::builtin::KUBERNETES, "1.30"));
    write_docs(&registry, out.path()).unwrap();
    let ours = common::files_below(&out.path().join("1.30"));

    let names = |t: &std::collections::BTreeMap<String, String>| -> Vec<String> {
        t.keys().cloned().collect()
    };
    assert_eq!(names(&ours), names(&theirs));

    // The generated help of every field, from the model; the 1.31 helps.
    let model = render_library(gwsonnet::openapi::builtin::library("1.30").unwrap()).unwrap();
    let newer = render_library(gwsonnet::openapi::builtin::library("1.31").unwrap()).unwrap();
    let newer_helps: std::collections::HashSet<String> = newer
        .values()
        .flat_map(|p| cut_helps(p).1.into_iter().map(|(_, h)| h))
        .collect();

    let (mut identical, mut custom, mut later) = (0, 0, 0);
    for (rel, text) in &ours {
        if *text == theirs[rel] {
            identical += 1;
            continue;
        }
        let (our_skeleton, our_helps) = cut_helps(text);
        let (their_skeleton, their_helps) = cut_helps(&theirs[rel]);
        assert_same(&our_skeleton, &their_skeleton, rel);
        let generated: std::collections::HashMap<String, String> = model
            .get(rel)
            .map(|p| cut_helps(p).1.into_iter().collect())
            .unwrap_or_default();
        for ((heading, o), (_, t)) in our_helps.iter().zip(&their_helps) {
            if o == t {
                continue;
            }
            if generated.get(heading) != Some(o) {
                // a helper's help: hand-written on both sides
                assert_ne!(generated.get(heading), Some(t), "{rel} {heading}");
                custom += 1;
            } else {
                assert!(
                    newer_helps.contains(t),
                    "{rel} {heading}: generated help differs and is not 1.31's:\n{t}"
                );
                later += 1;
            }
        }
    }
    println!("identical {identical}, custom helps {custom}, later helps {later}");
    assert_eq!(later, 35);
}

/// docsonnet's reading rules on a small library: packages (hidden or visible `#`),
/// sub-packages named by their `#`, `'ignore'`d fields (`mixin: self`), objects with
/// docs only below them, `d.obj` without children, values with defaults, arguments
/// with defaults, fields that are not objects. (An object without fields leaves an
/// empty nested list in the index, a line of two spaces, as docsonnet's does.)
#[test]
fn evaluated_front_end_follows_docsonnets_reading_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.libsonnet"),
        r#"
local d = import 'doc-util/main.libsonnet';
{
  '#': d.pkg(name='lib', url='example.com/lib/main.libsonnet', help='The library.'),
  '#version': d.val(d.T.string, 'The version.', default='1.0'),
  version:: '1.0',
  sub: {
    '#':: d.pkg(name='renamed', url='', help='A sub-package.'),
    '#new': d.fn('`new` makes one.', [d.arg('name', d.T.string), d.arg('opts', d.T.object, {a: 1, 'b-c': ['x', "it's"]})]),
    new(name, opts={}):: {},
    '#mixin': 'ignore',
    mixin: self,
    '#bare': d.obj('No children.'),
    plain: { inner: { '#f': d.fn('f.', [d.arg('n', d.T.number, 2.5)]), f(n=2.5):: n } },
    '#count': d.val(d.T.number, 'A count.', default=1000000),
    nothing: { a: 1 },
  },
}
"#,
    )
    .unwrap();
    let engine = Engine::new(&EngineSettings {
        registry: Arc::new(Registry::new()),
        ..EngineSettings::default()
    });
    let main = dir.path().join("main.libsonnet");
    let pages = render_evaluated(&engine, main.to_str().unwrap(), "v").unwrap();
    let keys: Vec<&str> = pages.keys().map(String::as_str).collect();
    assert_eq!(keys, ["README.md", "renamed.md"]);
    assert_eq!(
        pages["README.md"],
        "---\npermalink: /v/\n---\n\n# lib\n\n```jsonnet\nlocal lib = import \"example.com/lib/main.libsonnet\"\n```\n\nThe library.\n\n* [renamed](renamed.md)\n\n## Index\n\n* [`string version`](#string-version)\n\n## Fields\n\n### string version\n\n*Default value: * `1.0`\n\nThe version."
    );
    assert_eq!(
        pages["renamed.md"],
        "---\npermalink: /v/renamed/\n---\n\n# renamed\n\nA sub-package.\n\n## Index\n\n* [`fn new(name, opts={a: 1, 'b-c': ['x', \"it's\"]})`](#fn-new)\n* [`obj bare`](#obj-bare)\n  \n* [`number count`](#number-count)\n* [`obj plain`](#obj-plain)\n  * [`obj plain.inner`](#obj-plaininner)\n    * [`fn f(n=2.5)`](#fn-plaininnerf)\n\n## Fields\n\n### fn new\n\n```ts\nnew(name, opts={a: 1, 'b-c': ['x', \"it's\"]})\n```\n\n`new` makes one.\n\n## obj bare\n\nNo children.\n\n### number count\n\n*Default value: * `1e+06`\n\nA count.\n\n## obj plain\n\n\n\n## obj plain.inner\n\n\n\n### fn plain.inner.f\n\n```ts\nf(n=2.5)\n```\n\nf."
    );
}
