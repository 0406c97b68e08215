#!/usr/bin/env bash
# The bench command (not part of the test command). Builds what it needs (release
# console and floor app, release emulator and load client), then measures each figure beside
# its reference in the same run and prints one table; the table, the raw figures and the
# machine's description go to bench/results/<UTC time>.md.
#
#   BENCH_RUNS       cold loads / switches per app (default 20)
#   BENCH_REPEATS    repetitions of each load run; the median is kept (default 3)
#   BENCH_TRAIL_ROUNDS  rounds of the audit trail's comparison (default 9)
#   BENCH_ACCOUNTS / BENCH_ROLES   the generated world's size (default 1,000 x 100)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

RUNS="${BENCH_RUNS:-20}"
REPEATS="${BENCH_REPEATS:-3}"
TRAIL_ROUNDS="${BENCH_TRAIL_ROUNDS:-9}"
ACCOUNTS="${BENCH_ACCOUNTS:-1000}"
ROLES="${BENCH_ROLES:-100}"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"

step "install Rust components and the wasm32 target" ensure_rust
step "install trunk $TRUNK_VERSION" ensure_trunk
step "install wasm-bindgen-cli (version from Cargo.lock)" ensure_wasm_bindgen
step "install wasm-split-cli $WASM_SPLIT_VERSION" ensure_wasm_split
step "install chromium" ensure_chromium
step "install node packages (playwright-core)" ensure_node_packages
step "install the Python venv (moto)" ensure_python_venv

step "build the console (scripts/build-release.sh, as the test command and hosts build it)" \
  "$ROOT/scripts/build-release.sh"
step "build the floor app (bench/floor, same release profile)" \
  bash -c "cd bench/floor && trunk build --release"
step "build the emulator and the load client (release)" \
  cargo build --release --locked -p crossrole-emulator

# --- the browser: size, cold start, mock switch -----------------------------------------
step "browser: transfer size, $RUNS interleaved cold starts, $RUNS mock switches" \
  bash -c "env CHROMIUM='$CHROMIUM_BIN' node bench/browser.mjs dist target/bench/floor-dist $RUNS > '$OUT/browser.json'"

# --- policy evaluation ---------------------------------------------------------------------
step "policy evaluation (crates/core/benches/policy.rs)" \
  bash -c "cargo bench --locked -q -p crossrole-core --bench policy 2>/dev/null | tail -n 1 > '$OUT/policy.json'"

# --- the emulator against moto, same signed calls ------------------------------------------
EMULATOR="$ROOT/target/release/crossrole-emulator"
LOAD="$ROOT/target/release/crossrole-load"
# Each step runs in a subshell (lib.sh's step): its servers are stopped when it exits.
PIDS=()
stop_servers() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }

# serve LOG COMMAND...: starts a server in the background, its stderr to LOG.
serve() {
  local log=$1; shift
  "$@" 2>"$log" >/dev/null &
  PIDS+=($!)
}
# Waits for the {"kind":"listening","url":…} line in LOG and prints it.
listening() {
  local log=$1
  for _ in $(seq 1 6000); do
    if grep -q '"listening"' "$log"; then grep -m1 '"listening"' "$log"; return 0; fi
    sleep 0.01
  done
  echo "no listening line in $log" >&2
  return 1
}
json_get() { "$VENV/bin/python" -c 'import json,sys; v=json.loads(sys.argv[1]); print(eval("v"+sys.argv[2]))' "$1" "$2"; }

# Runs crossrole-load REPEATS times; keeps every summary line (the report takes medians).
load_runs() {
  local label=$1; shift
  for _ in $(seq 1 "$REPEATS"); do
    "$LOAD" "$@" | sed "s/^/{\"run\":\"$label\",\"summary\":/; s/\$/}/" >> "$OUT/load.jsonl" \
      || { echo "load run $label failed" >&2; return 1; }
  done
}

emulator_vs_moto() {
  trap stop_servers EXIT
  : > "$OUT/load.jsonl"
  local emu moto eurl murl mkey msecret
  serve "$OUT/emulator.log" "$EMULATOR" --listen 127.0.0.1:0
  emu=$(listening "$OUT/emulator.log")
  eurl=$(json_get "$emu" '["url"]')
  serve "$OUT/moto.log" "$VENV/bin/python" tests/aws/moto_server.py
  moto=$(listening "$OUT/moto.log")
  murl=$(json_get "$moto" '["url"]')
  mkey=$(json_get "$moto" '["users"]["David"]["accessKeyId"]')
  msecret=$(json_get "$moto" '["users"]["David"]["secretAccessKey"]')
  # The emulator: ProdAdmin switching to ops/ProdOperator (no MFA, so every run may sign in);
  # moto: its David switching to its AccessToProdDynamoDB. Both scan GameScores in the role.
  local e=(--url "$eurl" --key AKIAEXAMPLEPRODADMIN --secret Pr0dAdm1nSecretKeyExample/ForDemoOnly000
    --mfa-seed none --role-arn arn:aws:iam::222222222222:role/ops/ProdOperator)
  local m=(--url "$murl" --key "$mkey" --secret "$msecret" --mfa-seed none
    --role-arn arn:aws:iam::123456789012:role/AccessToProdDynamoDB)
  for op in identity assume scan; do
    load_runs "emulator $op 1" "${e[@]}" --op "$op" --connections 1 --calls 2000 || return 1
    load_runs "emulator $op 32" "${e[@]}" --op "$op" --connections 32 --calls 20000 || return 1
    load_runs "moto $op 1" "${m[@]}" --op "$op" --connections 1 --calls 200 || return 1
    load_runs "moto $op 32" "${m[@]}" --op "$op" --connections 32 --calls 1000 || return 1
  done
}
step "emulator vs moto_server (auth on): GetCallerIdentity, AssumeRole, Scan at 1 and 32 connections" emulator_vs_moto

