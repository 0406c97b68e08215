#!/usr/bin/env bash
# The release build, into dist/ (or the directory given): the console split by area into
# chunks fetched on first use, content-hashed names, and index.html pointing at them.
#
# Trunk cannot run wasm-split (it has to run between rustc and wasm-bindgen), so this script
# runs the standard tools in order: cargo (with relocations kept for wasm-split) → wasm-split →
# wasm-bindgen → scripts/release.py. ./scripts/serve.sh keeps `trunk serve` for development,
# where the areas are not split. docs/toolchain.md says why each flag is there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
OUT="${1:-$ROOT/dist}"

ensure_rust
ensure_wasm_bindgen
ensure_wasm_split

# Its own target directory: these flags differ from the other builds', and sharing one would
# rebuild everything each time either ran. RUSTFLAGS replaces .cargo/config.toml's flags, so
# erase_components is repeated.
TARGET_DIR="$ROOT/target/split"
RELEASE="$TARGET_DIR/wasm32-unknown-unknown/release"
RUSTFLAGS="--cfg erase_components -C link-args=--emit-relocs" \
  cargo build --release --locked --target wasm32-unknown-unknown --target-dir "$TARGET_DIR" \
  --features split --bin crossrole --bin mock_worker

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/crossrole-release.XXXXXX")
NEXT="$OUT.next"
trap 'rm -rf "$STAGE" "$NEXT"' EXIT
wasm-split-cli "$RELEASE/crossrole.wasm" "$STAGE" --out-name crossrole --target web
# --keep-lld-exports: the chunks import the main module's function table, which wasm-bindgen
# would otherwise drop ("table import requires a WebAssembly.Table").
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$STAGE" \
  --out-name crossrole "$STAGE/crossrole.wasm"
# The worker as Trunk builds it: a classic script (public/mock-worker.js imports it by name).
wasm-bindgen --target no-modules --no-typescript --out-dir "$STAGE" --out-name mock_worker \
  "$RELEASE/mock_worker.wasm"

rm -rf "$NEXT"
python3 "$ROOT/scripts/release.py" "$STAGE" "$NEXT" "$ROOT"
rm -rf "$OUT"
mv "$NEXT" "$OUT"
echo "release build in $OUT: $(find "$OUT" -type f | wc -l) files, $(du -sh "$OUT" | cut -f1)"
