//! The output floor of `benches/run.sh`: how long writing a benchmark's JSON output takes
//! when the value is already built, with nothing of Jsonnet in the way.
//!
//! `bench_floor FILE [REPEAT]` reads the JSON that gwsonnet wrote for a workload, builds the
//! `serde_json::Value` (not timed), checks that writing it back in go-jsonnet's layout
//! (3-space indent, final newline) gives FILE's bytes exactly, then REPEAT times (default
//! 10) formats the value into one reused buffer and writes it to stdout, timing each round.
//! It prints the median round in seconds on stderr as `floor_seconds=<s>`; the harness
//! reports gwsonnet's time as a multiple of it. Exit status 1 when the bytes differ (the
//! floor would not be the same work) or the input is not JSON.

use std::io::Write;
use std::time::Instant;

/// Writes `value` into `out` (cleared first) as go-jsonnet does for these outputs:
/// 3-space indent, final newline.
fn render(value: &serde_json::Value, out: &mut Vec<u8>) -> Result<(), String> {
    out.clear();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"   ");
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, formatter);
    serde::Serialize::serialize(value, &mut ser).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(())
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: bench_floor FILE [REPEAT]")?;
    let repeat: usize = match args.next() {
        Some(n) => n
            .parse()
            .map_err(|_| format!("REPEAT: not a number: {n}"))?,
        None => 10,
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))?;
    // One buffer of the output's size, reused: the floor pays no reallocation and, after
    // the first round, no page faults.
    let mut out = Vec::with_capacity(bytes.len());
    render(&value, &mut out)?;
    if out != bytes {
        return Err(format!(
            "{path}: serde_json does not write these bytes back (empty {{ }} / [ ] or non-integer numbers?)"
        ));
    }
    let stdout = std::io::stdout();
    let mut times = Vec::with_capacity(repeat);
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        render(&value, &mut out)?;
        let mut lock = stdout.lock();
        lock.write_all(&out).map_err(|e| e.to_string())?;
        lock.flush().map_err(|e| e.to_string())?;
        drop(lock);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    eprintln!("floor_seconds={:.6}", times[times.len() / 2]);
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench_floor: {e}");
        std::process::exit(1);
    }
}
