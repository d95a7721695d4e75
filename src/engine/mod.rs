//! The evaluation engine: one jrsonnet [`State`] configured like the go-jsonnet CLI
//! (import resolution, the source prepass, ext vars, TLAs, stack limit, natives, `std`
//! overrides), and the output modes of the CLI (JSON, `-S` string, `-y` stream, `-m`
//! multi).
//!
//! Contact points: [`crate::cli`] builds [`EngineSettings`] and calls [`Engine::evaluate`]
//! then [`Engine::write_single`] or [`Engine::render_multi`], which write through
//! [`crate::manifest`]; the libraries of [`EngineSettings::registry`] contribute
//! built-in files and natives through [`crate::native`]; [`std_about`] describes each
//! field of `std` (the language server shows it).

mod error;
mod lazy_array;
mod overrides;
mod prepass;
mod resolver;
mod stdlib;
mod tanka_natives;

use std::{collections::HashMap, io::Write, path::PathBuf, sync::Arc};

use jrsonnet_evaluator::{
    apply_tla, stack::set_stack_depth_limit, tla::TlaArg, trace::PathResolver, val::ThunkValue,
    with_state, IStr, State, Thunk, Val,
};
use jrsonnet_ir::{SourceFifo, SourceFile, SourcePath};

use crate::manifest::json::{write_json, write_json_tapped, ManifestError, Tap};
use crate::model::Registry;
pub use error::{EvalError, Frame, Location};

/// The one-line description of `std.<name>`, in the evaluator's parameter names
/// (`None` for a name `std` does not have or an internal helper).
pub fn std_about(name: &str) -> Option<&'static str> {
    overrides::about(name)
}

/// Frees what the engines dropped on this thread left behind: jrsonnet's objects,
/// thunks and closures refer to one another in cycles that reference counting alone
/// never frees, so a thread that evaluates one program after another (an export of
/// many environments) calls this between them or keeps every program's values.
/// Returns how many values were freed.
pub fn free_dropped_cycles() -> usize {
    jrsonnet_gcmodule::collect_thread_cycles()
}

/// A value given to an external variable or top-level argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtValue {
    /// A plain string.
    Str(String),
    /// Jsonnet code, evaluated lazily (also how `*-file` flags arrive: `import @'f'`).
    Code(String),
}

impl ExtValue {
    /// The value as jrsonnet takes it; code is named `label` in errors (go's
    /// `<extvar:NAME>`, `<top-level-arg:NAME>`).
    fn to_tla_arg(&self, label: String) -> TlaArg {
        match self {
            Self::Str(s) => TlaArg::String(s.as_str().into()),
            Self::Code(code) => TlaArg::Lazy(Thunk::new(InlineCode {
                label,
                code: code.clone(),
            })),
        }
    }
}

/// Code given on the command line, evaluated each time it is read, as jrsonnet's own
/// inline code is, but under go's name for it.
#[derive(jrsonnet_gcmodule::Trace)]
struct InlineCode {
    #[trace(skip)]
    label: String,
    #[trace(skip)]
    code: String,
}

impl ThunkValue for InlineCode {
    type Output = Val;
    fn get(&self) -> jrsonnet_evaluator::Result<Val> {
        let source = SourceFifo(self.label.clone(), self.code.as_bytes().into());
        with_state(|s| s.import_resolved(SourcePath::new(source)))
    }
}

/// Everything the engine needs to know before evaluating.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// Library search directories, highest priority first.
    pub search: Vec<PathBuf>,
    /// External variables (`std.extVar`).
    pub ext_vars: Vec<(String, ExtValue)>,
    /// Top-level arguments, applied when the result is a function.
    pub tla: Vec<(String, ExtValue)>,
    /// Maximum number of stack frames.
    pub max_stack: usize,
    /// Maximum number of frames shown in an error trace (0: all).
    pub max_trace: usize,
    /// The libraries served as built-in files and native kinds.
    pub registry: Arc<Registry>,
    /// Serve Tanka's `import "tk"` (`{env: std.extVar("tanka.dev/environment")}`),
    /// ahead of every file, as Tanka's importer does.
    pub tanka_tk: bool,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            search: Vec::new(),
            ext_vars: Vec::new(),
            tla: Vec::new(),
            max_stack: 500,
            max_trace: 20,
            registry: Arc::new(Registry::builtin(&crate::openapi::builtin::KUBERNETES)),
            tanka_tk: false,
        }
    }
}

