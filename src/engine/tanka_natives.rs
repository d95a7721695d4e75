//! Tanka's native functions (grafana/tanka `pkg/jsonnet/native`, `pkg/helm`,
//! `pkg/kustomize`), reached through `std.native(name)` in every command and in the
//! plain jsonnet mode. [`natives`] is the one table the engine registers; each entry
//! is a typed `#[builtin]` that costs nothing until called (regexes compile on first
//! use and are cached, rendered charts too). Go semantics come from
//! [`crate::gocompat::json`], [`crate::gocompat::yaml_resolve`] and
//! [`crate::manifest::yaml_v3`], result keys of
//! `helmTemplate`/`kustomizeBuild` from [`crate::gocompat::template`].
//!
//! Known differences from Tanka: YAML is read by the one tree builder
//! ([`crate::gocompat::yaml_tree`], yaml-rust2's parser; scalars resolved here as
//! yaml.v3 does), so syntax errors are worded differently and flow collections nest at
//! most 255 deep; Go's RE2 is the `regex` crate behind [`crate::gocompat::regexp`] (Go's ASCII `\d`,
//! `\w`, `\s`, `\b`, `\Q…\E`, limits), where Unicode case folding and class details
//! may still differ in rare cases; empty documents of `kustomize build` are skipped
//! (Tanka would fail on them).

use std::{
    cell::RefCell,
    collections::HashMap,
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    rc::Rc,
};

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::{builtin, FuncVal},
    IStr, ObjValueBuilder, Val,
};
use jrsonnet_gcmodule::Acyclic;
use regex::Regex;
use sha2::{Digest, Sha256};

use crate::gocompat::json::{self as go_json, Value};
use crate::gocompat::{path as gopath, regexp, template};
use crate::manifest::yaml_v3;

mod yaml;
use yaml::parse_yaml_stream;

/// Tanka's default `nameFormat` of `helmTemplate` and `kustomizeBuild` results.
pub const DEFAULT_NAME_FORMAT: &str = r#"{{ print .kind "_" .metadata.name | snakecase }}"#;

/// The table of Tanka's natives, by the name `std.native` takes.
pub fn natives() -> Vec<(&'static str, FuncVal)> {
    let cache = RegexCache::default();
    vec![
        ("parseJson", FuncVal::builtin(builtin_parse_json {})),
        ("parseYaml", FuncVal::builtin(builtin_parse_yaml {})),
        (
            "manifestJsonFromJson",
            FuncVal::builtin(builtin_manifest_json_from_json {}),
        ),
        (
            "manifestYamlFromJson",
            FuncVal::builtin(builtin_manifest_yaml_from_json {}),
        ),
        (
            "escapeStringRegex",
            FuncVal::builtin(builtin_escape_string_regex {}),
        ),
        (
            "regexMatch",
            FuncVal::builtin(builtin_regex_match {
                cache: cache.clone(),
            }),
        ),
        (
            "regexSubst",
            FuncVal::builtin(builtin_regex_subst { cache }),
        ),
        ("sha256", FuncVal::builtin(builtin_sha256 {})),
        (
            "helmTemplate",
            FuncVal::builtin(builtin_helm_template {
                cache: HelmCache::default(),
            }),
        ),
        (
            "kustomizeBuild",
            FuncVal::builtin(builtin_kustomize_build {}),
        ),
    ]
}

fn runtime_error(msg: impl std::fmt::Display) -> jrsonnet_evaluator::error::Error {
    ErrorKind::RuntimeError(msg.to_string().into()).into()
}

/// A Go value as a Jsonnet value.
fn to_val(v: Value) -> Result<Val> {
    Ok(match v {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(b),
        Value::Number(f) => Val::try_num(f)?,
        Value::String(s) => Val::from(s),
        Value::Array(items) => Val::arr(items.into_iter().map(to_val).collect::<Result<Vec<_>>>()?),
        Value::Object(entries) => {
            let mut b = ObjValueBuilder::with_capacity(entries.len());
            for (k, v) in entries {
                b.field(k.as_str()).value(to_val(v)?);
            }
            Val::Obj(b.build())
        }
    })
}

