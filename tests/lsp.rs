//! `gwsonnet lsp` driven over its real stdio with JSON-RPC (no mocks): every feature
//! on files that import the built-in libraries, a half-typed file, a Tanka project
//! with a `crds/` folder, bad input, and the save-time evaluation.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::{tmp, write, BIN};

/// How long one answer may take (the debug binary on a busy machine).
const WAIT: Duration = Duration::from_secs(60);

/// A test client: the server's process, its stdin, and the messages it sent.
struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    notes: Vec<Value>,
}

/// A `file:` URI of an absolute path.
fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

impl Client {
    /// Starts `gwsonnet lsp ARGS` in `dir` and runs the handshake.
    fn start(dir: &Path, args: &[&str]) -> Self {
        Self::start_with(dir, args, Value::Null)
    }

    fn start_with(dir: &Path, args: &[&str], options: Value) -> Self {
        let mut child = Command::new(BIN)
            .arg("lsp")
            .args(args)
            .current_dir(dir)
            .env_remove("JSONNET_PATH")
            .env_remove("GWSONNET_CRDS")
            .env("XDG_CACHE_HOME", dir.join(".cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gwsonnet lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("server sends JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let mut c = Self {
            child,
            stdin,
            rx,
            next_id: 1,
            notes: Vec::new(),
        };
        let init = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(dir),
                "capabilities": {},
                "initializationOptions": options,
            }),
        );
        assert!(
            init["capabilities"]["completionProvider"].is_object(),
            "{init}"
        );
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, v: &Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response: the result, or the whole response
    /// when it is an error.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self
                .rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no answer to {method} within {WAIT:?}"));
            if msg["id"] == json!(id) {
                if msg.get("error").is_some() {
                    return msg;
                }
                return msg["result"].clone();
            }
            self.notes.push(msg);
        }
    }

    /// Waits for diagnostics of `file` for which `done` holds; returns them.
    fn diagnostics(&mut self, file: &Path, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let want = uri(file);
        let deadline = Instant::now() + WAIT;
        let mut last = None;
        loop {
            let pos = self.notes.iter().position(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == want
            });
            if let Some(i) = pos {
                let m = self.notes.remove(i);
                let d = m["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if done(&d) {
                    return d;
                }
                last = Some(d);
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) => self.notes.push(m),
                Err(_) => panic!("no fitting diagnostics for {want}; last: {last:?}"),
            }
        }
    }

    fn open(&mut self, file: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(file), "languageId": "jsonnet", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, file: &Path, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(file), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&mut self, method: &str, file: &Path, line: u32, character: u32) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri(file)}, "position": {"line": line, "character": character}}),
        )
    }

    /// The labels of the completion at a position.
    fn labels(&mut self, file: &Path, line: u32, character: u32) -> Vec<String> {
        let r = self.at("textDocument/completion", file, line, character);
        let items = r
            .as_array()
            .cloned()
            .or_else(|| r["items"].as_array().cloned());
        items
            .unwrap_or_default()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    }

    fn item(&mut self, file: &Path, line: u32, character: u32, label: &str) -> Value {
        let r = self.at("textDocument/completion", file, line, character);
        r.as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"] == label)
            .cloned()
            .unwrap_or_else(|| panic!("no {label} in {r}"))
    }

    /// Shuts down and exits; the process's exit code.
    fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r.is_null(), "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The end position (line, column) of `text`, for a cursor after its last character.
fn end_of(text: &str) -> (u32, u32) {
    let line = text.matches('\n').count() as u32;
    let col = text.rsplit('\n').next().unwrap().chars().count() as u32;
    (line, col)
}

const ROUTE_HEAD: &str = "local gateway = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway;\nlocal tcpRoute = gateway.v1alpha2.tcpRoute;\n";

