"""Summarises a cargo-mutants run (its mutants.out/outcomes.json) per module, as Markdown:
caught, missed, unviable and timeouts, the share of viable mutants caught, and every missed
mutant by name, for scripts/mutants.sh."""

import json
import sys
from collections import defaultdict

KINDS = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable", "Timeout": "timeout"}


def main(path: str, commit: str, files: str) -> None:
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

    def share(c) -> str:
        viable = c["caught"] + c["missed"] + c["timeout"]
        return f"{100 * c['caught'] / viable:.1f} %" if viable else "—"

    total = defaultdict(int)
    print(f"# Mutation testing at {commit}\n")
    print(f"`./scripts/mutants.sh {files}`".rstrip() + f", cargo-mutants {data.get('cargo_mutants_version', '?')}, "
          f"{data.get('start_time', '?')} to {data.get('end_time', '?')}.\n")
    print("| module | caught | missed | timeout | unviable | caught of viable |")
    print("|---|---|---|---|---|---|")
    for file in sorted(by_file):
        c = by_file[file]
        for k in ("caught", "missed", "timeout", "unviable"):
            total[k] += c[k]
        print(f"| `{file}` | {c['caught']} | {c['missed']} | {c['timeout']} | {c['unviable']} | {share(c)} |")
    print(f"| **all** | {total['caught']} | {total['missed']} | {total['timeout']} | {total['unviable']} | {share(total)} |")
    if missed:
        print("\n## Not caught\n")
        for file in sorted(missed):
            for line in missed[file]:
                print(f"- {line}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
