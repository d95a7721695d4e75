//! Command-line entry: dispatches subcommands (`docs`), otherwise runs the
//! jsonnet-compatible evaluator mode ([`flags`] → [`crate::engine`] → [`output`]).
//!
//! All work runs on one thread with a large stack, and the process exits from there
//! without tearing down the evaluator's object graph (teardown is pure cost at exit).

mod flags;
mod generate;
mod output;
mod overflow;

use std::io::Write;

use crate::engine::Engine;
use flags::HiArgs;

/// Stack size of the worker thread; evaluation also grows its stack on demand.
const WORKER_STACK: usize = 2 << 30;

/// Subcommands; any other first argument is evaluator-mode input.
const SUBCOMMANDS: &[&str] = &["docs", "libsonnet"];

/// Runs the command line of this process and returns its exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (done, exit_code) = std::sync::mpsc::channel::<i32>();
    let worker = std::thread::Builder::new()
        .name("gwsonnet".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            overflow::install_handler();
            let code = run(&args);
            let _ = std::io::stdout().flush();
            // The main thread exits the process while this thread stays parked, so
            // this thread's thread-locals are never destroyed: the GC object space's
            // destructor would run a cycle collection over everything still alive.
            let _ = done.send(code);
            loop {
                std::thread::park();
            }
        });
    if let Ok(code) = exit_code.recv() {
        let _ = std::io::stdout().flush();
        std::process::exit(code);
    }
    match worker {
        Ok(handle) => match handle.join() {
            Ok(()) => 0,
            Err(_) => {
                eprintln!("ERROR: internal error (worker thread failed)");
                1
            }
        },
        Err(e) => {
            eprintln!("ERROR: cannot start worker thread: {e}");
            1
        }
    }
}

/// Runs one command line; returns the exit code. Meant for the process's own command
/// line: the evaluator state and result are deliberately leaked (the process exits
/// right after, and freeing them would cost a third of a large run).
pub fn run(args: &[String]) -> i32 {
    if let Some(first) = args.first() {
        if SUBCOMMANDS.contains(&first.as_str()) {
            return match first.as_str() {
                "docs" => generate::docs(&args[1..]),
                "libsonnet" => generate::libsonnet(&args[1..]),
                _ => unreachable!("every listed subcommand is dispatched"),
            };
        }
    }
    let high =
        flags::parse_low(args).and_then(|low| low.into_high(&|name| std::env::var(name).ok()));
    let run = match high {
        Ok(HiArgs::Help) => {
            print!("{}", flags::usage());
            return 0;
        }
        Ok(HiArgs::Version) => {
            println!(
                "Jsonnet commandline interpreter (gwsonnet) v{}",
                env!("CARGO_PKG_VERSION")
            );
            return 0;
        }
        Ok(HiArgs::Run(run)) => run,
        Err(msg) => {
            eprintln!("ERROR: {msg}");
            return 1;
        }
    };
    let engine = Engine::new(&run.engine);
    let result = engine.evaluate(&run.input).and_then(|val| {
        let written = output::write(&engine, &run, &val);
        // Dropping the result graph costs a third of a large run: the process exits.
        std::mem::forget(val);
        written
    });
    std::mem::forget(engine);
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprint!("{}", e.0);
            1
        }
    }
}
