//! The flags of the jsonnet-compatible evaluator mode, each defined once (name, short
//! form, value, help) in [`FLAGS`]. [`parse_low`] reads argv the way the go-jsonnet
//! CLI does into [`LowArgs`]; [`LowArgs::into_high`] validates them and derives the
//! settings the engine and output stages use ([`HiArgs`]).

use std::path::PathBuf;

use crate::engine::{EngineSettings, ExtValue, Input, OutputMode};

/// What a flag does once parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlagId {
    Help,
    Version,
    Exec,
    Jpath,
    ExtStr,
    ExtStrFile,
    ExtCode,
    ExtCodeFile,
    TlaStr,
    TlaStrFile,
    TlaCode,
    TlaCodeFile,
    OutputFile,
    Multi,
    CreateOutputDirs,
    YamlStream,
    String,
    MaxStack,
    MaxTrace,
}

/// One command-line flag.
struct Flag {
    id: FlagId,
    long: &'static str,
    short: Option<char>,
    /// Name of the value it takes, `None` for a switch.
    value: Option<&'static str>,
    help: &'static str,
}

const fn flag(
    id: FlagId,
    long: &'static str,
    short: Option<char>,
    value: Option<&'static str>,
    help: &'static str,
) -> Flag {
    Flag {
        id,
        long,
        short,
        value,
        help,
    }
}

/// Every flag of the evaluator mode, in help order.
const FLAGS: &[Flag] = &[
    flag(FlagId::Help, "help", Some('h'), None, "Print this message"),
    flag(FlagId::Version, "version", Some('v'), None, "Print version"),
    flag(
        FlagId::Exec,
        "exec",
        Some('e'),
        None,
        "Treat filename as code",
    ),
    flag(
        FlagId::Jpath,
        "jpath",
        Some('J'),
        Some("<dir>"),
        "Add a library search dir (right-most wins; JSONNET_PATH ranks below all -J)",
    ),
    flag(
        FlagId::OutputFile,
        "output-file",
        Some('o'),
        Some("<file>"),
        "Write to the output file rather than stdout",
    ),
    flag(
        FlagId::Multi,
        "multi",
        Some('m'),
        Some("<dir>"),
        "Write one file per top-level field into <dir>, list the files on stdout",
    ),
    flag(
        FlagId::CreateOutputDirs,
        "create-output-dirs",
        Some('c'),
        None,
        "Create missing parent directories of output files",
    ),
    flag(
        FlagId::YamlStream,
        "yaml-stream",
        Some('y'),
        None,
        "Write a top-level array as a stream of JSON documents separated by ---",
    ),
    flag(
        FlagId::String,
        "string",
        Some('S'),
        None,
        "Expect a string, print it as plain text",
    ),
    flag(
        FlagId::MaxStack,
        "max-stack",
        Some('s'),
        Some("<n>"),
        "Number of allowed stack frames (default 500)",
    ),
    flag(
        FlagId::MaxTrace,
        "max-trace",
        Some('t'),
        Some("<n>"),
        "Max length of stack trace before cropping (default 20, 0: no limit)",
    ),
    flag(
        FlagId::ExtStr,
        "ext-str",
        Some('V'),
        Some("<var>[=<val>]"),
        "External variable as a string; without =<val>, from env var <var>",
    ),
    flag(
        FlagId::ExtStrFile,
        "ext-str-file",
        None,
        Some("<var>=<file>"),
        "External variable as a string read from <file>",
    ),
    flag(
        FlagId::ExtCode,
        "ext-code",
        None,
        Some("<var>[=<code>]"),
        "External variable as Jsonnet code; without =<code>, from env var <var>",
    ),
    flag(
        FlagId::ExtCodeFile,
        "ext-code-file",
        None,
        Some("<var>=<file>"),
        "External variable as Jsonnet code read from <file>",
    ),
    flag(
        FlagId::TlaStr,
        "tla-str",
        Some('A'),
        Some("<var>[=<val>]"),
        "Top-level argument as a string; without =<val>, from env var <var>",
    ),
    flag(
        FlagId::TlaStrFile,
        "tla-str-file",
        None,
        Some("<var>=<file>"),
        "Top-level argument as a string read from <file>",
    ),
    flag(
        FlagId::TlaCode,
        "tla-code",
        None,
        Some("<var>[=<code>]"),
        "Top-level argument as Jsonnet code; without =<code>, from env var <var>",
    ),
    flag(
        FlagId::TlaCodeFile,
        "tla-code-file",
        None,
        Some("<var>=<file>"),
        "Top-level argument as Jsonnet code read from <file>",
    ),
];

