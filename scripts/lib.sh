# Shared by scripts/serve.sh and scripts/test.sh: install what is missing, skip what is present.
# Every install is pinned to the versions the build needs (see docs/toolchain.md: trunk 0.22
# needs a newer rustc; wasm-bindgen-cli must match Cargo.lock).
# Sourced, not run.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# Debian's packages put them here; the tests use these paths.
CHROMIUM_BIN=/usr/bin/chromium
CHROMEDRIVER_BIN=/usr/bin/chromedriver
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }

fail() {
  printf '\nFAILED: %s\n' "$*" >&2
  exit 1
}

# step NAME COMMAND...: runs one step; on failure names it and stops. The subshell keeps
# `set -e` in force inside the step's functions (bash ignores it under `cmd || ...`).
step() {
  local name=$1 rc
  shift
  say "$name"
  set +e
  (
    set -e
    "$@"
  )
  rc=$?
  set -e
  [ "$rc" -eq 0 ] || fail "$name (exit $rc)"
}

# Runs a command as root (directly when already root, as in CI; elsewhere with sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "need root for: $*" >&2
    return 1
  fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -q
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# The wasm-bindgen version locked in Cargo.lock: the CLI and Trunk.toml must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust() {
  command -v rustup >/dev/null 2>&1 || { echo "rustup is missing: install Rust with rustup first (https://rustup.rs)" >&2; return 1; }
  local installed
  installed=$(rustup component list --installed)
  grep -q '^rustfmt' <<<"$installed" || rustup component add rustfmt
  grep -q '^clippy' <<<"$installed" || rustup component add clippy
  rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    echo "installing trunk $TRUNK_VERSION (about 12 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local want trunk_wants
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || { echo "no wasm-bindgen in Cargo.lock" >&2; return 1; }
  trunk_wants=$(sed -n 's/^wasm_bindgen = "\(.*\)"/\1/p' "$ROOT/Trunk.toml")
  if [ "$trunk_wants" != "$want" ]; then
    echo "Trunk.toml pins wasm-bindgen $trunk_wants but Cargo.lock has $want: make them equal" >&2
    return 1
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ] ||
    ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
    echo "installing wasm-bindgen-cli $want (about 4 minutes)"
    # Not --locked: its lock file pins a webpki-roots version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# wasm-split-cli, which splits the release build's wasm into chunks (scripts/build-release.sh):
# the version whose output wasm-bindgen and leptos's wasm_split_helpers (Cargo.lock) agree with.
WASM_SPLIT_VERSION="0.2.4"
ensure_wasm_split() {
  if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    echo "installing wasm-split-cli $WASM_SPLIT_VERSION (about 2 minutes)"
    cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
  fi
}

ensure_chromium() {
  if [ ! -x "$CHROMIUM_BIN" ] || [ ! -x "$CHROMEDRIVER_BIN" ]; then
    echo "installing Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
}

ensure_node_packages() {
  if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  local dir="$ROOT/tests/e2e"
  # npm ci when node_modules is missing or older than the lock file.
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

# The Python virtualenv with the real AWS clients (boto3, the AWS CLI), moto and pytest, at
# the versions tests/aws/requirements.txt pins; rebuilt when that file changes.
VENV="$ROOT/.venv-tests"
ensure_python_venv() {
  local req="$ROOT/tests/aws/requirements.txt" stamp="$VENV/.requirements"
  if [ -x "$VENV/bin/python" ] && cmp -s "$req" "$stamp"; then
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
  if ! python3 -m venv --help >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  echo "creating $VENV from $req"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
}