/// A Jsonnet value as Go's `json.Marshal` then `json.Unmarshal` sees it.
fn from_val(v: &Val) -> Result<Value> {
    Ok(match v {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(n) => Value::Number(n.get()),
        Val::Str(s) => Value::String(s.to_string()),
        Val::Arr(a) => Value::Array(
            a.iter()
                .map(|item| from_val(&item?))
                .collect::<Result<Vec<_>>>()?,
        ),
        Val::Obj(o) => {
            let mut entries = Vec::new();
            for key in o.fields() {
                let value = o.get(key.clone())?.unwrap_or(Val::Null);
                entries.push((key.to_string(), from_val(&value)?));
            }
            Value::Object(entries)
        }
        other => {
            return Err(runtime_error(format!(
                "json: unsupported type: {}",
                other.value_type()
            )))
        }
    })
}

/// `parseJson(json)`: Go's `json.Unmarshal` (numbers are float64).
#[builtin]
pub fn builtin_parse_json(json: IStr) -> Result<Val> {
    let value = go_json::parse(&json)
        .and_then(|n| n.to_value())
        .map_err(runtime_error)?;
    to_val(value)
}

/// `parseYaml(yaml)`: every document of a YAML stream, as yaml.v3 reads it and the
/// JSON round trip leaves it; always an array.
#[builtin]
pub fn builtin_parse_yaml(yaml: IStr) -> Result<Val> {
    let docs = parse_yaml_stream(&yaml).map_err(runtime_error)?;
    Ok(Val::arr(
        docs.into_iter().map(to_val).collect::<Result<Vec<_>>>()?,
    ))
}

/// `manifestJsonFromJson(json, indent)`: Go's `json.Indent` of the trimmed text with
/// `indent` spaces, and a final newline.
#[builtin]
pub fn builtin_manifest_json_from_json(json: IStr, indent: f64) -> Result<String> {
    // Go converts the float64 with int(), which truncates.
    let indent = indent.trunc();
    if indent < 0.0 {
        return Err(runtime_error(format!(
            "manifestJsonFromJson: negative indent {indent}"
        )));
    }
    let node = go_json::parse(json.trim_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']))
        .map_err(runtime_error)?;
    let mut out = node.indent(&" ".repeat(indent as usize));
    out.push('\n');
    Ok(out)
}

/// `manifestYamlFromJson(json)`: Go's `json.Unmarshal` then yaml.v3's `Marshal`.
#[builtin]
pub fn builtin_manifest_yaml_from_json(json: IStr) -> Result<String> {
    let value = go_json::parse(&json)
        .and_then(|n| n.to_value())
        .map_err(runtime_error)?;
    Ok(yaml_v3::marshal(&value))
}

/// `escapeStringRegex(str)`: Go's `regexp.QuoteMeta`.
#[builtin]
pub fn builtin_escape_string_regex(str: IStr) -> Result<String> {
    let mut out = String::with_capacity(str.len());
    for c in str.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(out)
}

/// Compiled regexes by pattern, shared by `regexMatch` and `regexSubst`.
#[derive(Default, Clone, Acyclic)]
pub struct RegexCache(Rc<RefCell<HashMap<String, Rc<Regex>>>>);

impl RegexCache {
    fn get(&self, pattern: &str) -> Result<Rc<Regex>> {
        if let Some(r) = self.0.borrow().get(pattern) {
            return Ok(r.clone());
        }
        let regex = Rc::new(
            regexp::compile(pattern)
                .map_err(|e| runtime_error(format!("error parsing regexp: {e}")))?,
        );
        self.0
            .borrow_mut()
            .insert(pattern.to_owned(), regex.clone());
        Ok(regex)
    }
}

/// `regexMatch(regex, string)`: whether the RE2 expression matches part of `string`.
#[builtin(fields(
    cache: RegexCache,
))]
pub fn builtin_regex_match(this: &builtin_regex_match, regex: IStr, string: IStr) -> Result<bool> {
    Ok(this.cache.get(&regex)?.is_match(&string))
}