/// The help text of the evaluator mode, generated from [`FLAGS`].
pub fn usage() -> String {
    let mut out = format!(
        "gwsonnet {} — a drop-in jsonnet evaluator with the Gateway API built in\n\n\
         Usage:\n  gwsonnet [<option>...] <filename>   evaluate a file (- for stdin)\n  \
         gwsonnet [<option>...] -e <code>     evaluate code\n  \
         gwsonnet docs --out <dir>            write the built-in library's docs (markdown)\n  \
         gwsonnet libsonnet --out <dir>       write the built-in library as jsonnet source\n\n\
         Options:\n",
        env!("CARGO_PKG_VERSION")
    );
    for f in FLAGS {
        let mut left = match f.short {
            Some(s) => format!("  -{s}, --{}", f.long),
            None => format!("      --{}", f.long),
        };
        if let Some(v) = f.value {
            left.push(' ');
            left.push_str(v);
        }
        out.push_str(&format!("{left:<38} {}\n", f.help));
    }
    out.push_str(
        "\nJSONNET_PATH: colon-separated library dirs, left-most wins, below every -J.\n\
         Short options combine (-Sy); -- ends option processing; a file named like a\n\
         subcommand is reachable as ./name.\n",
    );
    out
}

/// argv as read, before validation.
#[derive(Debug, Default)]
pub struct LowArgs {
    help: bool,
    version: bool,
    exec: bool,
    jpaths: Vec<String>,
    ext: Vec<(FlagId, String)>,
    tla: Vec<(FlagId, String)>,
    output_file: Option<String>,
    multi: Option<String>,
    create_dirs: bool,
    yaml_stream: bool,
    string: bool,
    max_stack: Option<String>,
    max_trace: Option<String>,
    positional: Vec<String>,
}

/// What the command line asks for, validated.
#[derive(Debug)]
pub enum HiArgs {
    /// Print the help text.
    Help,
    /// Print the version.
    Version,
    /// Evaluate and write output.
    Run(RunArgs),
}

/// A validated evaluation request.
#[derive(Debug)]
pub struct RunArgs {
    /// Engine configuration.
    pub engine: EngineSettings,
    /// What to evaluate.
    pub input: Input,
    /// How to turn the result into bytes.
    pub mode: OutputMode,
    /// `-S` together with `-m`: files hold raw strings.
    pub multi_strings: bool,
    /// `-o`: write here instead of stdout.
    pub output_file: Option<PathBuf>,
    /// `-m`: directory of the output files (ends with `/`, as go-jsonnet prints it).
    pub multi_dir: Option<String>,
    /// `-c`: create missing parent directories.
    pub create_dirs: bool,
}

fn find_long(name: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.long == name)
}

fn find_short(c: char) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.short == Some(c))
}

/// Reads argv (without the program name) like go-jsonnet: options anywhere, `-abc` is
/// `-a -b -c`, `--` ends options, a lone `-` is stdin. Also accepts `--flag=value` and
/// `-Jvalue`.
pub fn parse_low(args: &[String]) -> Result<LowArgs, String> {
    let mut low = LowArgs::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            low.positional.extend(args[i..].iter().cloned());
            break;
        }
        let (flag, inline): (&Flag, Option<String>) = if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let f = find_long(name).ok_or_else(|| format!("unrecognized argument: {arg}"))?;
            if value.is_some() && f.value.is_none() {
                return Err(format!("option --{name} takes no value"));
            }
            (f, value)
        } else if arg.len() > 1 && arg.starts_with('-') {
            let mut chars = arg[1..].chars();
            let mut last = None;
            let mut inline = None;
            while let Some(c) = chars.next() {
                let f = find_short(c).ok_or_else(|| format!("unrecognized argument: -{c}"))?;
                if f.value.is_some() {
                    let rest: String = chars.by_ref().collect();
                    if !rest.is_empty() {
                        inline = Some(rest);
                    }
                    last = Some(f);
                    break;
                }
                if chars.as_str().is_empty() {
                    last = Some(f);
                } else {
                    low.apply(f, None)?;
                }
            }
            (
                last.expect("a short option group has at least one flag"),
                inline,
            )
        } else {
            low.positional.push(arg.clone());
            continue;
        };
        let value = if flag.value.is_some() {
            match inline {
                Some(v) => Some(v),
                None => {
                    let v = args.get(i).cloned().ok_or_else(|| {
                        format!(
                            "option --{} needs a value {}",
                            flag.long,
                            flag.value.unwrap_or("")
                        )
                    })?;
                    i += 1;
                    Some(v)
                }
            }
        } else {
            None
        };
        low.apply(flag, value)?;
    }
    Ok(low)
}