/// The program to evaluate.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file on disk (already checked to exist).
    File(PathBuf),
    /// Source read from standard input.
    Stdin(String),
    /// Source given on the command line with `-e`.
    Code(String),
}

/// How the result is turned into output bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    /// Multi-line JSON.
    Json,
    /// `-S`: the result must be a string, printed as is.
    String,
    /// `-y`: the result must be an array; each element is a `---` document.
    Stream,
    /// `-m`: the result must be an object; each field is a file.
    Multi,
}

/// A configured evaluator. Not `Send`: create one per thread.
pub struct Engine {
    state: State,
    tla: HashMap<IStr, TlaArg>,
    max_trace: usize,
    paths: PathResolver,
    prepass: prepass::Prepass,
    found_at: resolver::FoundAt,
    /// Source of the program being evaluated, for errors that carry no frame.
    main: std::cell::RefCell<Option<SourcePath>>,
}

/// Everything `std.native` serves: the natives of the libraries of `registry` and
/// Tanka's.
fn natives(
    registry: Arc<Registry>,
) -> std::collections::HashMap<IStr, jrsonnet_evaluator::function::FuncVal> {
    let mut natives = crate::native::natives(registry, resolver::builtin_source);
    for (name, f) in tanka_natives::natives() {
        natives.insert(IStr::from(name), f);
    }
    natives
}

impl Engine {
    /// Builds the state: resolver, `std`, natives, stack limit.
    pub fn new(settings: &EngineSettings) -> Self {
        set_stack_depth_limit(settings.max_stack);
        let paths = PathResolver::new_cwd_fallback();
        let ext_vars = settings
            .ext_vars
            .iter()
            .map(|(k, v)| {
                (
                    IStr::from(k.as_str()),
                    v.to_tla_arg(format!("<extvar:{k}>")),
                )
            })
            .collect();
        let tla = settings
            .tla
            .iter()
            .map(|(k, v)| {
                let label = format!("<top-level-arg:{k}>");
                (IStr::from(k.as_str()), v.to_tla_arg(label))
            })
            .collect();
        let prepass = prepass::Prepass::new();
        let found_at = resolver::FoundAt::default();
        let context = stdlib::StdContext::new(
            paths.clone(),
            ext_vars,
            natives(settings.registry.clone()),
            prepass.clone(),
            found_at.clone(),
        );
        let mut builder = State::builder();
        builder
            .import_resolver(
                resolver::Resolver::new(
                    settings.search.clone(),
                    crate::native::BuiltinFiles::new(settings.registry.clone()),
                    prepass.clone(),
                    found_at.clone(),
                )
                .with_tanka_tk(settings.tanka_tk),
            )
            .context_initializer(context);
        Self {
            state: builder.build(),
            tla,
            max_trace: settings.max_trace,
            paths,
            prepass,
            found_at,
            main: std::cell::RefCell::new(None),
        }
    }

    /// Evaluates `input` and applies top-level arguments.
    pub fn evaluate(&self, input: &Input) -> Result<Val, EvalError> {
        let _entered = self.state.enter();
        let path = match input {
            Input::File(p) => {
                let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                let path = SourcePath::new(SourceFile::new(abs));
                self.found_at
                    .record(&path, || Some(resolver::FoundAt::main_name(p)));
                path
            }
            Input::Stdin(code) => {
                SourcePath::new(SourceFifo("<stdin>".into(), code.as_bytes().into()))
            }
            Input::Code(code) => {
                SourcePath::new(SourceFifo("<cmdline>".into(), code.as_bytes().into()))
            }
        };
        *self.main.borrow_mut() = Some(path.clone());
        self.prepass.set_entry(path.clone());
        self.state
            .import_resolved(path)
            .and_then(|v| self.apply_tla(v))
            .map_err(|e| self.error_in(&e, false))
    }

    /// Calls a top-level function with the TLAs. jrsonnet compiles `function(p) p` to
    /// its identity builtin, whose parameter is not named `p`; with one TLA that
    /// program simply returns the TLA's value, as go-jsonnet does.
    fn apply_tla(&self, v: Val) -> jrsonnet_evaluator::Result<Val> {
        if let (Val::Func(f), [(_, arg)]) = (&v, self.tla.iter().collect::<Vec<_>>().as_slice()) {
            if f.is_identity() {
                return arg.evaluate_tailstrict();
            }
        }
        apply_tla(&self.tla, v)
    }

