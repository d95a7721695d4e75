//! `gwsonnet lsp`: a Language Server Protocol server over stdio that sees the native
//! libraries (completion, hover, signature help, definition, document symbols,
//! diagnostics).
//!
//! Crates: `lsp-server` (rust-analyzer's synchronous scaffold: a blocking loop over a
//! channel, two I/O threads, no async runtime) with `lsp-types`. The server answers one
//! message at a time on the thread that owns the evaluator (jrsonnet's `State` is
//! `!Send`), which suits a CLI on a small machine better than an async runtime
//! (`tower-lsp-server`, `async-lsp`) whose tasks would all wait on that one thread
//! anyway. Files are parsed with `jrsonnet-rowan-parser` (pinned like the other
//! jrsonnet crates), which recovers from errors, so a half-typed file still has a tree.
//!
//! What runs when: completion, hover, definition and symbols are static analysis of the
//! parsed files ([`analysis`]) over the library model; user code is never evaluated for
//! them. Only the built-in libraries' own objects are evaluated ([`libraries`]: lazy
//! native objects and their docsonnet fields, what `import` of them gives). On save the
//! file is evaluated and validated in a child `gwsonnet validate` process with a time
//! limit ([`diagnostics`]), so a runaway program cannot stall or crash the server.
//!
//! Modules: [`server`] (the loop, dispatch, panics to error responses), [`documents`]
//! (open texts, positions), [`syntax`] (parsing), [`project`] (import paths and
//! libraries per Tanka project), [`analysis`] (scopes and value shapes),
//! [`libraries`] (native library values and docs), [`completion`], [`hover`],
//! [`definition`], [`symbols`], [`diagnostics`].
//! Contact point: [`crate::cli`] calls [`run`] for the `lsp` command.

pub mod analysis;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod libraries;
pub mod project;
pub mod server;
pub mod symbols;
pub mod syntax;

pub use server::{run, Settings};