impl LowArgs {
    fn apply(&mut self, flag: &Flag, value: Option<String>) -> Result<(), String> {
        let v = || value.clone().unwrap_or_default();
        match flag.id {
            FlagId::Help => self.help = true,
            FlagId::Version => self.version = true,
            FlagId::Exec => self.exec = true,
            FlagId::Jpath => {
                if v().is_empty() {
                    return Err("-J argument was empty string".into());
                }
                self.jpaths.push(v())
            }
            FlagId::ExtStr | FlagId::ExtStrFile | FlagId::ExtCode | FlagId::ExtCodeFile => {
                self.ext.push((flag.id, v()))
            }
            FlagId::TlaStr | FlagId::TlaStrFile | FlagId::TlaCode | FlagId::TlaCodeFile => {
                self.tla.push((flag.id, v()))
            }
            FlagId::OutputFile => {
                if v().is_empty() {
                    return Err("-o argument was empty string".into());
                }
                self.output_file = Some(v())
            }
            FlagId::Multi => {
                if v().is_empty() {
                    return Err("-m argument was empty string".into());
                }
                self.multi = Some(v())
            }
            FlagId::CreateOutputDirs => self.create_dirs = true,
            FlagId::YamlStream => self.yaml_stream = true,
            FlagId::String => self.string = true,
            FlagId::MaxStack => self.max_stack = Some(v()),
            FlagId::MaxTrace => self.max_trace = Some(v()),
        }
        Ok(())
    }

    /// Validates the raw arguments and derives the run settings. `env` looks up
    /// environment variables (for `-V name` without a value and `JSONNET_PATH`).
    pub fn into_high(self, env: &dyn Fn(&str) -> Option<String>) -> Result<HiArgs, String> {
        if self.help {
            return Ok(HiArgs::Help);
        }
        if self.version {
            return Ok(HiArgs::Version);
        }
        let want = if self.exec { "code" } else { "filename" };
        let input = match self.positional.as_slice() {
            [] => return Err(format!("must give {want}")),
            [one] => one.clone(),
            _ => return Err(format!("only one {want} is allowed")),
        };
        let mut engine = EngineSettings::default();
        if let Some(s) = &self.max_stack {
            engine.max_stack = match s.parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => return Err(format!("invalid --max-stack value: {s}")),
            };
        }
        if let Some(s) = &self.max_trace {
            engine.max_trace = s
                .parse::<usize>()
                .map_err(|_| format!("invalid --max-trace value: {s}"))?;
        }
        // Priority order: last -J first, then JSONNET_PATH left to right.
        engine.search = self.jpaths.iter().rev().map(PathBuf::from).collect();
        if let Some(jp) = env("JSONNET_PATH") {
            engine
                .search
                .extend(jp.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
        }
        engine.ext_vars = self
            .ext
            .iter()
            .map(|(id, s)| var_value(*id, s, env))
            .collect::<Result<_, _>>()?;
        engine.tla = self
            .tla
            .iter()
            .map(|(id, s)| var_value(*id, s, env))
            .collect::<Result<_, _>>()?;
        // As in go-jsonnet, -m takes precedence over -y.
        let mode = if self.multi.is_some() {
            OutputMode::Multi
        } else if self.yaml_stream {
            OutputMode::Stream
        } else if self.string {
            OutputMode::String
        } else {
            OutputMode::Json
        };
        let input = if self.exec {
            Input::Code(input)
        } else if input == "-" {
            let mut code = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut code)
                .map_err(|e| format!("reading standard input: {e}"))?;
            Input::Stdin(code)
        } else {
            let path = PathBuf::from(&input);
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => return Err(format!("{input}: is a directory")),
                Ok(_) => {}
                Err(e) => return Err(format!("opening input file: {input}: {}", io_reason(&e))),
            }
            Input::File(path)
        };
        let multi_dir = self.multi.map(|mut d| {
            if !d.ends_with('/') {
                d.push('/');
            }
            d
        });
        Ok(HiArgs::Run(RunArgs {
            engine,
            input,
            mode,
            multi_strings: self.string && multi_dir.is_some(),
            output_file: self.output_file.map(PathBuf::from),
            multi_dir,
            create_dirs: self.create_dirs,
        }))
    }
}