/// `regexSubst(regex, src, repl)`: Go's `ReplaceAllString` (`$1`, `${name}` expand).
#[builtin(fields(
    cache: RegexCache,
))]
pub fn builtin_regex_subst(
    this: &builtin_regex_subst,
    regex: IStr,
    src: IStr,
    repl: IStr,
) -> Result<String> {
    let re = this.cache.get(&regex)?;
    let mut out = String::with_capacity(src.len());
    let mut last = 0;
    // Go skips an empty match right after the previous match.
    let mut prev_end: Option<usize> = None;
    for caps in re.captures_iter(&src) {
        let m = caps.get(0).expect("group 0 is the match");
        if m.is_empty() && prev_end == Some(m.start()) {
            continue;
        }
        out.push_str(&src[last..m.start()]);
        caps.expand(&repl, &mut out);
        last = m.end();
        prev_end = Some(m.end());
    }
    out.push_str(&src[last..]);
    Ok(out)
}

/// `sha256(str)`: the lowercase hex SHA-256 of the UTF-8 bytes.
#[builtin]
pub fn builtin_sha256(str: IStr) -> Result<String> {
    let digest = Sha256::digest(str.as_bytes());
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Options of `helmTemplate` and `kustomizeBuild`, matched to Go's struct fields the
/// way `encoding/json` does (exact name, else case-insensitively; later wins).
struct Opts {
    fields: HashMap<&'static str, Value>,
}

impl Opts {
    fn parse(v: &Val, known: &[&'static str]) -> Result<Self> {
        let Value::Object(entries) = from_val(v)? else {
            return Err(runtime_error(
                "json: cannot unmarshal non-object into Go value of type JsonnetOpts",
            ));
        };
        let mut fields = HashMap::new();
        for (key, value) in entries {
            if let Some(name) = known.iter().find(|k| k.eq_ignore_ascii_case(&key)) {
                fields.insert(*name, value);
            }
        }
        Ok(Self { fields })
    }

    fn string(&self, name: &str) -> Result<String> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(runtime_error(format!(
                "json: cannot unmarshal into Go struct field JsonnetOpts.{name} of type string"
            ))),
        }
    }

    fn bool(&self, name: &str, default: bool) -> Result<bool> {
        match self.fields.get(name) {
            None => Ok(default),
            Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(runtime_error(format!(
                "json: cannot unmarshal into Go struct field TemplateOpts.{name} of type bool"
            ))),
        }
    }
}

/// `filepath.Join(filepath.Dir(calledFrom), path)`.
fn relative_to_caller(called_from: &str, path: &str) -> String {
    gopath::join(&gopath::dir(called_from), path)
}

/// Whether `name` is an executable file in a `PATH` directory.
fn in_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            let p: PathBuf = dir.join(name);
            p.is_file()
        })
    })
}

/// Runs a tool without a shell, its stderr passed through, and returns its stdout.
fn run_tool(what: &str, bin: &str, args: &[String], stdin: Option<String>) -> Result<String> {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd
        .spawn()
        .map_err(|e| runtime_error(format!("{what}: cannot run `{bin}`: {e}")))?;
    let writer = match (stdin, child.stdin.take()) {
        (Some(data), Some(mut pipe)) => Some(std::thread::spawn(move || {
            // A tool that exits without reading its input is reported by its status.
            let _ = pipe.write_all(data.as_bytes());
        })),
        _ => None,
    };
    let output = child
        .wait_with_output()
        .map_err(|e| runtime_error(format!("{what}: {e}")))?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    if !output.status.success() {
        return Err(runtime_error(format!(
            "{what}: `{bin}` failed: {}",
            output.status
        )));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| runtime_error(format!("{what}: `{bin}` printed invalid UTF-8")))
}

