#!/usr/bin/env bash
# Runs every test: formatting, clippy (native and wasm32), native tests, browser tests in
# headless Chromium, a release build, and the end-to-end tests on that build. Installs whatever
# is missing first. Stops at the first failing step, names it, and exits non-zero.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# The in-browser mock and the emulator share crates/core, so it must stay free of the browser.
core_is_pure() {
  local tree found
  tree=$(cargo tree --locked -p crossrole-core -e normal --target all --prefix none)
  found=$(grep -E '^(leptos|leptos_[a-z_]+|web-sys|js-sys|wasm-bindgen|gloo[a-z-]*|getrandom) ' <<<"$tree" || true)
  [ -z "$found" ] || { echo "crates/core depends on: $found" >&2; return 1; }
}

# The servers the tests start: each test stops its own; this is the net under that. Tests
# record every server they spawn as "pid start-time" in this file, so the net stops exactly
# those processes, never one that merely looks alike or later got the same pid.
export CROSSROLE_TEST_PIDS
CROSSROLE_TEST_PIDS=$(mktemp "${TMPDIR:-/tmp}/crossrole-test-pids.XXXXXX")
# The pids of recorded servers that are still the same processes.
servers_alive() {
  local pid started now
  while read -r pid started; do
    [ -r "/proc/$pid/stat" ] || continue
    now=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $20}') || continue
    [ "$now" = "$started" ] && echo "$pid"
  done <"$CROSSROLE_TEST_PIDS"
}
no_servers_left() {
  local left
  left=$(servers_alive)
  [ -z "$left" ] || { echo "still running: $(for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)" >&2; return 1; }
}
stop_servers() {
  local pid
  for pid in $(servers_alive); do kill "$pid" 2>/dev/null || true; done
  rm -f "$CROSSROLE_TEST_PIDS"
}
# Chromium under wasm-bindgen-test leaves its profile (a ~90 MB scoped_dir) in TMPDIR after
# every run: the browser tests get a TMPDIR of their own, removed at exit, so runs on a reused
# machine never pile up.
BROWSER_TMP=$(mktemp -d "${TMPDIR:-/tmp}/crossrole-browser-tests.XXXXXX")
clean_up() {
  stop_servers
  rm -rf "$BROWSER_TMP"
}
trap clean_up EXIT

# One run from a clean clone gains nothing from incremental caches, which are gigabytes.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

step "install Rust components and the wasm32 target" ensure_rust
step "install trunk $TRUNK_VERSION" ensure_trunk
step "install wasm-bindgen-cli (version from Cargo.lock)" ensure_wasm_bindgen
step "install wasm-split-cli $WASM_SPLIT_VERSION" ensure_wasm_split
step "install chromium and chromium-driver" ensure_chromium
step "install node packages for the end-to-end tests" ensure_node_packages
step "install the Python venv (boto3, AWS CLI, moto, pytest)" ensure_python_venv

step "cargo fmt --check" cargo fmt --all --check
step "clippy (native)" cargo clippy --workspace --all-targets --locked -- -D warnings
# The emulator is a native server (tokio): it has no wasm32 build.
step "clippy (wasm32)" cargo clippy --workspace --exclude crossrole-emulator --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
# The release build's areas are split functions only with this feature.
step "clippy (wasm32, the split release build)" cargo clippy -p crossrole --locked --target wasm32-unknown-unknown --features split -- -D warnings
step "crates/core has no browser or framework dependency" core_is_pure
# Imports point down the layers each crate root lists, never round a loop; files stay small.
step "layer check (crates/layers)" cargo test --locked -p crossrole-layers
step "native tests" cargo test --workspace --locked
step "build the emulator" cargo build --locked -p crossrole-emulator
# Each test starts its own emulators on free ports and stops them, also when it fails.
step "emulator with real AWS clients (boto3, AWS CLI)" \
  env EMULATOR_BIN="$ROOT/target/debug/crossrole-emulator" \
  "$VENV/bin/pytest" -q -p no:cacheprovider "$ROOT/tests/aws"
step "browser tests (wasm-bindgen-test in headless Chromium)" \
  env CHROMEDRIVER="$CHROMEDRIVER_BIN" TMPDIR="$BROWSER_TMP" \
  cargo test --locked --target wasm32-unknown-unknown -p crossrole --test web
# What ./scripts/serve.sh serves (trunk, unsplit): it must keep building.
step "development build (trunk build, as ./scripts/serve.sh)" trunk build --dist "$ROOT/target/trunk-dist"
step "release build (scripts/build-release.sh: split by area)" "$ROOT/scripts/build-release.sh"
step "end-to-end tests (playwright-core in headless Chromium on dist/)" \
  env CHROMIUM="$CHROMIUM_BIN" node --test --test-timeout=120000 "$ROOT"/tests/e2e/*.test.mjs

step "no test server left running" no_servers_left

say "all tests passed"
