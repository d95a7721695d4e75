//! The evaluation error: what failed ([`EvalError`]: a runtime error with its stack of
//! [`Frame`]s, a static error at a [`Location`], or the output that could not be
//! written), built from jrsonnet's error in [`convert`] and shown as go-jsonnet 0.22's
//! `jsonnet` CLI prints it in [`render`].
//!
//! Contact points: [`crate::engine::Engine`] makes every failure an [`EvalError`];
//! [`crate::error::Error::Evaluation`] carries it to [`crate::cli::run`], which writes
//! its `Display` text to standard error byte for byte.

mod convert;
mod frames;
mod messages;
mod render;
mod std_frames;
mod syntax;
mod types;

pub(super) use convert::{from_jrsonnet, top_level, Names, TOP_LEVEL_CALL};
pub(super) use std_frames::{
    called_in_std, go_std_error, in_std, StdFrame, MOD_FORMAT, MOD_NUMBERS, MOD_OPERANDS,
};
pub(super) use types::{type_error, unexpected_type};

/// The description of a trace element that stands for one of go's frames with an
/// empty place: a node go-jsonnet's desugarer wrote, such as the `if` a
/// comprehension's condition becomes (go prints an empty line, `\t\t`). The marker
/// characters keep anything a program writes from looking like it.
pub(in crate::engine) const UNPLACED: &str = "\u{1}go-unplaced\u{1}";

/// Where in a source a frame or a static error is, as go-jsonnet's `LocationRange`:
/// 1-based lines and columns, the end column being one past the last character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (`testdata/x`, `../lib/a.libsonnet`), or
    /// `<stdin>`, `<cmdline>`, `<extvar:name>`, `<std>`.
    pub file: String,
    /// Line and column of the first character.
    pub begin: (u32, u32),
    /// Line and column one past the last character.
    pub end: (u32, u32),
}

/// One line of a runtime error's stack trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The expression being evaluated in that frame; `None` for the frames go-jsonnet
    /// shows without a place (`Field "x"`, `Array element 0`, `During manifestation`).
    pub location: Option<Location>,
    /// What the frame is: the context of the expression (`$`, `object <anonymous>`,
    /// `function <f>`, `thunk from <$>`) or, without a location, the step
    /// (`Field "x"`, `During evaluation`).
    pub description: String,
}

impl Frame {
    /// A frame without a place, such as `During manifestation`.
    pub fn step(description: impl Into<String>) -> Self {
        Self {
            location: None,
            description: description.into(),
        }
    }
}

/// Why evaluating or writing the result failed. `Display` is the complete text go's
/// `jsonnet` prints on standard error, ending in its newlines.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// `RUNTIME ERROR: message` and the stack, innermost frame first.
    #[error("{}", render::runtime(message, frames, *max_trace))]
    Runtime {
        /// The message after `RUNTIME ERROR: `.
        message: String,
        /// Every frame, innermost first (the rendering crops to `max_trace`).
        frames: Vec<Frame>,
        /// `--max-trace`: the most frames shown (0: all), half from each end.
        max_trace: usize,
    },
    /// A syntax or static-analysis error: `location message`, then the source lines of
    /// the location.
    #[error("{}", render::static_error(location.as_ref(), message, code.as_deref()))]
    Static {
        /// Where; `None` when the error has no place.
        location: Option<Location>,
        /// What is wrong, in go-jsonnet's words.
        message: String,
        /// The source lines the location spans, shown under the message.
        code: Option<String>,
    },
    /// The result could not be written.
    #[error("ERROR: writing output: {0}\n")]
    Output(#[source] std::io::Error),
}

impl EvalError {
    /// A runtime error raised by gwsonnet itself, outside any frame (output modes).
    pub fn runtime(message: impl Into<String>) -> Self {
        Self::Runtime {
            message: message.into(),
            frames: Vec::new(),
            max_trace: 0,
        }
    }

    /// The message alone, without kind, location or frames.
    pub fn message(&self) -> String {
        match self {
            Self::Runtime { message, .. } | Self::Static { message, .. } => message.clone(),
            Self::Output(e) => e.to_string(),
        }
    }
}
