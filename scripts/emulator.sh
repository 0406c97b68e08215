#!/usr/bin/env bash
# Builds the console (release) and serves it same-origin from crossrole-emulator at
# http://127.0.0.1:4566: the console then runs the STS backend against the emulator. Extra
# arguments go to the emulator (e.g. --state state.json --explain).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

step "install Rust components and the wasm32 target" ensure_rust
step "install wasm-bindgen-cli (version from Cargo.lock)" ensure_wasm_bindgen
step "install wasm-split-cli $WASM_SPLIT_VERSION" ensure_wasm_split
step "release build (scripts/build-release.sh)" "$ROOT/scripts/build-release.sh"
step "build the emulator" cargo build --locked --release -p crossrole-emulator
say "serving the console and the emulator on http://127.0.0.1:4566 unless --listen says otherwise (Ctrl-C stops)"
exec "$ROOT/target/release/crossrole-emulator" --static "$ROOT/dist" "$@"