    /// Writes the result in a single-stream `mode` (JSON, `-S`, `-y`) to `out`, JSON and
    /// `-S` ending with a newline when `newline` (each `-y` document always ends with one).
    /// Type errors are found before the first byte is written. With `tap`, the JSON
    /// written is also handed there in parts as it is written
    /// ([`crate::manifest::json::write_json_tapped`]; a `-S` string has none).
    pub fn write_single(
        &self,
        val: &Val,
        mode: OutputMode,
        newline: bool,
        out: &mut dyn Write,
        mut tap: Option<&mut Tap<'_>>,
    ) -> Result<(), EvalError> {
        let _entered = self.state.enter();
        let io = EvalError::Output;
        let end: &[u8] = if newline { b"\n" } else { b"" };
        match mode {
            OutputMode::Json => {
                self.json(out, val, tap)?;
                out.write_all(end).map_err(io)
            }
            OutputMode::String => match val {
                Val::Str(s) => {
                    out.write_all(s.to_string().as_bytes()).map_err(io)?;
                    out.write_all(end).map_err(io)
                }
                other => Err(runtime_error(format!(
                    "expected string result, got: {}",
                    other.value_type()
                ))),
            },
            OutputMode::Stream => {
                let Val::Arr(items) = val else {
                    return Err(runtime_error(format!(
                        "stream mode: top-level object was a {}, should be an array whose elements hold the JSON for each document in the stream.",
                        val.value_type()
                    )));
                };
                for item in items.iter() {
                    let item = item.map_err(|e| self.error(&e))?;
                    out.write_all(b"---\n").map_err(io)?;
                    self.json(out, &item, tap.as_deref_mut())?;
                    out.write_all(b"\n").map_err(io)?;
                }
                if !items.is_empty() {
                    out.write_all(b"...\n").map_err(io)?;
                }
                Ok(())
            }
            OutputMode::Multi => Err(runtime_error(
                "multi mode output is written with render_multi".into(),
            )),
        }
    }

    /// `-m`: one file per visible field, sorted by name: its JSON, or with `strings`
    /// (`-S`) the field's string as is; then a newline when `newline` (go-jsonnet 0.22).
    /// With `tap`, each file's JSON is also handed there in parts as it is written
    /// ([`Engine::write_single`]).
    pub fn render_multi(
        &self,
        val: &Val,
        strings: bool,
        newline: bool,
        mut tap: Option<&mut Tap<'_>>,
    ) -> Result<Vec<(String, Vec<u8>)>, EvalError> {
        let _entered = self.state.enter();
        let Val::Obj(obj) = val else {
            return Err(runtime_error(format!(
                "multi mode: top-level object was a {}, should be an object whose keys are filenames and values hold the JSON for that file.",
                val.value_type()
            )));
        };
        obj.run_assertions().map_err(|e| self.error(&e))?;
        let mut files = Vec::new();
        for key in obj.fields() {
            let v = obj
                .get(key.clone())
                .map_err(|e| self.error(&e))?
                .expect("listed field exists");
            let mut content = if strings {
                match v {
                    Val::Str(s) => s.to_string().into_bytes(),
                    other => {
                        return Err(runtime_error(format!(
                            "multi mode: top-level object's key {key} has a value of type {}, should be a string",
                            other.value_type()
                        )))
                    }
                }
            } else {
                let mut out = Vec::new();
                self.json(&mut out, &v, tap.as_deref_mut())?;
                out
            };
            if newline {
                content.push(b'\n');
            }
            files.push((key.to_string(), content));
        }
        Ok(files)
    }

    /// Runs `read` with the state entered, as reading an evaluated value's fields needs
    /// (the docs loader walks the library object this way); its error is formatted
    /// like an evaluation error.
    pub fn inspect<T>(
        &self,
        read: impl FnOnce() -> jrsonnet_evaluator::Result<T>,
    ) -> Result<T, EvalError> {
        let _entered = self.state.enter();
        read().map_err(|e| self.error(&e))
    }

    /// `val` as a `serde_json::Value`, as the JSON output reads back
    /// ([`crate::manifest::json::to_serde`]).
    pub fn to_serde(&self, val: &Val) -> Result<serde_json::Value, EvalError> {
        let _entered = self.state.enter();
        crate::manifest::json::to_serde(val).map_err(|e| match e {
            ManifestError::Eval(e) => self.error(&e),
            ManifestError::Io(e) => EvalError::Output(e),
        })
    }

