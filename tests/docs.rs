//! The docs renderer against upstream pages: the built-in tcpRoute page must be
//! byte-identical to the seed docs page, and the package pages must have upstream's
//! shape. Pages from `../shared` are read at run time; without it the comparison is
//! skipped (and fails under `CI=true`).

mod common;
use common::{
    assert_same, assert_tree, builtin, load_libraries, shared_fixture, tcp_route,
    PUBLISHED_GATEWAY_VERSIONS,
};

use std::path::PathBuf;

use gwsonnet::docs::{render_kind_page, render_library, write_docs};
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
    let written = write_docs(&Registry::builtin(), dir.path()).unwrap();
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
    write_docs(&Registry::builtin(), dir.path()).unwrap();
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
