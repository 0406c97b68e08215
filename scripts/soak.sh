#!/usr/bin/env bash
# The long checks the test command keeps short (issue 9): the stable-toolchain fuzz targets of
# crates/core/tests/fuzz.rs with many more inputs each (FUZZ_CASES, default 200,000 per
# target, in release), and the kill -9 save loop with more rounds. Prints a summary; exits
# non-zero on the first crash or failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

CASES="${FUZZ_CASES:-200000}"
started=$(date +%s)
step "install Rust components" ensure_rust
step "install the Python venv (boto3, AWS CLI, moto, pytest)" ensure_python_venv
step "fuzz every parser and the endpoint ($CASES inputs per target)" \
  env FUZZ_CASES="$CASES" cargo test --release --locked -p crossrole-core --test fuzz
step "build the emulator" cargo build --locked -p crossrole-emulator
step "kill -9 during saves, repeated" \
  env EMULATOR_BIN="$ROOT/target/debug/crossrole-emulator" SOAK_ROUNDS="${SOAK_ROUNDS:-100}" \
  "$VENV/bin/pytest" -q -p no:cacheprovider "$ROOT/tests/aws/test_hardening.py" -k kill_9
say "soak passed in $(($(date +%s) - started)) s: 5 fuzz targets x $CASES inputs, 0 crashes"