/// Tanka's `manifest.ListAsMap`: the manifests keyed by `nameFormat` (a Go template;
/// Tanka's default when empty), two manifests under one key being an error.
fn list_as_map(what: &str, docs: Vec<Value>, name_format: &str) -> Result<Val> {
    let format = if name_format.is_empty() {
        DEFAULT_NAME_FORMAT
    } else {
        name_format
    };
    let template = template::Template::parse(format)
        .map_err(|e| runtime_error(format!("{what}: parsing name format: {e}")))?;
    let mut b = ObjValueBuilder::with_capacity(docs.len());
    let mut seen = std::collections::HashSet::new();
    for doc in docs {
        let key = template
            .render(&doc)
            .map_err(|e| runtime_error(format!("{what}: {e}")))?;
        if !seen.insert(key.clone()) {
            return Err(runtime_error(format!(
                "Two resources share the same name '{key}'. Please adapt the name template '{format}'."
            )));
        }
        b.field(key.as_str()).value(to_val(doc)?);
    }
    Ok(Val::Obj(b.build()))
}

/// Parses a tool's YAML output into manifests, skipping empty documents.
fn manifests(what: &str, text: &str) -> Result<Vec<Value>> {
    let docs = parse_yaml_stream(text)
        .map_err(|e| runtime_error(format!("{what}: parsing output: {e}")))?;
    let mut out = Vec::new();
    for doc in docs {
        match doc {
            Value::Null => {}
            Value::Object(e) if e.is_empty() => {}
            Value::Object(_) => out.push(doc),
            _ => {
                return Err(runtime_error(format!(
                    "{what}: parsing output: a document is not a mapping"
                )))
            }
        }
    }
    Ok(out)
}

/// Rendered charts by command line and values, as Tanka caches them for a process.
#[derive(Default, Clone, Acyclic)]
pub struct HelmCache(Rc<RefCell<HashMap<String, Vec<Value>>>>);

/// `helmTemplate(name, chart, opts)`: `helm template <name> <chart> --values -` (plus
/// the flags of `opts`) run on the chart found relative to `opts.calledFrom`, the
/// values as YAML on stdin; the result is an object of manifests keyed by
/// `<kind>_<name>` in snake case. `TANKA_HELM_PATH` names the binary. A chart rendered
/// once with the same arguments and values is not rendered again.
#[builtin(fields(
    cache: HelmCache,
))]
pub fn builtin_helm_template(
    this: &builtin_helm_template,
    name: IStr,
    chart: IStr,
    opts: Val,
) -> Result<Val> {
    const KNOWN: &[&str] = &[
        "calledFrom",
        "nameFormat",
        "values",
        "apiVersions",
        "includeCrds",
        "skipTests",
        "kubeVersion",
        "namespace",
        "noHooks",
    ];
    let opts = Opts::parse(&opts, KNOWN)?;
    let called_from = opts.string("calledFrom")?;
    if called_from.is_empty() {
        return Err(runtime_error("helmTemplate: 'opts.calledFrom' is unset or empty.\nTanka needs this to find your charts. See https://tanka.dev/helm#optscalledfrom-unset"));
    }
    let chart_path = relative_to_caller(&called_from, &chart);
    if let Err(e) = std::fs::metadata(&chart_path) {
        return Err(runtime_error(format!(
            "helmTemplate: Failed to find a chart at '{chart_path}': {e}. See https://tanka.dev/helm#failed-to-find-chart"
        )));
    }
    let args = helm_template_args(&name, chart_path, &opts)?;
    let values = helm_values(&opts)?;
    let bin = std::env::var("TANKA_HELM_PATH")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "helm".into());
    if bin == "helm" && !in_path("helm") {
        return Err(runtime_error(
            "helmTemplate: `helm` is not installed (not found in PATH; TANKA_HELM_PATH names another binary)",
        ));
    }
    let values = yaml_v3::marshal(&values);
    let key = format!("{}\0{values}", args.join("\0"));
    let cached = this.cache.0.borrow().get(&key).cloned();
    let docs = match cached {
        Some(docs) => docs,
        None => {
            let out = run_tool(
                "helmTemplate: Expanding Helm Chart",
                &bin,
                &args,
                Some(values),
            )?;
            let docs = manifests("helmTemplate", &out)?;
            this.cache.0.borrow_mut().insert(key, docs.clone());
            docs
        }
    };
    list_as_map("helmTemplate", docs, &opts.string("nameFormat")?)
}

