"""Summarises a cargo-mutants run (its mutants.out/outcomes.json) per module, as Markdown:
caught, missed, unviable and timeouts, the share of viable mutants caught, and every missed
mutant by name, for scripts/mutants.sh.

    python3 bench/mutants.py OUTCOMES.json COMMIT WHAT      one run's summary
    python3 bench/mutants.py --merge SUMMARY.md ...         the parts of a full run, summed
    python3 bench/mutants.py --check-exclusions CONFIG      (mutant names on stdin)
    python3 bench/mutants.py --survivors SUMMARY.md...      (their missed mutants, as -F regexes)

A mutant whose tests hang until cargo-mutants' timeout (a `+=` that no longer advances a loop)
counts as caught: the suite did not pass with it. Its own column still shows it.

A full run over crates/core takes longer than one sitting on two cores, so it can be made in
parts (MUTANTS_SHARD); --merge reads the parts' summaries back and sums them, refusing parts
of different commits (they would not be one run)."""

import json
import re
import sys
from collections import defaultdict

KINDS = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable", "Timeout": "timeout"}
COLUMNS = ("caught", "missed", "timeout", "unviable")
ROW = re.compile(r"^\| `(?P<file>[^`]+)` \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|")
NOT_CAUGHT = re.compile(r"^- (missed|timeout): (?P<name>.+)$")
HEADER = re.compile(r"^# Mutation testing at (?P<commit>\S+)")


def share(c) -> str:
    viable = c["caught"] + c["missed"] + c["timeout"]
    return f"{100 * (c['caught'] + c['timeout']) / viable:.1f} %" if viable else "—"


def write(commit: str, run: str, by_file, missed) -> None:
    total = defaultdict(int)
    print(f"# Mutation testing at {commit}\n")
    print(run + "\n")
    print("| module | caught | missed | timeout | unviable | caught (failed or hung) of viable |")
    print("|---|---|---|---|---|---|")
    for file in sorted(by_file):
        c = by_file[file]
        for k in COLUMNS:
            total[k] += c[k]
        print(f"| `{file}` | {c['caught']} | {c['missed']} | {c['timeout']} | {c['unviable']} | {share(c)} |")
    print(f"| **all** | {total['caught']} | {total['missed']} | {total['timeout']} | {total['unviable']} | {share(total)} |")
    if missed:
        print("\n## Not caught\n")
        for file in sorted(missed):
            for line in missed[file]:
                print(f"- {line}")


def summarise(path: str, commit: str, what: str) -> None:
    data = json.load(open(path))
    by_file = defaultdict(lambda: defaultdict(int))
    missed = defaultdict(list)
    for outcome in data["outcomes"]:
        mutant = outcome["scenario"].get("Mutant") if isinstance(outcome["scenario"], dict) else None
        if not mutant:
            continue
        kind = KINDS.get(outcome["summary"], outcome["summary"])
        by_file[mutant["file"]][kind] += 1
        if kind in ("missed", "timeout"):
            missed[mutant["file"]].append(f"{kind}: {mutant['name']}")
    run = f"`./scripts/mutants.sh`: {what or 'every file of crates/core'}; cargo-mutants " \
          f"{data.get('cargo_mutants_version', '?')}, {data.get('start_time', '?')} to {data.get('end_time', '?')}."
    write(commit, run, by_file, missed)


def merge(paths) -> None:
    by_file = defaultdict(lambda: defaultdict(int))
    missed = defaultdict(list)
    commits, runs = set(), []
    for path in paths:
        lines = open(path).read().splitlines()
        for line in lines:
            if m := HEADER.match(line):
                commits.add(m["commit"])
            elif m := ROW.match(line):
                for k, n in zip(COLUMNS, m.groups()[1:]):
                    by_file[m["file"]][k] += int(n)
            elif m := NOT_CAUGHT.match(line):
                name = m["name"]
                missed[name.split(":", 1)[0]].append(line[2:])
        runs.append(next((l for l in lines[1:] if l.strip()), path))
    if len(commits) != 1:
        sys.exit(f"the parts are of {len(commits)} commits ({', '.join(sorted(commits))}): not one run")
    run = "The parts of one run, summed:\n\n" + "\n".join(f"- {r}" for r in runs)
    write(commits.pop(), run, by_file, missed)


def check_exclusions(config: str) -> None:
    """Every exclusion must still name a mutant (from `cargo mutants --list --no-config`, on
    stdin): one that names none was left behind when its code moved, and would hide nothing
    while seeming to explain something."""
    import fnmatch
    import tomllib

    rules = tomllib.load(open(config, "rb"))
    names = [line.strip() for line in sys.stdin if line.strip()]
    stale = [r for r in rules.get("exclude_re", []) if not any(re.search(r, n) for n in names)]
    stale += [g for g in rules.get("exclude_globs", [])
              if not any(fnmatch.fnmatch(n.split(":", 1)[0], g) for n in names)]
    if stale:
        sys.exit("these exclusions in " + config + " name no mutant (has the code moved?):\n"
                 + "\n".join(f"  {s}" for s in stale))


def survivors(paths) -> None:
    """The mutants a summary lists as missed (a timeout is caught), as regular expressions
    for `cargo mutants -F` (one a line), without their line and column: the code may have
    moved since, and the file, the change and the function still name the mutant."""
    for path in paths:
        for line in open(path).read().splitlines():
            if (m := NOT_CAUGHT.match(line)) and m[1] == "missed":
                file, _, _, change = m["name"].split(":", 3)
                print(re.escape(file) + r":\d+:\d+:" + re.escape(change))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--merge"]:
        merge(sys.argv[2:])
    elif sys.argv[1:2] == ["--survivors"]:
        survivors(sys.argv[2:])
    elif sys.argv[1:2] == ["--check-exclusions"]:
        check_exclusions(sys.argv[2])
    else:
        summarise(*sys.argv[1:4])
