#!/usr/bin/env bash
# Mutation testing: cargo-mutants changes one operator, guard or return value of crates/core at
# a time and reruns core's own tests; a mutant that survives is a rule no test holds. Runs on a
# throwaway clone of this checkout's HEAD, or of MUTANTS_REV (`--in-place` there), so the
# working tree is never touched, and writes a summary per module to bench/mutants/<time>.md
# (caught, missed, unviable, timeouts, and each missed mutant). Not part of the test command: a
# full run is about 4 hours on two cores (about 5 s a mutant, 2,840 mutants).
#
#   ./scripts/mutants.sh                       every file of crates/core
#   ./scripts/mutants.sh crates/core/src/sigv4.rs crates/core/src/link.rs
#                                              only those files
#   MUTANTS_PACKAGE=crossrole-emulator ./scripts/mutants.sh
#                                              the emulator's own logic (crates/emulator's
#                                              library, against its cargo tests; about 40 min)
#   MUTANTS_DIFF=origin/main ./scripts/mutants.sh
#                                              only what changed since that revision
#                                              (cargo mutants --in-diff)
#   MUTANTS_AGAIN=bench/mutants/<a run>.md ./scripts/mutants.sh
#                                              only the mutants that run missed (matched by
#                                              file, change and function: lines may have moved)
#   MUTANTS_SHARD=1/4 MUTANTS_REV=abc1234 ./scripts/mutants.sh
#                                              one quarter of the mutants (cargo mutants
#                                              --shard 0/4 is the first), of that commit: a
#                                              full run in parts, one per sitting; then
#   python3 bench/mutants.py --merge bench/mutants/<each part>.md
#                                              sums the parts into one summary
#
# Exclusions, each with its reason, are in .cargo/mutants.toml.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

MUTANTS_VERSION="27.1.0"
ensure_mutants() {
  if ! cargo install --list | grep -qx "cargo-mutants v$MUTANTS_VERSION:"; then
    echo "installing cargo-mutants $MUTANTS_VERSION (about 4 minutes)"
    cargo install --locked cargo-mutants --version "$MUTANTS_VERSION"
  fi
}
step "install Rust components" ensure_rust
step "install cargo-mutants $MUTANTS_VERSION" ensure_mutants

PACKAGE="${MUTANTS_PACKAGE:-crossrole-core}"
case "$PACKAGE" in
  crossrole-core) CRATE=crates/core ;;
  crossrole-emulator) CRATE=crates/emulator ;;
  *) echo "MUTANTS_PACKAGE is crossrole-core (the default) or crossrole-emulator" >&2; exit 2 ;;
esac

CLONE=$(mktemp -d "${TMPDIR:-/tmp}/crossrole-mutants.XXXXXX")
trap 'rm -rf "$CLONE"' EXIT
git clone -q "$ROOT" "$CLONE/tree"
REV=$(git -C "$ROOT" rev-parse --short "${MUTANTS_REV:-HEAD}")
git -C "$CLONE/tree" checkout -q "$REV"
# The configuration as it is here (a change to it is tried before it is committed).
cp "$ROOT/.cargo/mutants.toml" "$CLONE/tree/.cargo/mutants.toml"

args=(-p "$PACKAGE" --in-place --no-shuffle --output "$CLONE")
for f in "$@"; do args+=(-f "$f"); done
# People count parts from 1; cargo-mutants from 0.
if [ -n "${MUTANTS_SHARD:-}" ]; then
  part=${MUTANTS_SHARD%/*} parts=${MUTANTS_SHARD#*/}
  args+=(--shard "$((part - 1))/$parts")
fi
if [ -n "${MUTANTS_AGAIN:-}" ]; then
  while read -r name; do args+=(-F "$name"); done \
    < <(python3 "$ROOT/bench/mutants.py" --survivors "$MUTANTS_AGAIN")
fi
if [ -n "${MUTANTS_DIFF:-}" ]; then
  git -C "$ROOT" diff "$MUTANTS_DIFF" "$REV" -- "$CRATE" > "$CLONE/change.diff"
  args+=(--in-diff "$CLONE/change.diff")
fi
# An exclusion that names no mutant any more (its code moved) is refused before hours are
# spent: it would explain nothing. (The configuration serves both crates: checked against both.)
check_exclusions() {
  (cd "$CLONE/tree" && cargo mutants --list --no-config -p crossrole-core -p crossrole-emulator) |
    python3 "$ROOT/bench/mutants.py" --check-exclusions "$CLONE/tree/.cargo/mutants.toml"
}
step "every exclusion in .cargo/mutants.toml still names a mutant" check_exclusions
# cargo mutants exits 2 when some mutant survives and 3 when some timed out: results, not
# failures here (the summary lists them). It runs with its own TMPDIR inside the clone: a test
# killed at the timeout never removes its temporary folder, and the clone's removal takes it.
run_mutants() {
  local code=0
  mkdir -p "$CLONE/tmp"
  (cd "$CLONE/tree" && TMPDIR="$CLONE/tmp" cargo mutants "${args[@]}") || code=$?
  [ "$code" -eq 0 ] || [ "$code" -eq 2 ] || [ "$code" -eq 3 ]
}
step "cargo mutants ${args[*]}" run_mutants

mkdir -p "$ROOT/bench/mutants"
suffix=""
[ "$CRATE" = crates/core ] || suffix="-${CRATE#crates/}"
OUT="$ROOT/bench/mutants/$(date -u +%Y-%m-%dT%H%MZ)$suffix.md"
what="$*"
[ -z "${MUTANTS_SHARD:-}" ] || what="part $MUTANTS_SHARD of ${what:-every file of $CRATE}"
[ -n "$what" ] || [ "$CRATE" = crates/core ] || what="every file of $CRATE"
[ -z "${MUTANTS_AGAIN:-}" ] || what="the mutants ${MUTANTS_AGAIN#"$ROOT/"} missed"
python3 "$ROOT/bench/mutants.py" "$CLONE/mutants.out/outcomes.json" "$REV" "$what" > "$OUT"
echo "written to $OUT"