/// The command line of `helm template` for `helmTemplate`'s options, as Tanka builds it
/// (`pkg/helm/template.go`): the chart, values from stdin, then each option's flag.
fn helm_template_args(name: &str, chart_path: String, opts: &Opts) -> Result<Vec<String>> {
    let mut args = vec![
        "template".to_owned(),
        name.to_owned(),
        chart_path,
        "--values".into(),
        "-".into(),
    ];
    match opts.fields.get("apiVersions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let Value::String(v) = item else {
                    return Err(runtime_error(
                        "json: cannot unmarshal into Go struct field TemplateOpts.APIVersions of type string",
                    ));
                };
                args.push(format!("--api-versions={v}"));
            }
        }
        Some(_) => return Err(runtime_error(
            "json: cannot unmarshal into Go struct field TemplateOpts.APIVersions of type []string",
        )),
    }
    if opts.bool("includeCrds", true)? {
        args.push("--include-crds".into());
    }
    if opts.bool("skipTests", false)? {
        args.push("--skip-tests".into());
    }
    let kube_version = opts.string("kubeVersion")?;
    if !kube_version.is_empty() {
        args.push(format!("--kube-version={kube_version}"));
    }
    if opts.bool("noHooks", false)? {
        args.push("--no-hooks".into());
    }
    let namespace = opts.string("namespace")?;
    if !namespace.is_empty() {
        args.push(format!("--namespace={namespace}"));
    }
    Ok(args)
}

/// `opts.values` as Tanka decodes it into its Go struct: an object, or nothing.
fn helm_values(opts: &Opts) -> Result<Value> {
    Ok(match opts.fields.get("values") {
        None | Some(Value::Null) => Value::Object(Vec::new()),
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => {
            return Err(runtime_error(
                "json: cannot unmarshal into Go struct field TemplateOpts.Values of type map[string]interface {}",
            ))
        }
    })
}

/// `kustomizeBuild(path, opts)`: `kustomize build <path>` (else `kubectl kustomize
/// <path>`) on the directory relative to `opts.calledFrom`; the result is an object
/// of manifests keyed like `helmTemplate`'s. `TANKA_KUSTOMIZE_PATH` names the binary.
#[builtin]
pub fn builtin_kustomize_build(path: IStr, opts: Val) -> Result<Val> {
    let opts = Opts::parse(&opts, &["calledFrom", "nameFormat"])?;
    let called_from = opts.string("calledFrom")?;
    if called_from.is_empty() {
        return Err(runtime_error("kustomizeBuild: 'opts.calledFrom' is unset or empty.\nTanka needs this to find your Kustomize. See https://tanka.dev/kustomize#optscalledfrom-unset"));
    }
    let actual = relative_to_caller(&called_from, &path);
    if let Err(e) = std::fs::metadata(Path::new(&actual)) {
        return Err(runtime_error(format!(
            "kustomizeBuild: Failed to find kustomization at '{actual}': {e}. See https://tanka.dev/kustomize#failed-to-find-kustomization"
        )));
    }
    let (bin, args) = match std::env::var("TANKA_KUSTOMIZE_PATH")
        .ok()
        .filter(|b| !b.is_empty())
    {
        Some(bin) => (bin, vec!["build".to_owned(), actual]),
        None if in_path("kustomize") => ("kustomize".into(), vec!["build".to_owned(), actual]),
        None if in_path("kubectl") => ("kubectl".into(), vec!["kustomize".to_owned(), actual]),
        None => {
            return Err(runtime_error(
                "kustomizeBuild: neither `kustomize` nor `kubectl` is installed (not found in PATH; TANKA_KUSTOMIZE_PATH names another binary)",
            ))
        }
    };
    let out = run_tool("kustomizeBuild: Expanding Kustomize", &bin, &args, None)?;
    let docs = manifests("kustomizeBuild", &out)?;
    list_as_map("kustomizeBuild", docs, &opts.string("nameFormat")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_like_go() {
        assert_eq!(relative_to_caller("main.jsonnet", "./charts/x"), "charts/x");
        assert_eq!(relative_to_caller("/a/b/main.jsonnet", "../c"), "/a/c");
        assert_eq!(relative_to_caller("env/x.jsonnet", "/abs"), "env/abs");
    }
}