# --- the audit trail's cost ------------------------------------------------------------------
trail_cost() {
  trap stop_servers EXIT
  local on mem off key=(--key AKIAEXAMPLEPRODADMIN --secret Pr0dAdm1nSecretKeyExample/ForDemoOnly000
    --mfa-seed none --role-arn arn:aws:iam::222222222222:role/ops/ProdOperator)
  serve "$OUT/trail-on.log" "$EMULATOR" --listen 127.0.0.1:0 --audit-log "$OUT/audit.jsonl"
  on=$(json_get "$(listening "$OUT/trail-on.log")" '["url"]')
  serve "$OUT/trail-mem.log" "$EMULATOR" --listen 127.0.0.1:0
  mem=$(json_get "$(listening "$OUT/trail-mem.log")" '["url"]')
  serve "$OUT/trail-off.log" "$EMULATOR" --listen 127.0.0.1:0 --no-audit-trail
  off=$(json_get "$(listening "$OUT/trail-off.log")" '["url"]')
  # In rounds, the three back to back and in turn first, so that each round's three see the
  # same machine (a shared one drifts by more than the difference measured); the report takes
  # each round's ratio and keeps the median.
  local runs=("on" "mem" "off") round which
  for round in $(seq 1 "$TRAIL_ROUNDS"); do
    for i in 0 1 2; do
      which=${runs[$(((round + i) % 3))]}
      case $which in
        on) REPEATS=1 load_runs "trail on assume 32" --url "$on" "${key[@]}" --op assume --connections 32 --calls 20000 || return 1 ;;
        mem) REPEATS=1 load_runs "trail memory assume 32" --url "$mem" "${key[@]}" --op assume --connections 32 --calls 20000 || return 1 ;;
        off) REPEATS=1 load_runs "trail off assume 32" --url "$off" "${key[@]}" --op assume --connections 32 --calls 20000 || return 1 ;;
      esac
    done
  done
  rm -f "$OUT/audit.jsonl" "$OUT/audit.jsonl.1"
}
step "the audit trail's cost: AssumeRole at 32 connections with the trail (in memory; with --audit-log) and without" trail_cost

# --- a generated world of ACCOUNTS x ROLES ------------------------------------------------
big_world() {
  trap stop_servers EXIT
  local caller start line pid
  caller=$(python3 bench/genworld.py "$OUT/world.json" "$ACCOUNTS" "$ROLES")
  : > "$OUT/world.jsonl"
  for which in demo generated; do
    local args=() load=()
    if [ "$which" = generated ]; then
      args=(--world "$OUT/world.json")
      load=(--key "$(json_get "$caller" '["key"]')" --secret "$(json_get "$caller" '["secret"]')"
        --mfa-seed none --role-arn "$(json_get "$caller" '["roleArn"]')")
    else
      load=(--key AKIAEXAMPLEPRODADMIN --secret Pr0dAdm1nSecretKeyExample/ForDemoOnly000
        --mfa-seed none --role-arn arn:aws:iam::222222222222:role/ops/ProdOperator)
    fi
    start=$(date +%s.%N)
    serve "$OUT/$which.log" "$EMULATOR" --listen 127.0.0.1:0 "${args[@]}"
    pid=${PIDS[-1]}
    line=$(listening "$OUT/$which.log")
    local ready; ready=$(date +%s.%N)
    local rss; rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    local url; url=$(json_get "$line" '["url"]')
    for _ in $(seq 1 "$REPEATS"); do
      "$LOAD" --url "$url" "${load[@]}" --op assume --connections 32 --calls 20000 \
        | sed "s/^/{\"world\":\"$which\",\"accounts\":$ACCOUNTS,\"roles\":$ROLES,\"startSeconds\":$(python3 -c "print(round($ready - $start, 3))"),\"rssKb\":$rss,\"summary\":/; s/\$/}/" \
        >> "$OUT/world.jsonl" || return 1
    done
    kill "$pid"
  done
}
step "a generated world of $ACCOUNTS accounts x $ROLES roles against the demo world" big_world

step "report" python3 bench/report.py "$OUT" "$ROOT/bench/results"
