#!/usr/bin/env bash
# One target's share of a fuzzing campaign: runs cargo-fuzz target TARGET (built with
# `cargo +nightly fuzz build -O`) until it has used CPU_SECONDS of CPU time, then stops it
# and appends one line to fuzz/campaign.log (target, CPU and wall seconds, executions,
# coverage, artifacts). libFuzzer runs in fork mode with timeouts, out-of-memory inputs
# and crashes recorded in artifacts/TARGET/ and the run going on, so one slow input does
# not end the campaign; every artifact is then replayed and triaged by hand
# (`cargo +nightly fuzz run -O TARGET artifacts/TARGET/FILE`).
#
# CPU time, not wall time, is what is counted, so a campaign can run beside other work:
# the fuzzer runs at the lowest priority (nice 19, and its own scheduling group at nice
# 19 where the kernel groups processes by session), and SIGSTOP/SIGCONT to its process
# group pause it for a benchmark without spoiling the count (libFuzzer times an input by
# the clock, so an input running across the pause may be saved as a `slow-unit`).
#
#   fuzz/campaign.sh eval 3600 &        # from the repository root
#   TIMEOUT=20 fuzz/campaign.sh crd_load 3600   # per-input time-out (s); POLL: seconds between CPU checks
set -euo pipefail
target=${1:?usage: fuzz/campaign.sh TARGET CPU_SECONDS}
limit=${2:-3600}
cd "$(dirname "$0")"
echo 19 > /proc/self/autogroup 2>/dev/null || true
bin=target/x86_64-unknown-linux-gnu/release/$target
[[ -x $bin ]] || { echo "no $bin: run cargo +nightly fuzz build -O first" >&2; exit 1; }
mkdir -p "corpus/$target" "artifacts/$target" logs
log=logs/$target.log
start=$(date +%s)
# In a session of its own (its own process group), so that stopping it stops its jobs
# too: libFuzzer's fork mode runs each job through system(), which ignores SIGINT in the
# parent while a job runs, so the whole group is sent SIGTERM.
setsid nice -n 19 "$bin" -artifact_prefix="artifacts/$target/" -max_len=8192 \
  -timeout="${TIMEOUT:-20}" -rss_limit_mb=4096 -print_final_stats=1 \
  -fork=1 -ignore_timeouts=1 -ignore_ooms=1 -ignore_crashes=1 -max_total_time=1000000 \
  "corpus/$target" "seeds/$target" > "$log" 2>&1 &
pid=$!
trap 'kill -TERM -- "-$pid" 2>/dev/null || true' EXIT
cpu=0
# utime + stime of the fuzzer and of the jobs it has waited for (/proc/PID/stat fields
# 14 to 17), in clock ticks.
while kill -0 "$pid" 2>/dev/null; do
  sleep "${POLL:-20}"
  ticks=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null) || break
  cpu=$((ticks / $(getconf CLK_TCK)))
  if ((cpu >= limit)); then kill -TERM -- "-$pid"; break; fi
done
wait "$pid" || true
trap - EXIT
last=$(grep '^#' "$log" | tail -1)
echo "$(date -u +%FT%TZ) $target cpu=${cpu}s wall=$(($(date +%s) - start))s last: $last artifacts: $(ls "artifacts/$target" | wc -l)" >> campaign.log
