//! Command-line entry: dispatches subcommands (`docs`), otherwise runs the
//! jsonnet-compatible evaluator mode ([`flags`] → [`crate::engine`] → [`output`]).
//!
//! All work runs on one thread with a large stack, and the process exits from there
//! without tearing down the evaluator's object graph (teardown is pure cost at exit).

mod docs;
mod flags;
mod libsonnet;
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
    let worker = std::thread::Builder::new()
        .name("gwsonnet".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            overflow::install_handler();
            let code = run(&args);
            let _ = std::io::stdout().flush();
            // Skip dropping the evaluator state: exiting frees it all at once.
            std::process::exit(code)
        });
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

/// Runs one command line; returns the exit code.
pub fn run(args: &[String]) -> i32 {
    if let Some(first) = args.first() {
        if SUBCOMMANDS.contains(&first.as_str()) {
            return match first.as_str() {
                "docs" => docs::run(&args[1..]),
                "libsonnet" => libsonnet::run(&args[1..]),
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
    let result = engine
        .evaluate(&run.input)
        .and_then(|val| output::write(&engine, &run, &val));
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprint!("{}", e.0);
            1
        }
    }
}
