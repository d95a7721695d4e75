//! Frames in go-jsonnet's own standard library. go-jsonnet writes much of `std` in
//! Jsonnet (`<std>`, its embedded `std.jsonnet`), so a failing check there shows
//! frames such as `<std>:276:7-76 function <anonymous>` before the caller's; gwsonnet's
//! `std` is native and names go's frames itself ([`StdFrame`], listed next to each
//! check in `crate::engine::overrides::checks`). They travel through jrsonnet's stack
//! trace as descriptions of frames without a place, marked so that nothing a program
//! writes can look like one, and become [`Frame`]s at `<std>` in [`super::convert`].

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    Error, StackTraceElement,
};

use super::{Frame, Location};

/// Starts the description of a trace element that is a [`StdFrame`].
const MARK: &str = "\u{1}go-std\u{1}";

/// A place in go-jsonnet 0.22's `std.jsonnet` and go's description of that frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StdFrame {
    /// Line and column of the first character.
    pub begin: (u32, u32),
    /// Line and column one past the last character.
    pub end: (u32, u32),
    /// go's context (`function <anonymous>`, `thunk from <…>`, or empty).
    pub description: &'static str,
}

impl StdFrame {
    /// A frame on one line, columns `begin`–`end`.
    pub const fn at(line: u32, begin: u32, end: u32, description: &'static str) -> Self {
        Self {
            begin: (line, begin),
            end: (line, end),
            description,
        }
    }

    /// A frame across lines.
    pub const fn span(begin: (u32, u32), end: (u32, u32), description: &'static str) -> Self {
        Self {
            begin,
            end,
            description,
        }
    }

    /// The frame as an element of jrsonnet's trace.
    fn trace_element(&self) -> StackTraceElement {
        let Self {
            begin: (bl, bc),
            end: (el, ec),
            description,
        } = self;
        StackTraceElement {
            location: None,
            desc: format!("{MARK}{bl}:{bc}:{el}:{ec}:{description}"),
        }
    }

    /// The frame as go shows it.
    pub fn frame(&self) -> Frame {
        Frame {
            location: Some(Location {
                file: "<std>".into(),
                begin: self.begin,
                end: self.end,
            }),
            description: self.description.to_owned(),
        }
    }

    /// The frame a trace element's description stands for, if it is one.
    pub fn parse(desc: &str) -> Option<Frame> {
        let rest = desc.strip_prefix(MARK)?;
        let mut parts = rest.splitn(5, ':');
        let mut num = || parts.next()?.parse::<u32>().ok();
        let (bl, bc, el, ec) = (num()?, num()?, num()?, num()?);
        Some(Frame {
            location: Some(Location {
                file: "<std>".into(),
                begin: (bl, bc),
                end: (el, ec),
            }),
            description: parts.next()?.to_owned(),
        })
    }
}

/// Where go's `std.mod` (the `%` operator) rejects operands that are neither two
/// numbers nor a string and anything.
pub const MOD_OPERANDS: StdFrame = StdFrame::at(263, 7, 94, "function <anonymous>");

/// Where go's `std.mod` divides two numbers (`std.modulo`).
pub const MOD_NUMBERS: StdFrame = StdFrame::at(259, 7, 23, "function <anonymous>");

/// Where go's `std.mod` formats a string (`std.format`).
pub const MOD_FORMAT: StdFrame = StdFrame::at(261, 7, 23, "function <anonymous>");

/// A runtime error with go-jsonnet's `message`, raised inside go's `std` at `frames`
/// (innermost first).
pub fn go_std_error(message: String, frames: &[StdFrame]) -> Error {
    let mut e = Error::new(ErrorKind::RuntimeError(message.into()));
    e.trace_mut()
        .0
        .extend(frames.iter().map(StdFrame::trace_element));
    e
}

/// `f()`, whose error (if any) is raised inside go's `std` at `frames` (innermost
/// first): the `std.jsonnet` code go runs for a native function's step.
pub fn in_std<T>(frames: &[StdFrame], f: impl FnOnce() -> Result<T>) -> Result<T> {
    f().map_err(|mut e| {
        e.trace_mut()
            .0
            .extend(frames.iter().map(StdFrame::trace_element));
        e
    })
}

/// `e` with `outer` frames (innermost first) added after its `<std>` frames when it was
/// raised inside go's `std` (its trace so far ends with a [`StdFrame`]): the frames of
/// the `std` function that called the one that failed. Any other error is unchanged.
pub fn called_in_std(mut e: Error, outer: &[StdFrame]) -> Error {
    let inside = e
        .trace()
        .0
        .last()
        .is_some_and(|el| el.desc.starts_with(MARK));
    if inside {
        e.trace_mut()
            .0
            .extend(outer.iter().map(StdFrame::trace_element));
    }
    e
}

/// Whether a frame is one of go's `<std>` frames.
pub fn is_std(frame: &Frame) -> bool {
    frame.location.as_ref().is_some_and(|l| l.file == "<std>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_through_the_trace() {
        let f = StdFrame::span((234, 5), (246, 66), "");
        let parsed = StdFrame::parse(&f.trace_element().desc).unwrap();
        assert_eq!(
            parsed.location.as_ref().unwrap().to_string(),
            "<std>:(234:5)-(246:66)"
        );
        assert_eq!(parsed.description, "");
        let f = StdFrame::at(203, 12, 74, "thunk <joiner> from <function <anonymous>>");
        let parsed = StdFrame::parse(&f.trace_element().desc).unwrap();
        assert_eq!(parsed.description, f.description);
        assert_eq!(StdFrame::parse("function <f> call"), None);
    }
}
