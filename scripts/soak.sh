#!/usr/bin/env bash
# The long checks the test command keeps short:
#  1. each stable-toolchain fuzz target of crates/core/tests/fuzz.rs for FUZZ_MINUTES (default
#     10) minutes, in release, in runs of FUZZ_CASES (default 20,000) fresh random inputs;
#  2. the kill -9 during --state saves loop, with more rounds (SOAK_ROUNDS, default 100);
#  3. load: crossrole-load sends 20,000 mixed, signed calls at 64 connections to a release
#     emulator with --state (zero failures, zero 5xx), then 2 x 50,000 AssumeRole calls with
#     --max-sessions 10000 (memory stays flat: the second half may not grow it by more than
#     10 %);
#  4. mutation testing over what the last change touched in crates/core and crates/emulator
#     (scripts/mutants.sh with cargo mutants --in-diff).
# Prints a summary; exits non-zero on the first crash or failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

CASES="${FUZZ_CASES:-20000}"
MINUTES="${FUZZ_MINUTES:-10}"
TARGETS=(the_endpoint_never_panics the_federation_endpoint_never_panics sigv4_never_panics query_and_xml_readers_never_panic
  documents_and_links_never_panic mutated_world_files_never_panic)
ROUNDS="${SOAK_ROUNDS:-100}"
started=$(date +%s)
step "install Rust components" ensure_rust
step "install the Python venv (boto3, AWS CLI, moto, pytest)" ensure_python_venv
SUMMARY=$(mktemp)
fuzz() {
  local target=$1 until runs=0
  until=$(($(date +%s) + MINUTES * 60))
  while [ "$(date +%s)" -lt "$until" ]; do
    # Each run draws new random inputs (no fixed seed); a failure prints the minimal input.
    FUZZ_CASES="$CASES" cargo test -q --release --locked -p crossrole-core --test fuzz -- \
      --exact "$target" >/dev/null || { echo "crash in $target" >&2; return 1; }
    runs=$((runs + 1))
  done
  echo "fuzz $target: $((runs * CASES)) inputs, 0 crashes" | tee -a "$SUMMARY"
}
step "build the fuzz targets (release)" cargo test --release --locked -p crossrole-core --test fuzz --no-run
for t in "${TARGETS[@]}"; do
  step "fuzz $t for $MINUTES min" fuzz "$t"
done

# Coverage-guided too, where the machine has a nightly toolchain (cargo-fuzz needs one).
libfuzzer() {
  local target=$1 log
  log=$(mktemp)
  (cd "$ROOT" && cargo +nightly fuzz run "$target" -- -max_total_time=$((MINUTES * 60)) \
    -print_final_stats=1) >"$log" 2>&1 || { tail -40 "$log" >&2; echo "crash in $target: see fuzz/artifacts/" >&2; return 1; }
  echo "libFuzzer $target: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') inputs, 0 crashes" | tee -a "$SUMMARY"
}
if rustup toolchain list | grep -q '^nightly'; then
  step "install cargo-fuzz" bash -c 'command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked'
  for t in serve parsers; do
    step "libFuzzer $t for $MINUTES min" libfuzzer "$t"
  done
else
  echo "no nightly toolchain: coverage-guided fuzzing skipped (the proptest targets ran)" | tee -a "$SUMMARY"
fi
step "build the emulator and the load client (debug and release)" \
  bash -c 'cargo build --locked -p crossrole-emulator && cargo build --release --locked -p crossrole-emulator'
step "kill -9 during saves ($ROUNDS rounds)" \
  env EMULATOR_BIN="$ROOT/target/debug/crossrole-emulator" SOAK_ROUNDS="$ROUNDS" \
  "$VENV/bin/pytest" -q -p no:cacheprovider "$ROOT/tests/aws/test_hardening.py" -k kill_9

load() {
  local dir log pid url rss1 rss2
  dir=$(mktemp -d)
  log="$dir/emulator.log"
  "$ROOT/target/release/crossrole-emulator" --listen 127.0.0.1:0 --state "$dir/state.json" \
    --max-sessions 10000 2>"$log" &
  pid=$!
  trap 'kill $pid 2>/dev/null; rm -rf "$dir"' RETURN
  for _ in $(seq 50); do grep -q '"listening"' "$log" && break; sleep 0.1; done
  url=$(grep -m1 '"listening"' "$log" | sed 's/.*"url":"\([^"]*\)".*/\1/')
  echo "mixed: $("$ROOT/target/release/crossrole-load" --url "$url" --calls 20000 --connections 64)" | tee -a "$SUMMARY"
  "$ROOT/target/release/crossrole-load" --url "$url" --calls 50000 --connections 64 --op assume >/dev/null
  rss1=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  "$ROOT/target/release/crossrole-load" --url "$url" --calls 50000 --connections 64 --op assume >/dev/null
  rss2=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "sessions: 100,000 issued, --max-sessions 10000: RSS ${rss1} kB after 50,000, ${rss2} kB after 100,000; peak $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") kB" | tee -a "$SUMMARY"
  if grep -q '"status":5' "$log"; then echo "5xx in the emulator log" >&2; return 1; fi
  [ "$rss2" -le $((rss1 + rss1 / 10)) ] || { echo "memory grew: $rss1 -> $rss2 kB" >&2; return 1; }
  kill -0 "$pid" || { echo "the emulator died" >&2; return 1; }
}
step "load: 20,000 mixed calls at 64 connections, then 100,000 sessions" load
# Mutation testing over what the last change touched in crates/core and in the emulator
# (SOAK_MUTANTS_BASE, default the commit before HEAD): a broken rule the change's tests do not
# catch shows here.
mutants_of_change() {
  local package
  for package in crossrole-core crossrole-emulator; do
    MUTANTS_PACKAGE=$package MUTANTS_DIFF="${SOAK_MUTANTS_BASE:-HEAD~1}" "$ROOT/scripts/mutants.sh" &&
      echo "mutants of the change ($package): $(ls -t "$ROOT"/bench/mutants/*.md | head -1)" |
      tee -a "$SUMMARY" || return 1
  done
}
step "mutation testing of the last change (cargo mutants --in-diff)" mutants_of_change
say "soak passed in $(($(date +%s) - started)) s; $ROUNDS kill -9 rounds, nothing lost"
cat "$SUMMARY"
