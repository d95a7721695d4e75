//! `gwsonnet env list`: Tanka's `tk env list` — every environment below a folder
//! (each `main.jsonnet`, static from its `spec.json` or inline, evaluated in
//! parallel with Tanka's metadata script), filtered by a label selector, sorted by
//! name, printed as Tanka prints them: a table (`text/tabwriter`, padding 4), plain
//! names, or `json.Marshal` of the list (`null` when there is none).
//!
//! Contact points: [`crate::cli`] builds the [`ListRequest`] and prints [`render`];
//! environments are read by [`super::environment::list`], the folder walked by
//! [`super::imports::Repository`].

use std::path::PathBuf;

use super::imports::{parallel_map, Repository};
use super::selector::Selector;
use super::spec::Environment;
use super::{environment, Request};
use crate::error::{Error, TankaError};

/// How `env list` prints the environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// `NAME  NAMESPACE  SERVER` columns.
    Table,
    /// `--json`: Tanka's JSON.
    Json,
    /// `--names`: one name a line.
    Names,
}

/// An `env list` request, validated.
#[derive(Debug)]
pub struct ListRequest {
    /// How to print.
    pub format: ListFormat,
    /// `-l/--selector`.
    pub selector: Selector,
    /// The folder (its `path`), evaluation flags and libraries.
    pub base: Request,
}

/// The environments below `req.base.path`, selected and sorted by name (stable).
pub fn list(req: &ListRequest) -> Result<Vec<Environment>, Error> {
    let path = &req.base.path;
    let mains: Vec<PathBuf> = if path.is_file() {
        match path.file_name() {
            Some(n) if n == environment::DEFAULT_ENTRYPOINT => vec![path.clone()],
            _ => Vec::new(),
        }
    } else {
        Repository::scan(path)?.mains
    };
    let found = parallel_map(&mains, |main| {
        let mut one = req.base.clone();
        one.path = main.clone();
        let engine = super::engine_with_libraries(&one)?;
        environment::list(main, &engine).map_err(|e| {
            Error::Tanka(TankaError::InEnvironment {
                main: main.clone(),
                error: Box::new(e),
            })
        })
    });
    let mut envs = Vec::new();
    for result in found {
        envs.extend(
            result?
                .into_iter()
                .filter(|e| req.selector.matches(&e.metadata.labels)),
        );
    }
    envs.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    Ok(envs)
}

/// The environments as `tk env list` prints them (ending in a newline).
pub fn render(envs: &[Environment], format: ListFormat) -> String {
    match format {
        ListFormat::Names => envs
            .iter()
            .map(|e| format!("{}\n", e.metadata.name))
            .collect(),
        ListFormat::Json if envs.is_empty() => "null\n".into(),
        ListFormat::Json => {
            let items: Vec<String> = envs
                .iter()
                .map(|e| crate::manifest::go_json_indent::html_escape(&e.to_code()))
                .collect();
            format!("[{}]\n", items.join(","))
        }
        ListFormat::Table => {
            let mut rows = vec![["NAME", "NAMESPACE", "SERVER"].map(str::to_owned)];
            rows.extend(envs.iter().map(|e| {
                [
                    e.metadata.name.clone(),
                    e.spec.namespace.clone(),
                    e.spec.api_server.clone(),
                ]
            }));
            tabwrite(&rows)
        }
    }
}

/// Go's `tabwriter.NewWriter(w, 0, 0, 4, ' ', 0)` over rows of three cells each
/// ended by a tab: every cell padded with spaces to its column's widest cell plus 4
/// (widths in characters), the line then ended.
fn tabwrite(rows: &[[String; 3]]) -> String {
    let width = |col: usize| {
        rows.iter()
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
            + 4
    };
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    for row in rows {
        for (cell, w) in row.iter().zip(widths) {
            out.push_str(cell);
            out.push_str(&" ".repeat(w - cell.chars().count()));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_json_and_names_as_tanka_prints_them() {
        let mut a = Environment::default();
        a.metadata.name = "environments/a".into();
        a.metadata.namespace = "environments/a/main.jsonnet".into();
        a.spec.api_server = "https://k<8>s".into();
        let mut b = Environment::default();
        b.metadata.name = "b".into();
        b.spec.namespace = "prod".into();
        let envs = [a, b];
        let pad = |n: usize| " ".repeat(n);
        let table = format!(
            "NAME{}NAMESPACE{}SERVER{}\nenvironments/a{}default{}https://k<8>s{}\nb{}prod{}{}\n",
            pad(14),
            pad(4),
            pad(11),
            pad(4),
            pad(6),
            pad(4),
            pad(17),
            pad(9),
            pad(17)
        );
        assert_eq!(render(&envs, ListFormat::Table), table);
        assert_eq!(render(&envs, ListFormat::Names), "environments/a\nb\n");
        assert!(render(&envs, ListFormat::Json).contains("https://k\\u003c8\\u003es"));
        assert_eq!(render(&[], ListFormat::Json), "null\n");
        assert_eq!(
            render(&[], ListFormat::Table),
            "NAME    NAMESPACE    SERVER    \n"
        );
    }
}