/// The OS reason of an I/O error without Rust's "(os error N)" suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// Quotes `path` as a Jsonnet verbatim string `@'...'`.
fn verbatim(path: &str) -> String {
    format!("@'{}'", path.replace('\'', "''"))
}

/// Turns `name[=value]` / `name=file` into an ext var or TLA.
fn var_value(
    id: FlagId,
    spec: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, ExtValue), String> {
    let (name, value) = match spec.split_once('=') {
        Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
        None => (spec.to_owned(), None),
    };
    if name.is_empty() {
        return Err(format!("missing variable name in \"{spec}\""));
    }
    let is_file = matches!(
        id,
        FlagId::ExtStrFile | FlagId::ExtCodeFile | FlagId::TlaStrFile | FlagId::TlaCodeFile
    );
    if is_file {
        let Some(file) = value else {
            return Err(format!("argument not in form <var>=<file> \"{spec}\""));
        };
        if let Err(e) = std::fs::metadata(&file) {
            return Err(format!("opening {file}: {}", io_reason(&e)));
        }
        let code = match id {
            FlagId::ExtStrFile | FlagId::TlaStrFile => format!("importstr {}", verbatim(&file)),
            _ => format!("import {}", verbatim(&file)),
        };
        return Ok((name, ExtValue::Code(code)));
    }
    let value = match value {
        Some(v) => v,
        None => env(&name).ok_or_else(|| format!("environment variable {name} was undefined"))?,
    };
    Ok(match id {
        FlagId::ExtCode | FlagId::TlaCode => (name, ExtValue::Code(value)),
        _ => (name, ExtValue::Str(value)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn high(args: &[&str]) -> Result<HiArgs, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_low(&args)?.into_high(&|name| (name == "FROM_ENV").then(|| "env!".to_owned()))
    }

    fn run(args: &[&str]) -> RunArgs {
        match high(args).unwrap() {
            HiArgs::Run(r) => r,
            other => panic!("not a run: {other:?}"),
        }
    }

    #[test]
    fn later_jpath_wins() {
        let r = run(&["-J", "a", "--jpath", "b", "-Jc", "-e", "1"]);
        assert_eq!(
            r.engine.search,
            vec![PathBuf::from("c"), "b".into(), "a".into()]
        );
    }

    #[test]
    fn ext_vars_from_env_and_inline() {
        let r = run(&[
            "-V",
            "FROM_ENV",
            "--ext-str=x=1=2",
            "--ext-code",
            "c={}",
            "-e",
            "1",
        ]);
        assert_eq!(
            r.engine.ext_vars,
            vec![
                ("FROM_ENV".into(), ExtValue::Str("env!".into())),
                ("x".into(), ExtValue::Str("1=2".into())),
                ("c".into(), ExtValue::Code("{}".into())),
            ]
        );
        assert!(high(&["-V", "MISSING", "-e", "1"])
            .unwrap_err()
            .contains("MISSING"));
    }

    #[test]
    fn combined_short_flags_and_double_dash() {
        let r = run(&["-Se", "'x'"]);
        assert_eq!(r.mode, OutputMode::String);
        let r = run(&["-e", "--", "-1"]);
        assert!(matches!(r.input, Input::Code(ref c) if c == "-1"));
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(high(&["--nope"]).unwrap_err().contains("--nope"));
        assert!(high(&["-e"]).unwrap_err().contains("must give code"));
        assert!(high(&["-s", "0", "-e", "1"])
            .unwrap_err()
            .contains("max-stack"));
        assert!(high(&["-e", "1", "2"]).unwrap_err().contains("only one"));
    }
}
