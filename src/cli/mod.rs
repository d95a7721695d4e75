//! Command-line entry: [`commands`] reads argv into one validated command (the flags of
//! every command are defined once in [`flags`]); the jsonnet mode then runs
//! [`crate::engine`] → [`output`], the subcommands [`generate`] or print completions and
//! the man page. Every failure is one [`Error`], rendered and mapped to the exit code in
//! [`run`]; a jsonnet-mode command line that fails gets [`hints`] toward the fix.
//!
//! All work runs on a large stack of the main thread, and the process exits from there
//! without tearing down the evaluator's object graph (teardown is pure cost at exit).

pub mod color;
mod commands;
mod flags;
mod generate;
mod hints;
mod output;
mod overflow;
mod tools;
mod validate;
mod version;

use std::{ffi::OsString, io::Write};

use crate::engine::Engine;
use crate::error::{Error, UsageError};
use commands::{Command, RunArgs};

/// Size of the stack the command runs on; evaluation also grows its stack on demand.
const WORKER_STACK: usize = 2 << 30;

/// Runs the command line of this process; exits the process itself, so it returns only
/// when the command panicked (with the exit code for that).
pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    std::panic::set_hook(Box::new(|info| eprintln!("{}", panic_message(info))));
    // On a stack of its own on this thread (no second thread to schedule and hand
    // back to: on a busy machine each hand-off waits for a CPU).
    let ran = std::panic::catch_unwind(move || {
        stacker::grow(WORKER_STACK, move || -> i32 {
            overflow::install_handler();
            let code = run(&args);
            let _ = std::io::stdout().flush();
            // _exit(2): no thread-local destructors (the GC object space's would run
            // a cycle collection over everything still alive) and no atexit handlers
            // (stdout is flushed above).
            // SAFETY: _exit only ends the process; nothing runs after it.
            unsafe { libc::_exit(code) }
        })
    });
    // On a panic the hook printed what happened.
    ran.unwrap_or(1)
}

/// Ends the process the way go-jsonnet and C++ jsonnet end when their reader closes
/// standard output (`gwsonnet … | head -1`): killed by SIGPIPE, silently, so the shell
/// sees 141 as for any other pipe writer. (Rust ignores SIGPIPE so that writes to
/// helper processes' pipes fail as errors; only standard output is treated this way.)
fn die_of_sigpipe() -> i32 {
    // SAFETY: resetting a signal's disposition and raising it are plain libc calls;
    // the process ends in `raise` (SIGPIPE cannot be blocked here: nothing blocks it).
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    141
}

/// The one line printed for a panic: a string over the interner's 4 GiB limit is the
/// program's doing and gets a runtime error; anything else is an internal error.
fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    if payload.contains("bytes > 4GB") {
        return "RUNTIME ERROR: string too long: the evaluator holds strings of at most 4 GiB"
            .to_owned();
    }
    let at = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    format!("ERROR: internal error (the command panicked{at}): {payload}")
}

/// Runs one command line; returns the exit code. This is the one place where an error
/// is rendered and mapped to the exit code. Meant for the process's own command line:
/// the evaluator state and result are deliberately leaked (the process exits right
/// after, and freeing them would cost a third of a large run).
pub fn run(args: &[OsString]) -> i32 {
    // A variable that is not UTF-8 (a path with other bytes) is an error, not ignored.
    let not_utf8 = std::cell::RefCell::new(None);
    let env = |name: &str| match std::env::var(name) {
        Ok(v) => Some(v),
        Err(std::env::VarError::NotPresent) => None,
        Err(std::env::VarError::NotUnicode(v)) => {
            let shown = (name.to_owned(), v.to_string_lossy().into_owned());
            not_utf8.borrow_mut().get_or_insert(shown);
            None
        }
    };
    let parsed = utf8(args)
        .and_then(|args| commands::parse(&args, &env))
        .and_then(|command| match not_utf8.take() {
            Some((name, value)) => Err(UsageError::NotUtf8Variable { name, value }.into()),
            None => Ok(command),
        });
    match parsed.and_then(execute) {
        Ok(()) => 0,
        Err(Error::Io {
            path: None, source, ..
        }) if source.kind() == std::io::ErrorKind::BrokenPipe => die_of_sigpipe(),
        Err(e) => {
            eprint!("{}", e.render());
            e.exit_code()
        }
    }
}

