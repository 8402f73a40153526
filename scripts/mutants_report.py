#!/usr/bin/env python3
"""Writes mutants/RESULTS.md from a cargo-mutants output directory.

Usage: mutants_report.py OUT_DIR EQUIVALENT_FILE [--in-diff REF]
       mutants_report.py OUT_DIR EQUIVALENT_FILE --iterated ALL CAUGHT_BEFORE UNVIABLE_BEFORE

EQUIVALENT_FILE holds the missed mutants that are justified: one per line, the mutant as
cargo-mutants names it (without its line:column), a tab, and why no test can tell it apart.

--iterated: OUT_DIR is a `cargo mutants --iterate` run, which tested only the mutants not
caught (or unviable) in earlier runs. ALL lists every mutant of the code now (`--list`);
those the run skipped are counted as the earlier runs found them (same file, line, column and
mutation), from CAUGHT_BEFORE and UNVIABLE_BEFORE.
"""
import os
import re
import sys
import time


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [line.rstrip("\n") for line in f if line.strip()]
    except FileNotFoundError:
        return []


def without_position(mutant):
    # "src/x.rs:12:5: replace a with b" -> "src/x.rs: replace a with b"
    return re.sub(r"^([^:]+):\d+:\d+:", r"\1:", mutant)


def main():
    out, equivalent_file = sys.argv[1], sys.argv[2]
    in_diff = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--in-diff" else None
    iterated = len(sys.argv) > 6 and sys.argv[3] == "--iterated"
    caught = read(os.path.join(out, "caught.txt"))
    missed = read(os.path.join(out, "missed.txt"))
    timeout = read(os.path.join(out, "timeout.txt"))
    unviable = read(os.path.join(out, "unviable.txt"))
    carried = 0
    if iterated:
        everything = read(sys.argv[4])
        caught_before = set(read(sys.argv[5]))
        unviable_before = set(read(sys.argv[6]))
        tested = set(caught) | set(missed) | set(timeout) | set(unviable)
        for m in everything:
            if m in tested:
                continue
            if m in unviable_before:
                unviable.append(m)
            elif m in caught_before:
                caught.append(m)
                carried += 1
            else:
                sys.exit(f"mutants_report: {m} was neither tested now nor before")
    reasons = {}
    for line in read(equivalent_file):
        if line.startswith("#") or "\t" not in line:
            continue
        mutant, reason = line.split("\t", 1)
        reasons[mutant.strip()] = reason.strip()
    viable = len(caught) + len(missed) + len(timeout)
    # A timeout means the mutant made the tests hang: the tests noticed it.
    noticed = len(caught) + len(timeout)
    share = 100.0 * noticed / viable if viable else 100.0
    justified = [m for m in missed if without_position(m) in reasons]
    unexplained = [m for m in missed if without_position(m) not in reasons]
    scope = f"mutants in lines changed since `{in_diff}`" if in_diff else "every mutant"
    if iterated:
        scope += (
            f", assembled with `--iterate`: {carried} of the caught were caught by an earlier "
            "run (the same file, line, column and mutation) and not tested again, which "
            "assumes the code there is unchanged; the rest were tested on this code"
        )
    print("# Mutation testing results\n")
    print(
        f"Written by `scripts/mutants` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
        f"(cargo-mutants, {scope} in the core crate (crates/sts3-core/src), src/app and src/ui, "
        "tested by the unit tests of both crates).\n"
    )
    print("| outcome | mutants |")
    print("|---|---|")
    print(f"| caught | {len(caught)} |")
    print(f"| timeout (the tests hung: noticed) | {len(timeout)} |")
    print(f"| missed, justified below | {len(justified)} |")
    print(f"| missed, not explained | {len(unexplained)} |")
    print(f"| unviable (does not compile) | {len(unviable)} |")
    print(f"\n**{share:.1f} % of viable mutants caught** ({noticed} of {viable}).\n")
    if unexplained:
        print("## Missed, not explained\n")
        for m in unexplained:
            print(f"- `{m}`")
        print()
    if justified:
        print("## Missed, and why no test can tell them apart\n")
        for m in justified:
            print(f"- `{m}`: {reasons[without_position(m)]}")
        print()


if __name__ == "__main__":
    main()