#[test]
fn handshake_and_shutdown() {
    let dir = tmp();
    let c = Client::start(dir.path(), &[]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn completes_and_documents_native_library_members_in_a_half_typed_file() {
    let dir = tmp();
    let file = write(dir.path(), "route.jsonnet", "");
    let text = format!("{ROUTE_HEAD}tcpRoute.spec.");
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, &text);
    // The half-typed file has a syntax error where the name is missing.
    let d = c.diagnostics(&file, |d| !d.is_empty());
    assert_eq!(d[0]["severity"], 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 2, "{d:?}");
    let (l, col) = end_of(&text);
    let labels = c.labels(&file, l, col);
    for want in [
        "withRules",
        "withRulesMixin",
        "withParentRefs",
        "rules",
        "parentRefs",
    ] {
        assert!(
            labels.contains(&want.to_owned()),
            "{want} missing from {labels:?}"
        );
    }
    assert!(!labels.iter().any(|l| l.starts_with('#')), "{labels:?}");
    let item = c.item(&file, l, col, "withRules");
    assert_eq!(item["detail"], "withRules(rules: array)", "{item}");
    assert!(
        item["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("Rules are a list of TCP matchers"),
        "{item}"
    );
    // Typing a prefix still completes the same object.
    let text2 = format!("{ROUTE_HEAD}tcpRoute.spec.withR");
    c.change(&file, 2, &text2);
    let (l, col) = end_of(&text2);
    assert!(c.labels(&file, l, col).contains(&"withRules".to_owned()));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn completes_a_library_call_result_with_the_kind_fields() {
    let dir = tmp();
    let file = write(dir.path(), "route.jsonnet", "");
    let text = format!("{ROUTE_HEAD}local r = tcpRoute.new('x') + {{ extra: 1 }};\nr.");
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, &text);
    let (l, col) = end_of(&text);
    let labels = c.labels(&file, l, col);
    for want in ["apiVersion", "kind", "metadata", "spec", "extra"] {
        assert!(
            labels.contains(&want.to_owned()),
            "{want} missing from {labels:?}"
        );
    }
    // One level down, and through an array element.
    let text = format!("{ROUTE_HEAD}tcpRoute.new('x').spec.rules[0].");
    c.change(&file, 2, &text);
    let (l, col) = end_of(&text);
    assert!(c.labels(&file, l, col).contains(&"backendRefs".to_owned()));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn hover_signature_help_and_definition_of_library_members() {
    let dir = tmp();
    let file = write(dir.path(), "route.jsonnet", "");
    let text = format!("{ROUTE_HEAD}tcpRoute.new('x') + tcpRoute.spec.withRules([])\n");
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, &text);
    // Hover on `withRules` (line 2).
    let col = text.lines().nth(2).unwrap().find("withRules").unwrap() as u32 + 2;
    let h = c.at("textDocument/hover", &file, 2, col);
    let value = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("withRules(rules: array)"), "{h}");
    assert!(value.contains("Rules are a list of TCP matchers"), "{h}");
    // Signature help inside `new(`.
    let col_new = text.lines().nth(2).unwrap().find("new(").unwrap() as u32 + 4;
    let s = c.at("textDocument/signatureHelp", &file, 2, col_new);
    assert_eq!(s["signatures"][0]["label"], "new(name: string)", "{s}");
    assert_eq!(s["activeParameter"], 0, "{s}");
    // Definition: the generated source of the kind, at the member.
    let d = c.at("textDocument/definition", &file, 2, col);
    let target = d["uri"]
        .as_str()
        .unwrap()
        .strip_prefix("file://")
        .unwrap()
        .to_owned();
    assert!(
        target.ends_with("_gen/gateway/v1alpha2/tcpRoute.libsonnet"),
        "{d}"
    );
    let source = std::fs::read_to_string(&target).unwrap();
    let line = d["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert!(
        source
            .lines()
            .nth(line)
            .unwrap()
            .trim_start()
            .starts_with("withRules("),
        "{}",
        source.lines().nth(line).unwrap()
    );
    let mode = std::fs::metadata(&target).unwrap().permissions();
    assert!(mode.readonly());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn unknown_fields_of_library_objects_are_warnings() {
    let dir = tmp();
    let file = write(dir.path(), "route.jsonnet", "");
    let text = format!("{ROUTE_HEAD}tcpRoute.spec.withRulez([])\n");
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, &text);
    let d = c.diagnostics(&file, |d| !d.is_empty());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["severity"], 2);
    let msg = d[0]["message"].as_str().unwrap();
    assert!(msg.contains("unknown field 'withRulez'"), "{msg}");
    assert!(msg.contains("did you mean 'withRules'"), "{msg}");
    assert_eq!(d[0]["range"]["start"]["line"], 2);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn unknown_fields_of_object_literals_merged_into_a_kind_are_warnings() {
    let dir = tmp();
    let file = write(dir.path(), "route.jsonnet", "");
    let text = format!(
        "{ROUTE_HEAD}tcpRoute.new('x') + {{ spec+: {{ rulez: [], parentRefs: [] }}, metadata+: {{ labels: {{ any: 'x' }} }}, kind: 'TCPRoute' }}\n"
    );
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, &text);
    let d = c.diagnostics(&file, |d| !d.is_empty());
    assert_eq!(d.len(), 1, "{d:?}");
    let msg = d[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("unknown field 'rulez' of tcpRoute.spec"),
        "{msg}"
    );
    assert!(msg.contains("did you mean 'rules'"), "{msg}");
    let col = text.lines().nth(2).unwrap().find("rulez").unwrap();
    assert_eq!(d[0]["range"]["start"], json!({"line": 2, "character": col}));
    // Hover on a literal's field: the schema's description; completion of field names.
    let col = text.lines().nth(2).unwrap().find("parentRefs").unwrap() as u32;
    let h = c.at("textDocument/hover", &file, 2, col + 2);
    let value = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("ParentRefs references the resources"), "{h}");
    let text2 = format!("{ROUTE_HEAD}tcpRoute.new('x') + {{ spec+: {{ ru }} }}\n");
    c.change(&file, 2, &text2);
    let col = text2.lines().nth(2).unwrap().find("ru }").unwrap() as u32 + 2;
    assert_eq!(c.labels(&file, 2, col), ["parentRefs", "rules"]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn completes_the_fields_of_kubernetes_array_elements() {
    let dir = tmp();
    let file = write(dir.path(), "deploy.jsonnet", "");
    // Container is an element that only names its definition in Deployment's library
    // schema; the completion finds it as the container kind.
    let text = "local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet';\nk.apps.v1.deployment.new('web', containers=[]).spec.template.spec.containers[0].";
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, text);
    let (l, col) = end_of(text);
    let labels = c.labels(&file, l, col);
    for want in ["image", "ports", "livenessProbe"] {
        assert!(
            labels.contains(&want.to_owned()),
            "{want} missing from {labels:?}"
        );
    }
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn kubernetes_library_members_custom_helpers_and_results() {
    let dir = tmp();
    let file = write(dir.path(), "deploy.jsonnet", "");
    let text = "local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet';\nlocal c = k.core.v1.container;\nk.apps.v1.deployment.new('web', containers=[c.new('web', 'nginx')]).spec.";
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, text);
    let (l, col) = end_of(text);
    let labels = c.labels(&file, l, col);
    for want in ["replicas", "selector", "template"] {
        assert!(
            labels.contains(&want.to_owned()),
            "{want} missing from {labels:?}"
        );
    }
    // A hand-written helper's definition: the `_custom` file, at the helper.
    let helper = text.lines().nth(2).unwrap().find("c.new").unwrap() as u32 + 3;
    let d = c.at("textDocument/definition", &file, 2, helper);
    let target = d["uri"]
        .as_str()
        .unwrap()
        .strip_prefix("file://")
        .unwrap()
        .to_owned();
    assert!(
        target.ends_with("k8s-libsonnet/1.30/_custom/core.libsonnet"),
        "{d}"
    );
    let source = std::fs::read_to_string(&target).unwrap();
    let line = source
        .lines()
        .nth(d["range"]["start"]["line"].as_u64().unwrap() as usize)
        .unwrap();
    assert!(line.trim_start().starts_with("new("), "{line}");
    // The hand-written helpers are there with their docs.
    let s = c.at("textDocument/signatureHelp", &file, 2, 60);
    assert!(
        s["signatures"][0]["label"]
            .as_str()
            .unwrap()
            .starts_with("new(name"),
        "{s}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn std_locals_merges_imports_and_symbols() {
    let dir = tmp();
    write(dir.path(), "lib/util.libsonnet", "local d = import 'doc-util/main.libsonnet';\n{\n  '#greet': { 'function': { help: 'Says hello.' } },\n  greet(name):: 'hi ' + name,\n  version: 3,\n  '#shout': d.fn('Says it loudly.', args=[d.arg('text', d.T.string), d.arg('times', d.T.integer, default=2)]),\n  shout(text, times=2):: text,\n  plain(a, b=1):: a,\n}\n");
    let file = write(dir.path(), "main.jsonnet", "");
    let text = "local util = import 'lib/util.libsonnet';\nlocal base = { a: 1 } + { b: { c: 2 } };\nlocal mk(n) = { made: n };\n{\n  x: std.length([]),\n  y: base.b.c,\n  z: util.greet('x'),\n  w: mk(1).made,\n}\n";
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, text);
    // std members after `std.` (line 4 `  x: std.`).
    assert!(c
        .labels(&file, 4, 9)
        .contains(&"manifestYamlDoc".to_owned()));
    let h = c.at("textDocument/hover", &file, 4, 11);
    let h = h["contents"]["value"].as_str().unwrap().to_owned();
    assert!(h.contains("std.length(x)"), "{h}");
    // std's own description, in the evaluator's parameter names.
    assert!(h.contains("How many elements an array"), "{h}");
    let yaml = c.item(&file, 4, 9, "manifestYamlDoc");
    assert!(
        yaml["detail"]
            .as_str()
            .unwrap()
            .starts_with("manifestYamlDoc(value, indent_array_in_object="),
        "{yaml}"
    );
    assert!(
        yaml["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("as a YAML document"),
        "{yaml}"
    );
    // A merge's fields, an imported file's fields with source docs.
    assert_eq!(c.labels(&file, 5, 10), ["a", "b"]);
    assert_eq!(
        c.labels(&file, 6, 10),
        ["greet", "plain", "shout", "version"]
    );
    // docsonnet's d.fn with its d.arg list; a function without docs: its parameters.
    let shout = c.item(&file, 6, 10, "shout");
    assert_eq!(
        shout["detail"], "shout(text: string, times=2: number)",
        "{shout}"
    );
    assert!(shout["documentation"]["value"]
        .as_str()
        .unwrap()
        .contains("Says it loudly."));
    assert_eq!(c.item(&file, 6, 10, "plain")["detail"], "plain(a, b=1)");
    let h = c.at("textDocument/hover", &file, 6, 11);
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Says hello."),
        "{h}"
    );
    // A function's result.
    assert_eq!(c.labels(&file, 7, 11), ["made"]);
    // Definitions: a local, a field of a merge, an imported file.
    let d = c.at("textDocument/definition", &file, 5, 6);
    assert_eq!(
        d["range"]["start"],
        json!({"line": 1, "character": 6}),
        "{d}"
    );
    let d = c.at("textDocument/definition", &file, 5, 10);
    assert_eq!(
        d["range"]["start"],
        json!({"line": 1, "character": 26}),
        "{d}"
    );
    let d = c.at("textDocument/definition", &file, 0, 25);
    assert!(
        d["uri"].as_str().unwrap().ends_with("lib/util.libsonnet"),
        "{d}"
    );
    let d = c.at("textDocument/definition", &file, 6, 11);
    assert_eq!(d["range"]["start"]["line"], 3, "{d}");
    // Locals in scope on a bare name.
    let names = c.labels(&file, 4, 5);
    for want in ["util", "base", "mk", "std"] {
        assert!(
            names.contains(&want.to_owned()),
            "{want} missing from {names:?}"
        );
    }
    // Symbols.
    let s = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&file)}}),
    );
    let names: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["util", "base", "mk", "x", "y", "z", "w"], "{s}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn hover_tells_what_locals_are_without_evaluating() {
    let dir = tmp();
    write(
        dir.path(),
        "lib/util.libsonnet",
        "{ greet(name):: 'hi ' + name, version: 3 }\n",
    );
    let file = write(dir.path(), "main.jsonnet", "");
    let text = "\
local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet';
local util = import 'lib/util.libsonnet';
local port = 8080;
local name = 'web';
local flags = [1, 2, 3];
local deploy = k.apps.v1.deployment;
local d = deploy.new('web');
local mk(n, r=1) = deploy.new(n) + { spec+: { replicas: r } };
local twice = function(x) x * 2;
local cfg = importstr 'lib/util.libsonnet';
local never = error 'not evaluated';
[port, name, flags, d, mk('x'), twice(1), util, cfg, never]
";
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, text);
    let mut hover = |line: u32, col: u32| -> String {
        let h = c.at("textDocument/hover", &file, line, col);
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // Literal values, at the binding and at a use (line 11).
    assert!(hover(2, 7).contains("local port: number = 8080"));
    assert!(hover(11, 2).contains("local port: number = 8080"));
    assert!(hover(3, 7).contains("local name: string = 'web'"));
    assert!(hover(4, 7).contains("local flags: array of 3 elements"));
    // Library kinds: a library object and a call's result.
    let h = hover(5, 7);
    assert!(
        h.contains("→ `apps.v1.deployment` (apps/v1 Deployment)"),
        "{h}"
    );
    let h = hover(6, 6);
    assert!(h.contains("deployment object (apps/v1 Deployment)"), "{h}");
    // Local functions: their signature and what they return.
    let h = hover(7, 7);
    assert!(h.contains("local mk(n, r=1)"), "{h}");
    assert!(
        h.contains("returns deployment object (apps/v1 Deployment)"),
        "{h}"
    );
    assert!(hover(8, 7).contains("local twice(x)"));
    // An imported object and an imported text.
    let h = hover(1, 7);
    assert!(h.contains("imported from `lib/util.libsonnet`"), "{h}");
    assert!(h.contains("object with fields: greet, version"), "{h}");
    let h = hover(9, 7);
    assert!(h.contains("local cfg: string"), "{h}");
    assert!(h.contains("the text of `lib/util.libsonnet`"), "{h}");
    // Nothing known, nothing evaluated.
    let h = hover(10, 7);
    assert!(
        h.contains("local never") && !h.contains("not evaluated"),
        "{h}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn self_super_and_dollar() {
    let dir = tmp();
    let file = write(dir.path(), "main.jsonnet", "");
    let text = format!(
        "{ROUTE_HEAD}local base = {{ a: 1, inner: {{ deep: 2 }} }};\nbase + {{\n  b: self.,\n  c: super.,\n  d: {{ e: $., f: self. }},\n}} + tcpRoute.new('x')\n"
    );
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, &text);
    let at = |line: usize, what: &str| {
        let l = text.lines().nth(line).unwrap();
        (line as u32, (l.find(what).unwrap() + what.len()) as u32)
    };
    // `self` is the whole merge: base's fields, the literal's, the kind's.
    let (l, col) = at(4, "self.");
    let labels = c.labels(&file, l, col);
    for want in ["a", "inner", "b", "c", "d", "spec", "metadata"] {
        assert!(
            labels.contains(&want.to_owned()),
            "{want} missing from {labels:?}"
        );
    }
    // `super` is what the literal is merged onto.
    let (l, col) = at(5, "super.");
    assert_eq!(c.labels(&file, l, col), ["a", "inner"]);
    // `$` is the outermost object; `self` in a nested object is that object.
    let (l, col) = at(6, "$.");
    assert!(c.labels(&file, l, col).contains(&"inner".to_owned()));
    let (l, col) = at(6, "f: self.");
    assert_eq!(c.labels(&file, l, col), ["e", "f"]);
    assert_eq!(c.shutdown(), 0);
}

