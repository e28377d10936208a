#!/usr/bin/env python3
"""Compare the facts read from scans with the facts of the document they
were made from, scan by scan:

    scripts/compare_scans.py REFERENCE/facts.csv SCANS/facts.csv [--list]

REFERENCE is `gongkai extract` on the born-digital document (the seed:
`gongkai extract samples`), SCANS is `gongkai extract` on the folder of
scans `scripts/make_worn_scans.py` made from it. A fact is equal when its
table, code, line, column and value are a reference fact's (each reference
fact matched once). For each scan: how many are equal, how many differ,
how many of those are marked `confirmed` or `corrected` (vouched for:
must be none), how many have an empty column (must be none), and the
tables with facts lost. `--list` prints the differing facts too.
"""

import collections
import csv
import sys

KEY = ("table", "code", "line", "column", "value")


def main():
    args = [a for a in sys.argv[1:] if a != "--list"]
    if len(args) != 2:
        sys.exit(__doc__)
    reference = [tuple(r[k] for k in KEY) for r in csv.DictReader(open(args[0], encoding="utf-8"))]
    per_table = collections.Counter(k[0] for k in reference)
    by_scan = collections.defaultdict(list)
    for fact in csv.DictReader(open(args[1], encoding="utf-8")):
        by_scan[fact["source"]].append(fact)
    total = 0
    for scan in sorted(by_scan):
        left = collections.Counter(reference)
        equal, differing, vouched, empty = 0, [], 0, 0
        found = collections.Counter()
        for fact in by_scan[scan]:
            key = tuple(fact[k] for k in KEY)
            empty += fact["column"] == ""
            if left[key] > 0:
                left[key] -= 1
                equal += 1
                found[key[0]] += 1
            else:
                differing.append(key)
                vouched += fact.get("ocr_check") in ("confirmed", "corrected")
        total += equal
        lost = {t: f"{found[t]}/{n}" for t, n in per_table.items() if found[t] < n}
        print(
            f"{scan}: {equal}/{len(reference)} ({100 * equal / max(len(reference), 1):.1f} %)"
            f" differing {len(differing)} vouched {vouched} empty_column {empty} lost {lost}"
        )
        if "--list" in sys.argv:
            for key in differing:
                print("   ", key)
    print(f"all: {total} of {len(reference) * len(by_scan)}")


if __name__ == "__main__":
    main()
