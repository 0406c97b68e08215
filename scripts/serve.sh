#!/usr/bin/env bash
# Serves the console at http://127.0.0.1:8080 with the in-browser mock backend, installing
# whatever the build needs first. Extra arguments go to `trunk serve` (e.g. --release).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

step "install Rust components and the wasm32 target" ensure_rust
step "install trunk $TRUNK_VERSION" ensure_trunk
step "install wasm-bindgen-cli (version from Cargo.lock)" ensure_wasm_bindgen
say "serving on http://127.0.0.1:8080 (Ctrl-C stops)"
exec trunk serve "$@"
