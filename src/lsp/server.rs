//! The server loop: the LSP handshake over stdio, then one message at a time —
//! document notifications update [`Documents`] and publish diagnostics, requests are
//! answered by the feature modules. A panic inside a handler is caught and answered
//! as an error response; bad input (unopened documents, positions out of range,
//! unparseable files, imports that resolve nowhere) gets an empty answer. Logs go to
//! stderr.
//!
//! Contact points: [`crate::cli`] calls [`run`] with the `lsp` command's flags;
//! `initializationOptions` may add library sources (`crds`, `crdLibraries`,
//! `openapi`, `jpath`: lists of paths) and set `evalTimeout` (seconds).

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    notification::{
        DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
        Notification as _, PublishDiagnostics,
    },
    request::{
        Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, Request as _,
        SignatureHelpRequest,
    },
    CompletionOptions, Diagnostic, DocumentSymbolResponse, GotoDefinitionResponse,
    HoverProviderCapability, InitializeParams, OneOf, ParameterInformation, ParameterLabel,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, SignatureHelp, SignatureHelpOptions,
    SignatureInformation, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};

use super::analysis::Analyzer;
use super::documents::{Document, Documents};
use super::project::{Base, Projects};
use crate::error::Error;

/// The `lsp` command's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Import path and library sources shared by every file.
    pub base: Base,
    /// The time limit of the evaluation on save.
    pub eval_timeout: Duration,
}

/// How long after a change the server waits for the next one before checking the
/// document: keystrokes closer together than this are checked once.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// The longest diagnostics wait while messages keep coming.
const MAX_DELAY: Duration = Duration::from_millis(500);

/// What the server holds between messages.
struct State {
    docs: Documents,
    projects: Projects,
    settings: Settings,
    sender: Outgoing,
    /// Documents changed since their diagnostics were last published.
    dirty: Vec<Uri>,
    /// When the first of them changed.
    dirty_since: Option<std::time::Instant>,
    /// The save-time check running for each document, by URI: set when a newer text
    /// (or save, or close) makes its result stale.
    saves: HashMap<String, Stale>,
}

/// Whether a save-time check's result is stale. The check's thread publishes while
/// holding the lock and only when not stale; the server marks it stale under the same
/// lock before it publishes anything newer, so a stale result can never arrive after
/// a fresher one.
type Stale = std::sync::Arc<std::sync::Mutex<bool>>;

