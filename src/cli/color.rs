//! Colour of the human validation reports (`validate`, and `--validate` of the jsonnet
//! mode, `show`, `eval`, `export`): `--color auto|always|never`. `auto` (the default)
//! colours a stream only when it is a terminal and `NO_COLOR` is unset or empty, so
//! pipes, files and CI logs get plain text; the flag wins over `NO_COLOR`.
//!
//! Contact points: the flag is read by `cli::flags` (with `NO_COLOR` from the
//! environment the command line is parsed with); the reports of `cli::validate`
//! paint their parts with a [`Palette`] of anstyle's ANSI styles.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};

use crate::error::FlagValueError;

/// `--color`, with `NO_COLOR` already applied to `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour (also `auto` with `NO_COLOR` set).
    Never,
}

impl ColorChoice {
    /// The choice from `--color`'s value (`None`: not given) and the `NO_COLOR`
    /// variable (`None`: unset).
    pub fn resolve(flag: Option<Self>, no_color: Option<String>) -> Self {
        match flag {
            Some(choice) => choice,
            None if no_color.is_some_and(|v| !v.is_empty()) => Self::Never,
            None => Self::Auto,
        }
    }

    /// `--color`'s value: `auto`, `always` or `never`.
    pub fn parse(value: &str) -> Result<Self, FlagValueError> {
        match value {
            "auto" => Ok(Self::Auto),
            "always" => Ok(Self::Always),
            "never" => Ok(Self::Never),
            _ => Err(FlagValueError::NotAChoice {
                flag: "color",
                choices: "auto, always or never",
                value: value.to_owned(),
            }),
        }
    }

    /// The palette for standard output.
    pub fn stdout(self) -> Palette {
        self.palette(|| std::io::stdout().is_terminal())
    }

    /// The palette for standard error.
    pub fn stderr(self) -> Palette {
        self.palette(|| std::io::stderr().is_terminal())
    }

    fn palette(self, terminal: impl FnOnce() -> bool) -> Palette {
        Palette {
            on: match self {
                Self::Always => true,
                Self::Never => false,
                Self::Auto => terminal(),
            },
        }
    }
}

/// Paints report parts, or leaves them plain.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    on: bool,
}

/// An error's severity.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// A warning's severity.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// "not checked", and unknown kinds that are skipped.
pub const NOTE: Style = AnsiColor::Magenta.on_default().bold();
/// The object's identity.
pub const OBJECT: Style = Style::new().bold();
/// The JSON path of a finding.
pub const PATH: Style = AnsiColor::Cyan.on_default();
/// Where the object came from, the value and the constraint.
pub const DIM: Style = Style::new().dimmed();

impl Palette {
    /// `text` in `style`, or as it is when colour is off.
    pub fn paint(self, style: Style, text: &str) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}