/// A CRD of a made-up group, for a project's `crds/` folder.
const WIDGET_CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
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
            description: The widget's wishes.
            properties:
              size:
                type: integer
                description: How big the widget is.
"#;

#[test]
fn a_tanka_project_sees_its_crds_folder_and_import_path() {
    let dir = tmp();
    let root = dir.path();
    write(root, "jsonnetfile.json", "{}");
    write(root, "crds/widget.yaml", WIDGET_CRD);
    write(root, "lib/helpers.libsonnet", "{ helper: 1 }");
    let file = write(root, "environments/default/main.jsonnet", "");
    let head = "local w = (import 'gwsonnet/crds/example.com/main.libsonnet').example.v1.widget;\nlocal h = import 'helpers.libsonnet';\n";
    // Two half-typed places on one line: each completes.
    let text = format!("{head}{{ a: w.spec., b: h. }}\n");
    let mut c = Client::start(root, &[]);
    c.open(&file, &text);
    assert_eq!(c.labels(&file, 2, 12), ["withSize"]);
    let item = c.item(&file, 2, 12, "withSize");
    assert!(
        item["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("How big"),
        "{item}"
    );
    // `lib/` of the project is on the import path.
    assert_eq!(c.labels(&file, 2, 19), ["helper"]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn bad_input_gets_empty_answers_and_diagnostics() {
    let dir = tmp();
    let root = dir.path();
    write(root, "jsonnetfile.json", "{}");
    write(
        root,
        "crds/broken.yaml",
        "kind: CustomResourceDefinition\n  bad: [indent\n",
    );
    write(
        root,
        "loop.libsonnet",
        "(import 'loop.libsonnet') + { x: 1 }",
    );
    let file = write(root, "main.jsonnet", "");
    let text = "local l = import 'loop.libsonnet';\nlocal m = import 'missing.libsonnet';\nl.";
    let mut c = Client::start(root, &[]);
    c.open(&file, text);
    let d = c.diagnostics(&file, |d| d.len() >= 2);
    let all: Vec<&str> = d.iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert!(
        all.iter().any(|m| m.contains("libraries not loaded")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|m| m.contains("couldn't open import \"missing.libsonnet\"")),
        "{all:?}"
    );
    // A recursive import still answers.
    let labels = c.labels(&file, 2, 2);
    assert!(labels.contains(&"x".to_owned()), "{labels:?}");
    // Unopened documents, positions out of range.
    let none = root.join("nowhere.jsonnet");
    assert_eq!(c.labels(&none, 0, 0), Vec::<String>::new());
    assert!(c.at("textDocument/hover", &none, 3, 3).is_null());
    assert_eq!(c.labels(&file, 99, 99).len(), c.labels(&file, 2, 2).len());
    assert!(c.at("textDocument/definition", &file, 1000, 0).is_null());
    // A file the parser cannot read at all.
    let bad = write(root, "bad.jsonnet", "");
    c.open(&bad, "import foo");
    let d = c.diagnostics(&bad, |d| !d.is_empty());
    assert_eq!(d[0]["severity"], 1);
    assert!(c.at("textDocument/hover", &bad, 0, 8).is_null());
    // Malformed parameters are an error response too.
    let e = c.request("textDocument/completion", json!({"textDocument": 3}));
    assert_eq!(e["error"]["code"], -32602, "{e}");
    let e = c.request("textDocument/rename", json!({}));
    assert!(e["error"]["code"].is_number(), "{e}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn saving_reports_evaluation_errors_and_validation_findings() {
    let dir = tmp();
    let file = write(
        dir.path(),
        "bad.jsonnet",
        "{\n  a: 1,\n  b: error 'boom',\n}\n",
    );
    let mut c = Client::start(dir.path(), &[]);
    c.open(&file, &std::fs::read_to_string(&file).unwrap());
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&file)}}),
    );
    let d = c.diagnostics(&file, |d| !d.is_empty());
    assert!(d[0]["message"].as_str().unwrap().contains("boom"), "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 2, "{d:?}");
    // A TCPRoute with a port out of range: a validation finding at its name.
    let text = format!("{ROUTE_HEAD}tcpRoute.new('my-route') + tcpRoute.spec.withRules([tcpRoute.spec.rules.withBackendRefs([tcpRoute.spec.rules.backendRefs.withName('s') + tcpRoute.spec.rules.backendRefs.withPort(70000)])])\n");
    let route = write(dir.path(), "route.jsonnet", &text);
    c.open(&route, &text);
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&route)}}),
    );
    let d = c.diagnostics(&route, |d| !d.is_empty());
    let msg = d[0]["message"].as_str().unwrap();
    assert!(msg.contains("my-route") && msg.contains("port"), "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 2, "{d:?}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_save_time_check_overtaken_by_an_edit_is_dropped() {
    // The first text's evaluation runs past the 2 s limit; the edit and the second
    // save come while it runs. Without versioning, its "did not finish" warning
    // would arrive last and overwrite the second save's finding.
    let dir = tmp();
    let slow = "std.foldl(function(a, b) a + b, std.range(0, 1e9), 0)\n";
    let file = write(dir.path(), "slow.jsonnet", slow);
    let mut c = Client::start_with(dir.path(), &[], json!({"evalTimeout": 2}));
    c.open(&file, slow);
    let save = |c: &mut Client| {
        c.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri(&file)}}),
        )
    };
    save(&mut c);
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    let fixed = "{ ok: true }\n";
    std::fs::write(&file, fixed).unwrap();
    c.change(&file, 2, fixed);
    save(&mut c);
    // Everything published until well after the first check's limit.
    let mut seen = Vec::new();
    while started.elapsed() < Duration::from_secs(6) {
        let left = Duration::from_secs(6).saturating_sub(started.elapsed());
        if let Ok(m) = c.rx.recv_timeout(left) {
            c.notes.push(m);
        }
        for m in c.notes.drain(..) {
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri(&file)
            {
                seen.push(m["params"].clone());
            }
        }
    }
    // The last word is the second save's: its validation finding, for version 2.
    let last = seen.last().expect("diagnostics published");
    assert_eq!(last["version"], 2, "{seen:?}");
    assert!(
        last["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("missing 'apiVersion'")),
        "{seen:?}"
    );
    assert!(
        !seen
            .iter()
            .any(|p| p.to_string().contains("did not finish")),
        "a stale result was published: {seen:?}"
    );
    assert_eq!(c.shutdown(), 0);
}