    fn json(
        &self,
        out: &mut dyn Write,
        val: &Val,
        tap: Option<&mut Tap<'_>>,
    ) -> Result<(), EvalError> {
        let written = match tap {
            Some(tap) => write_json_tapped(out, val, tap),
            None => write_json(out, val),
        };
        written.map_err(|e| match e {
            ManifestError::Eval(e) => self.error(&e),
            ManifestError::Io(e) => EvalError::Output(e),
        })
    }

    /// `e` as go-jsonnet reports it, raised while evaluating the program (`During
    /// evaluation`) unless `manifesting` (`During manifestation`).
    fn error_in(&self, e: &jrsonnet_evaluator::Error, manifesting: bool) -> EvalError {
        let main = self.main_source();
        let entry = self.main.borrow().clone();
        let names = error::Names {
            paths: &self.paths,
            prepass: &self.prepass,
            main: main.as_ref(),
            entry: entry.as_ref(),
        };
        // A library's docs fields (`'#withName'`) are no fix for a missing field.
        let mut e = e.clone();
        if let jrsonnet_evaluator::error::ErrorKind::NoSuchField(_, similar) = e.error_mut() {
            similar.retain(|name| !name.starts_with('#'));
        }
        let mut error = error::from_jrsonnet(&e, self.max_trace, &names);
        if let EvalError::Runtime { frames, .. } = &mut error {
            if manifesting {
                frames.push(Frame::step("During manifestation"));
                return error;
            }
            // Calling the top-level function with the TLAs is go's outermost frame.
            if frames
                .last()
                .is_some_and(|f| f.location.is_none() && f.description == error::TOP_LEVEL_CALL)
            {
                return error;
            }
            // The evaluation of the program's top level is go's outermost frame; an
            // assertion around it (go's desugared `assert`, no context) stands for it.
            if let Some(top) = main.as_ref().and_then(|m| error::top_level(m, &names)) {
                let outermost = frames.iter().rev().find(|f| f.location.is_some());
                let file = |f: &Frame| f.location.as_ref().map(|l| l.file.clone());
                let around_top = |f: &Frame| match (&f.location, &top.location) {
                    (Some(l), Some(t)) => {
                        f.description.is_empty() && l.begin <= t.begin && t.end <= l.end
                    }
                    _ => false,
                };
                let covered = |f: &Frame| {
                    file(f) == file(&top)
                        && (f.description == "$" || f.location == top.location || around_top(f))
                };
                if !outermost.is_some_and(covered) {
                    frames.push(top);
                }
            }
            frames.push(Frame::step("During evaluation"));
        }
        error
    }

    /// The program's text as the user wrote it.
    fn main_source(&self) -> Option<jrsonnet_ir::Source> {
        let path = self.main.borrow().clone()?;
        if let Some(original) = self.prepass.original_source(&path) {
            return Some(original);
        }
        let code = self.state.import_resolved_str(path.clone()).ok()?;
        Some(jrsonnet_ir::Source::new(path, code))
    }

    /// An error raised while writing the result.
    fn error(&self, e: &jrsonnet_evaluator::Error) -> EvalError {
        self.error_in(e, true)
    }
}