/// Sends a message to the client (from any thread).
type Outgoing = std::sync::Arc<dyn Fn(Message) + Send + Sync>;

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run(mut settings: Settings) -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    let caps = serde_json::to_value(capabilities()).unwrap_or_default();
    let params = connection
        .initialize(caps)
        .map_err(|e| Error::Lsp(e.into()))?;
    if let Ok(p) = serde_json::from_value::<InitializeParams>(params) {
        if let Some(opts) = p.initialization_options {
            apply_options(&mut settings, &opts);
        }
    }
    eprintln!("gwsonnet lsp: initialized");
    let out = connection.sender.clone();
    let mut state = State {
        docs: Documents::default(),
        projects: Projects::new(settings.base.clone()),
        settings,
        sender: std::sync::Arc::new(move |m| {
            let _ = out.send(m);
        }),
        dirty: Vec::new(),
        dirty_since: None,
        saves: HashMap::new(),
    };
    loop {
        // With changed documents, wait a little for the next message: diagnostics run
        // once no keystroke has come for [`DEBOUNCE`], over the last text.
        let msg = if state.dirty.is_empty() {
            match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => break,
            }
        } else {
            if state.dirty_since.is_some_and(|t| t.elapsed() > MAX_DELAY) {
                state.publish_dirty();
            }
            match connection.receiver.recv_timeout(DEBOUNCE) {
                Ok(m) => m,
                Err(e) if e.is_timeout() => {
                    state.publish_dirty();
                    continue;
                }
                Err(_) => break,
            }
        };
        match msg {
            Message::Request(req) => {
                match connection.handle_shutdown(&req) {
                    Ok(true) => break,
                    Ok(false) => {}
                    Err(e) => {
                        eprintln!("gwsonnet lsp: {e}");
                        break;
                    }
                }
                let id = req.id.clone();
                let method = req.method.clone();
                let resp = guarded(id, &method, || state.request(req));
                (state.sender)(resp.into());
            }
            Message::Notification(n) => {
                let method = n.method.clone();
                if std::panic::catch_unwind(AssertUnwindSafe(|| state.notification(n))).is_err() {
                    eprintln!("gwsonnet lsp: internal error while handling {method}");
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(state);
    drop(connection);
    io_threads.join().map_err(|e| Error::Lsp(e.into()))
}

/// The response to request `id` (`method`) that `answer` gives; a panic inside it
/// (its message goes to stderr) is an internal-error response, and the server goes on.
fn guarded(id: RequestId, method: &str, answer: impl FnOnce() -> Answer) -> Response {
    match std::panic::catch_unwind(AssertUnwindSafe(answer)) {
        Ok(Ok(v)) => Response::new_ok(id, v),
        Ok(Err((code, msg))) => Response::new_err(id, code as i32, msg),
        Err(_) => Response::new_err(
            id,
            ErrorCode::InternalError as i32,
            format!("internal error while answering {method} (see the server's log)"),
        ),
    }
}

/// What the server offers.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_owned()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".to_owned(), ",".to_owned()]),
            ..SignatureHelpOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// `initializationOptions`: `{"jpath": [..], "crds": [..], "crdLibraries": [..],
/// "openapi": [..]}`, added after the command line's, and `"evalTimeout"`: the
/// save-time check's time limit in seconds.
fn apply_options(settings: &mut Settings, opts: &serde_json::Value) {
    if let Some(secs) = opts.get("evalTimeout").and_then(|v| v.as_f64()) {
        match Duration::try_from_secs_f64(secs) {
            Ok(limit) if secs > 0.0 => settings.eval_timeout = limit,
            _ => eprintln!(
                "gwsonnet lsp: evalTimeout {secs} is not a positive number of seconds; kept {:?}",
                settings.eval_timeout
            ),
        }
    }
    let base = &mut settings.base;
    let list = |key: &str| -> Vec<String> {
        opts.get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    // `-J` semantics: a later directory wins.
    for j in list("jpath") {
        base.search.insert(0, PathBuf::from(j));
    }
    for c in list("crds") {
        base.sources.crds.push(PathBuf::from(c));
        base.sources.crds_given.push(crate::crd::Given::Flag);
    }
    base.sources
        .configs
        .extend(list("crdLibraries").into_iter().map(PathBuf::from));
    base.sources.openapi.extend(
        list("openapi")
            .iter()
            .map(|v| crate::crd::OpenApiSource::parse(v)),
    );
}

type Answer = Result<serde_json::Value, (ErrorCode, String)>;

fn params<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(v).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json<T: serde::Serialize>(v: T) -> Answer {
    Ok(serde_json::to_value(v).unwrap_or_default())
}

impl State {
    /// The document at a position, its offset and its project's analyzer.
    fn at<R>(
        &mut self,
        p: &TextDocumentPositionParams,
        f: impl FnOnce(&Analyzer, &Rc<Document>, usize) -> R,
    ) -> Option<R> {
        let doc = self.docs.get_or_read(&p.text_document.uri)?;
        let project = self.projects.for_file(doc.path.as_deref());
        let an = Analyzer::new(&project);
        let offset = doc.offset(p.position);
        Some(f(&an, &doc, offset))
    }

    fn request(&mut self, req: Request) -> Answer {
        match req.method.as_str() {
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(req.params)?;
                let items = self
                    .at(&p.text_document_position, super::completion::complete)
                    .unwrap_or_default();
                json(lsp_types::CompletionResponse::Array(items))
            }
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(req.params)?;
                json(
                    self.at(&p.text_document_position_params, super::hover::hover)
                        .flatten(),
                )
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(req.params)?;
                json(
                    self.at(
                        &p.text_document_position_params,
                        super::definition::definition,
                    )
                    .flatten()
                    .map(GotoDefinitionResponse::Scalar),
                )
            }
            SignatureHelpRequest::METHOD => {
                let p: lsp_types::SignatureHelpParams = params(req.params)?;
                json(
                    self.at(&p.text_document_position_params, signature_help)
                        .flatten(),
                )
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = params(req.params)?;
                let symbols = self
                    .docs
                    .get_or_read(&p.text_document.uri)
                    .map(|d| super::symbols::symbols(&d))
                    .unwrap_or_default();
                json(DocumentSymbolResponse::Nested(symbols))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("gwsonnet lsp does not answer {other}"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                {
                    let uri = p.text_document.uri;
                    self.supersede(&uri);
                    self.docs
                        .open(&uri, p.text_document.text, p.text_document.version);
                    self.mark_dirty(uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                {
                    // Full sync: the last change is the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        let uri = p.text_document.uri;
                        self.supersede(&uri);
                        self.docs.open(&uri, change.text, p.text_document.version);
                        self.mark_dirty(uri);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                {
                    self.supersede(&p.text_document.uri);
                    self.docs.close(&p.text_document.uri);
                    self.dirty.retain(|u| u != &p.text_document.uri);
                    self.send_diagnostics(&p.text_document.uri, Vec::new());
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                {
                    self.saved(&p.text_document.uri);
                }
            }
            _ => {}
        }
    }

    /// Publishes the diagnostics of the documents changed since the last time.
    fn publish_dirty(&mut self) {
        self.dirty_since = None;
        for uri in std::mem::take(&mut self.dirty) {
            let sent =
                std::panic::catch_unwind(AssertUnwindSafe(|| self.publish(&uri, Vec::new())));
            if sent.is_err() {
                eprintln!(
                    "gwsonnet lsp: internal error while checking {}",
                    uri.as_str()
                );
            }
        }
    }

    fn mark_dirty(&mut self, uri: Uri) {
        self.dirty_since.get_or_insert_with(std::time::Instant::now);
        if !self.dirty.contains(&uri) {
            self.dirty.push(uri);
        }
    }

    /// The static diagnostics of `uri`.
    fn diagnostics(&mut self, uri: &Uri) -> Vec<Diagnostic> {
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let project = self.projects.for_file(doc.path.as_deref());
        let an = Analyzer::new(&project);
        super::diagnostics::on_change(&an, &doc)
    }

    fn publish(&mut self, uri: &Uri, extra: Vec<Diagnostic>) {
        let mut d = self.diagnostics(uri);
        d.extend(extra);
        self.send_diagnostics(uri, d);
    }

    fn send_diagnostics(&self, uri: &Uri, diagnostics: Vec<Diagnostic>) {
        let version = self.docs.version(uri);
        (self.sender)(diagnostics_message(uri.clone(), diagnostics, version));
    }

    /// Marks the save-time check of `uri`, if one runs, stale: its child is killed
    /// and its result dropped (a newer text, save or close of the document is coming).
    fn supersede(&mut self, uri: &Uri) {
        if let Some(stale) = self.saves.remove(uri.as_str()) {
            *stale.lock().unwrap_or_else(|e| e.into_inner()) = true;
        }
    }

    /// On save: the static diagnostics now, then those of the evaluation and
    /// validation when the child process is done (on a thread of its own), unless the
    /// document changed, was saved again or closed meanwhile.
    fn saved(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let Some(path) = doc.path.clone() else {
            return;
        };
        self.supersede(uri);
        self.dirty.retain(|u| u != uri);
        let now = self.diagnostics(uri);
        self.send_diagnostics(uri, now.clone());
        let project = self.projects.for_file(Some(&path));
        let job = super::diagnostics::SaveJob::new(
            &project,
            &path,
            &doc.text,
            self.settings.eval_timeout,
        );
        let stale = Stale::default();
        self.saves.insert(uri.as_str().to_owned(), stale.clone());
        let sender = self.sender.clone();
        let uri = uri.clone();
        let version = self.docs.version(&uri);
        std::thread::spawn(move || {
            let is_stale = || *stale.lock().unwrap_or_else(|e| e.into_inner());
            let Some(found) = super::diagnostics::on_save(&job, &is_stale) else {
                eprintln!(
                    "gwsonnet lsp: save-time check of {} superseded",
                    uri.as_str()
                );
                return;
            };
            let mut all = now;
            all.extend(found);
            let gate = stale.lock().unwrap_or_else(|e| e.into_inner());
            if *gate {
                eprintln!(
                    "gwsonnet lsp: save-time check of {} superseded",
                    uri.as_str()
                );
                return;
            }
            sender(diagnostics_message(uri, all, version));
            drop(gate);
        });
    }
}

/// The `textDocument/publishDiagnostics` notification of `uri`'s `diagnostics`,
/// for the client's `version` of its text.
fn diagnostics_message(uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) -> Message {
    let params = PublishDiagnosticsParams::new(uri, diagnostics, version);
    Message::Notification(Notification::new(
        PublishDiagnostics::METHOD.to_owned(),
        params,
    ))
}

/// Signature help inside the argument list of a call: the callee's parameters
/// (docsonnet's for library functions, the function's own otherwise) and which one
/// the cursor is on.
fn signature_help(an: &Analyzer, doc: &Rc<Document>, offset: usize) -> Option<SignatureHelp> {
    use jrsonnet_rowan_parser::{nodes::Expr, AstNode, SyntaxKind};
    let root = doc.parsed().root.clone()?;
    let token = super::completion::token_before(&root, offset)?;
    let at = jrsonnet_rowan_parser::rowan::TextSize::from(u32::try_from(offset).ok()?);
    let args = token.parent_ancestors().find(|n| {
        n.kind() == SyntaxKind::ARGS_DESC && n.text_range().start() < at && {
            // Not past the closing parenthesis.
            let closed = n
                .last_token()
                .is_some_and(|t| t.kind() == SyntaxKind::R_PAREN);
            !closed || at < n.text_range().end()
        }
    })?;
    let apply = args.parent()?;
    let expr = apply.parent().and_then(Expr::cast)?;
    let index = expr.suffixs().position(|s| s.syntax() == &apply)?;
    let callee = an.expr_until(doc, &expr, index);
    // The name and the docs: a library member's docsonnet, else the parameters.
    let prev = index
        .checked_sub(1)
        .and_then(|i| expr.suffixs().nth(i))
        .and_then(|s| match s {
            jrsonnet_rowan_parser::nodes::Suffix::SuffixIndex(s) => s
                .index()
                .and_then(|n| super::analysis::name_text(n.syntax())),
            _ => None,
        });
    let (name, doc_args, help) = match &callee {
        super::analysis::Shape::Lib(f) => {
            let name = prev.clone().unwrap_or_else(|| "function".to_owned());
            let parent = an.expr_until(doc, &expr, index - usize::from(prev.is_some()));
            let d = match (&parent, &prev) {
                (super::analysis::Shape::Lib(p), Some(n)) => an.libs().member_doc(p, n),
                _ => None,
            };
            let args = d
                .as_ref()
                .and_then(|d| d.args.clone())
                .unwrap_or_else(|| an.libs().params(f));
            (name, args, d.map(|d| d.help).unwrap_or_default())
        }
        super::analysis::Shape::Func(_, p, _) => (
            prev.unwrap_or_else(|| "function".to_owned()),
            super::analysis::params_of(p.as_ref()),
            String::new(),
        ),
        _ => return None,
    };
    let active = args
        .children_with_tokens()
        .filter_map(|t| t.into_token())
        .filter(|t| t.kind() == SyntaxKind::COMMA && t.text_range().end() <= at)
        .count() as u32;
    let parameters: Vec<ParameterInformation> = doc_args
        .iter()
        .map(|a| ParameterInformation {
            label: ParameterLabel::Simple(super::completion::arg_text(a)),
            documentation: None,
        })
        .collect();
    Some(SignatureHelp {
        signatures: vec![SignatureInformation {
            label: super::completion::signature(&name, &doc_args),
            documentation: (!help.is_empty()).then_some(lsp_types::Documentation::MarkupContent(
                lsp_types::MarkupContent {
                    kind: lsp_types::MarkupKind::Markdown,
                    value: help,
                },
            )),
            parameters: Some(parameters),
            active_parameter: Some(active),
        }],
        active_signature: Some(0),
        active_parameter: Some(active),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_is_an_internal_error_response() {
        let resp = guarded(RequestId::from(7), "textDocument/hover", || {
            panic!("a bug in a handler")
        });
        assert_eq!(resp.id, RequestId::from(7));
        let err = resp.response_result.expect_err("an error response");
        assert_eq!(err.code, ErrorCode::InternalError as i32);
        assert!(
            err.message.contains("textDocument/hover"),
            "{}",
            err.message
        );
        let ok = guarded(RequestId::from(8), "x", || Ok(serde_json::json!(1)));
        assert_eq!(ok.response_result.ok(), Some(serde_json::json!(1)));
    }
}
