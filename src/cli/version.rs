//! `gwsonnet --version`: the version, what the binary was built from (git commit and
//! date, the jrsonnet crates' version, recorded by `build.rs`) and the libraries built
//! into it with their versions, as text for people (the first line is go-jsonnet's, for
//! scripts that read it) or, with `--output json`, as JSON for tools.
//!
//! Contact points: [`super::commands`] parses `--version`/`--output` into
//! [`Format`]; the library facts come from [`crate::openapi::builtin`] (k8s-libsonnet)
//! and [`crate::model::builtin_library`] (the Gateway API library's `library.json`).

use serde::Serialize;

/// How `--version` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Lines for people.
    Human,
    /// One JSON object (`--output json`).
    Json,
}

/// Where doc-util, which gwsonnet implements itself, is published.
const DOC_UTIL_PATH: &str = "github.com/jsonnet-libs/docsonnet/doc-util";

/// What `--version` reports.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    version: &'static str,
    commit: &'static str,
    commit_date: &'static str,
    jrsonnet: &'static str,
    libraries: Vec<BuiltIn>,
}

/// One built-in library.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BuiltIn {
    /// The package name, as jsonnet-bundler names it.
    name: String,
    /// The import path; a version is the next path segment.
    import_path: String,
    /// The versions served (empty: one, unversioned).
    versions: Vec<String>,
    /// The kinds served, when not every kind of the published layout is.
    #[serde(skip_serializing_if = "Option::is_none")]
    kinds: Option<Vec<String>>,
    /// What it is made from.
    source: String,
}

/// The libraries built in.
fn libraries() -> Vec<BuiltIn> {
    let k8s_sources: Vec<&str> = crate::openapi::builtin::SOURCES
        .iter()
        .map(|(_, file)| release_of(file))
        .collect();
    let gateway = crate::model::builtin_library();
    let gateway_source =
        crate::model::builtin_library_source().unwrap_or_else(|e| format!("unreadable index: {e}"));
    vec![
        BuiltIn {
            name: "k8s-libsonnet".into(),
            import_path: "github.com/jsonnet-libs/k8s-libsonnet".into(),
            versions: crate::openapi::builtin::versions()
                .map(String::from)
                .collect(),
            kinds: None,
            source: format!(
                "the Kubernetes OpenAPI documents {}, with gwsonnet's _custom helpers",
                k8s_sources.join(", ")
            ),
        },
        BuiltIn {
            name: gateway
                .repository()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .into(),
            import_path: gateway.repository().into(),
            versions: vec![gateway.output().into()],
            kinds: Some(gateway.carried_names()),
            source: gateway_source,
        },
        BuiltIn {
            name: "doc-util".into(),
            import_path: DOC_UTIL_PATH.into(),
            versions: Vec::new(),
            kinds: None,
            source: "gwsonnet's own implementation of docsonnet's doc-util".into(),
        },
    ]
}

/// The release a built-in document's file name carries (`swagger-v1.30.0.json` →
/// `v1.30.0`); the file name itself when it carries none.
fn release_of(file: &str) -> &str {
    file.rfind("-v")
        .map(|i| &file[i + 1..])
        .map(|v| v.strip_suffix(".json").unwrap_or(v))
        .unwrap_or(file)
}

/// What `--version` prints in `format`.
pub fn render(format: Format) -> String {
    let report = Report {
        version: env!("CARGO_PKG_VERSION"),
        commit: env!("GWSONNET_GIT_COMMIT"),
        commit_date: env!("GWSONNET_GIT_DATE"),
        jrsonnet: env!("GWSONNET_JRSONNET_VERSION"),
        libraries: libraries(),
    };
    if format == Format::Json {
        let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let mut out = format!(
        "Jsonnet commandline interpreter (gwsonnet) v{}\n",
        report.version
    );
    out.push_str(&format!(
        "commit: {} ({})\njrsonnet: {}\nbuilt-in libraries:\n",
        report.commit, report.commit_date, report.jrsonnet
    ));
    for lib in &report.libraries {
        out.push_str(&format!("  {}", lib.name));
        if !lib.versions.is_empty() {
            out.push_str(&format!(" {}", lib.versions.join(", ")));
        }
        if let Some(kinds) = &lib.kinds {
            out.push_str(&format!(" (only {})", kinds.join(", ")));
        }
        let path = match lib.versions.is_empty() {
            true => lib.import_path.clone(),
            false => format!("{}/<version>", lib.import_path),
        };
        out.push_str(&format!("\n    {path}: {}\n", lib.source));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names_come_from_the_document_files() {
        assert_eq!(release_of("swagger-v1.30.0.json"), "v1.30.0");
        assert_eq!(release_of("definitions-v1.35.0.json"), "v1.35.0");
        assert_eq!(release_of("other.json"), "other.json");
    }

    #[test]
    fn the_json_report_names_every_built_in_library() {
        let report: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
        assert_eq!(report["version"], env!("CARGO_PKG_VERSION"));
        let names: Vec<&str> = report["libraries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["k8s-libsonnet", "gateway-api-libsonnet", "doc-util"]
        );
        let k8s: Vec<&str> = report["libraries"][0]["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(k8s, crate::openapi::builtin::versions().collect::<Vec<_>>());
    }
}