fn runtime_error(msg: String) -> EvalError {
    EvalError::runtime(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts a tapped output hands on, as `to_serde` reads them: each object with
    /// `apiVersion` and `kind`, found through arrays and other objects.
    fn expected_parts(v: serde_json::Value, out: &mut Vec<serde_json::Value>) {
        use serde_json::Value;
        match v {
            Value::Object(o)
                if crate::manifest::k8s_object::has_identity_fields(|f| o.contains_key(f)) =>
            {
                out.push(Value::Object(o))
            }
            Value::Object(o) => o.into_iter().for_each(|(_, v)| expected_parts(v, out)),
            Value::Array(a) => a.into_iter().for_each(|v| expected_parts(v, out)),
            _ => {}
        }
    }

    /// With a tap, JSON and `-y` output write the same bytes as without, and hand on the
    /// parts of the result (of each document for `-y`) as JSON text that reads back as
    /// `to_serde` reads them; errors are the same.
    #[test]
    fn tapped_output_writes_the_same_bytes_and_hands_on_the_parts() {
        let engine = Engine::new(&EngineSettings::default());
        let cases = [
            "[1, { b: 'x', a: [null, true, -0.5] }, [], 'é', { apiVersion: 'v1', kind: 'K' }]",
            "{ b: { apiVersion: 'v1', kind: 'K', n: 1.5 }, a: [{}], h:: 1, c: 'z' }",
            "{ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'K' }] }",
            "{ apiVersion: 1, kind: 'K', x: {} }",
            "{ kind: 'K', x: { apiVersion: 'v1', kind: 'K' } }",
            "[[1, 2], { a: {} }, []]",
            "{ a: [{ b: { apiVersion: 'v1', kind: 'K', c: { apiVersion: 'v1', kind: 'K' } } }, 3], \
               k: { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'K' }] } }",
            "[std.range(1, 20000)]",
            "local deep(n) = if n == 0 then { apiVersion: 'v1', kind: 'K' } else { d: deep(n - 1) };
             [deep(200), { apiVersion: 'v1', kind: 'K', d: deep(200) }]",
            "3",
            "'s'",
            "{}",
            "[]",
        ];
        for code in cases {
            let val = engine.evaluate(&Input::Code(code.into())).unwrap();
            let whole = engine.to_serde(&val).unwrap();
            for mode in [OutputMode::Json, OutputMode::Stream] {
                let mut plain = Vec::new();
                let plain_written = engine.write_single(&val, mode, true, &mut plain, None);
                let (mut tapped, mut parts) = (Vec::new(), Vec::new());
                let tapped_written = engine.write_single(
                    &val,
                    mode,
                    true,
                    &mut tapped,
                    Some(&mut |p| parts.push(crate::manifest::json::read_back(&p).unwrap())),
                );
                match (plain_written, tapped_written) {
                    (Ok(()), Ok(())) => {}
                    (Err(a), Err(b)) => {
                        assert_eq!(a.to_string(), b.to_string(), "{code}");
                        continue;
                    }
                    (a, b) => panic!("{code}: {a:?} / {b:?}"),
                }
                assert_eq!(plain, tapped, "{code}");
                let mut expected = Vec::new();
                expected_parts(whole.clone(), &mut expected);
                assert_eq!(parts, expected, "{code} {mode:?}");
            }
        }
        // An error on the way is the untapped output's error.
        let val = engine
            .evaluate(&Input::Code("[{ a: 1 }, { b: error 'no' }]".into()))
            .unwrap();
        let plain = engine.write_single(&val, OutputMode::Json, true, &mut Vec::new(), None);
        let tapped = engine.write_single(
            &val,
            OutputMode::Json,
            true,
            &mut Vec::new(),
            Some(&mut |_| {}),
        );
        assert_eq!(
            plain.unwrap_err().to_string(),
            tapped.unwrap_err().to_string()
        );
    }

    /// `to_serde` gives what writing the JSON output and reading it back gives, for
    /// the numbers at the edges of the integer types too, and fails as the writer does.
    #[test]
    fn to_serde_reads_as_the_json_output_reads_back() {
        let engine = Engine::new(&EngineSettings::default());
        let code = r#"{
            ints: [0, -0, 1, -3, 65535, 4294967296, 9007199254740993, 9223372036854775807,
                   -9223372036854775808, 18446744073709551615, 18446744073709551616, 1e20, -1e19, 1e300],
            fractions: [0.1, -1.5, 1e-7, 2.5e-300, 1.7976931348623157e308],
            strings: ['', 'a"b\\c', '\u0001\n\t', 'é ∞'],
            nested: { b: [{}, []], a: null, t: true, f: false, h:: 'hidden' },
        }"#;
        let val = engine.evaluate(&Input::Code(code.into())).unwrap();
        let mut out = Vec::new();
        engine
            .write_single(&val, OutputMode::Json, false, &mut out, None)
            .unwrap();
        let read: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(engine.to_serde(&val).unwrap(), read);
        for bad in ["{ f: function() 1 }", "{ assert false : 'no', a: 1 }"] {
            let val = engine.evaluate(&Input::Code(bad.into())).unwrap();
            let mut out = Vec::new();
            let written = engine.write_single(&val, OutputMode::Json, false, &mut out, None);
            let (got, want) = (engine.to_serde(&val).unwrap_err(), written.unwrap_err());
            assert_eq!(got.to_string(), want.to_string(), "{bad}");
        }
    }
}