/// A real editor: Neovim's built-in LSP client (headless), configured with the README's
/// Neovim snippet verbatim as its `init.lua`, opens a file, asks for completion and
/// hover, and what it received is checked.
#[test]
fn neovim_receives_completion_and_hover() {
    let Some(nvim) = which("nvim") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "nvim not found, and CI=true: .ci/run installs Neovim"
        );
        println!("skipped: nvim not found");
        return;
    };
    let dir = tmp();
    let text = format!("{ROUTE_HEAD}tcpRoute.spec.withRules([])\n");
    let file = write(dir.path(), "route.jsonnet", &text);
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let snippet = readme
        .split("```lua\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a Lua snippet for Neovim");
    let init = write(dir.path(), "init.lua", snippet);
    let out = dir.path().join("received.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/lsp/neovim.lua");
    // The snippet starts `gwsonnet` from PATH: the binary under test first.
    let bin_dir = Path::new(BIN).parent().expect("the binary's folder");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_owned()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    // Completion after `tcpRoute.spec.`, hover on `withRules`.
    let col = text.lines().nth(2).unwrap().find("withRules").unwrap() as u32;
    let mut child = Command::new(nvim)
        .args(["--headless", "-n", "-i", "NONE", "--noplugin", "-u"])
        .arg(&init)
        .arg(&file)
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .current_dir(dir.path())
        .env("PATH", path)
        .env("GW_OUT", &out)
        .env("GW_C_LINE", "2")
        .env("GW_C_COL", col.to_string())
        .env("GW_H_LINE", "2")
        .env("GW_H_COL", (col + 3).to_string())
        .env("XDG_CACHE_HOME", dir.path().join(".cache"))
        .env_remove("JSONNET_PATH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(180);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let got: Value = serde_json::from_str(
        &std::fs::read_to_string(&out).expect("the script wrote what Neovim received"),
    )
    .unwrap();
    assert_eq!(got["ready"], true, "{got}");
    let items = got["completion"]["result"]
        .as_array()
        .cloned()
        .or_else(|| got["completion"]["result"]["items"].as_array().cloned())
        .unwrap_or_default();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    for want in ["withRules", "withParentRefs", "rules"] {
        assert!(labels.contains(&want), "{want} missing from {got}");
    }
    let hover = got["hover"]["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(hover.contains("withRules(rules: array)"), "{got}");
    assert!(hover.contains("Rules are a list of TCP matchers"), "{got}");
}

/// The path of `program` on `PATH`.
fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file())
}