/// The arguments as text: flags, names and code are UTF-8 (as Jsonnet strings are).
fn utf8(args: &[OsString]) -> Result<Vec<String>, Error> {
    args.iter()
        .map(|a| {
            a.to_str()
                .map(str::to_owned)
                .ok_or_else(|| UsageError::NotUtf8Argument(a.to_string_lossy().into_owned()).into())
        })
        .collect()
}

/// Carries out a validated command.
fn execute(command: Command) -> Result<(), Error> {
    match command {
        Command::Help(text) => print_stdout(text.as_bytes()),
        Command::Version(format) => print_stdout(version::render(format).as_bytes()),
        Command::Jsonnet(run) => evaluate(&run),
        Command::Docs(out, registry) => generate::docs(&out, &registry),
        Command::Libsonnet(out, registry) => generate::libsonnet(&out, &registry),
        Command::Completions(shell) => print_stdout(&commands::completion_script(shell)),
        Command::Show(req, color) => print_rendered(&req, color, crate::tanka::show(&req)?),
        Command::Eval(req, color) => print_rendered(&req, color, crate::tanka::eval(&req)?),
        Command::Export(req, color) => {
            let strict = req.base.strict;
            let check =
                move |manifests: Vec<(String, serde_json::Value, &crate::model::Registry)>| {
                    validate::check_rendered(manifests, strict, color)
                };
            crate::tanka::export::export(&req, &check).map(|_| ())
        }
        Command::ExportMerge(req) => crate::tanka::merge::merge(&req).map(|_| ()),
        Command::Validate(args) => validate::run(&args),
        Command::Lsp(settings) => crate::lsp::run(settings),
        Command::ToolImports(req) => print_stdout(tools::imports(&req)?.as_bytes()),
        Command::ToolImporters(root, files) => {
            print_stdout(tools::importers(&root, &files)?.as_bytes())
        }
        Command::ToolCachePrune(req) => {
            let pruned = crate::tanka::prune::prune(&req)?;
            print_stdout(format!("{}\n", pruned.summary(&req.dir)).as_bytes())
        }
        Command::EnvList(req) => print_stdout(tools::env_list(&req)?.as_bytes()),
        Command::Man => {
            let text = commands::man_page().map_err(|source| Error::Io {
                action: "writing to",
                path: None,
                source,
            })?;
            print_stdout(&text)
        }
    }
}

/// The jsonnet mode: evaluate, then write the result (with `--validate`, checking its
/// objects while it is written).
fn evaluate(run: &RunArgs) -> Result<(), Error> {
    let engine = Engine::new(&run.engine);
    let result = engine
        .evaluate(&run.input)
        .map_err(Error::from)
        .and_then(|val| {
            let written = if run.validate {
                let source = match &run.input {
                    crate::engine::Input::File(p) => p.display().to_string(),
                    crate::engine::Input::Stdin(_) => "<stdin>".to_owned(),
                    crate::engine::Input::Code(_) => "<cmdline>".to_owned(),
                };
                let registry = &run.engine.registry;
                validate::while_writing(&source, registry, run.strict, run.color, |tap| {
                    output::write(&engine, &run.output, &val, Some(tap))
                })
            } else {
                output::write(&engine, &run.output, &val, None)
            };
            // Dropping the result graph costs a third of a large run: the process exits.
            std::mem::forget(val);
            written
        });
    std::mem::forget(engine);
    result
}

/// Prints what `show` or `eval` rendered, then, with `--validate`, checks its objects.
fn print_rendered(
    req: &crate::tanka::Request,
    color: color::ColorChoice,
    rendered: crate::tanka::Rendered,
) -> Result<(), Error> {
    print_stdout(rendered.text.as_bytes())?;
    if !req.validate {
        return Ok(());
    }
    let source = req.path.display().to_string();
    let registry = &rendered.registry;
    validate::after_render(rendered.value, &source, registry, req.strict, color)
}

/// Writes `bytes` to stdout (a closed pipe is an error, never a panic).
fn print_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|source| Error::Io {
            action: "writing to",
            path: None,
            source,
        })
}
