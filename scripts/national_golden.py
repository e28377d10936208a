#!/usr/bin/env python3
"""Compare an extraction of ../shared/corpus/national with the golden lists.

    scripts/national_golden.py OUT [GOLDEN_DIR]

For each report of tests/golden/national/*.toml: which printed money tables
(performance tables aside) were found under their key on their page, and
whether the three totals are facts with exactly the printed value. Prints one
line per miss and a count per report. The test tests/suite/national.rs asserts the
same; this script is for looking while working.
"""
import csv
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

out = Path(sys.argv[1])
golden = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).parent.parent / "tests/golden/national")
facts = defaultdict(list)
with open(out / "facts.csv", newline="") as f:
    for r in csv.DictReader(f):
        facts[r["source"]].append(r)

TOTALS = {
    "income_total": ("summary", {"income.grand_total"}),
    "expenditure_total": ("summary", {"expenditure.grand_total"}),
    "gpb_expenditure_total": ("gpb_expenditure", {"total"}),
}
all_tables = all_found = all_totals = all_totals_found = 0
for path in sorted(golden.glob("*.toml")):
    g = tomllib.loads(path.read_text())
    src = g["source"]
    rows = facts[src]
    pages_by_key = defaultdict(set)
    for r in rows:
        pages_by_key[r["table"]].add(int(r["page"] or 0))
    misses = []
    tables = [t for t in g["tables"] if t["key"] != "performance"]
    found = 0
    for t in tables:
        if t["empty"]:
            ok = True  # an empty table has no facts to find
        else:
            ok = t["page"] in pages_by_key.get(t["key"], set())
        found += ok
        if not ok:
            misses.append(f"  table {t['key']} p{t['page']} {t['marker']} {t['title']} (found {t['key']} on pages {sorted(pages_by_key.get(t['key'], []))[:6]})")
    tot_found = 0
    for tot in g.get("totals", []):
        table, lines = TOTALS[tot["what"]]
        want = tot["value"]
        hits = [r for r in rows if r["table"] == table and r["line"] in lines and r["value"] == want]
        if tot["what"] == "gpb_expenditure_total":
            hits = [r for r in rows if r["table"] == table and r["line"] == "total" and r["column"] == "total" and r["value"] == want]
        tot_found += bool(hits)
        if not hits:
            cands = [r["value"] for r in rows if r["table"] == table and (r["line"] in lines or r["line"] == "total")][:4]
            misses.append(f"  total {tot['what']} {want} p{tot['page']} not found (candidates {cands})")
    all_tables += len(tables); all_found += found
    all_totals += len(g.get("totals", [])); all_totals_found += tot_found
    print(f"{src}: tables {found}/{len(tables)}, totals {tot_found}/{len(g.get('totals', []))}")
    for m in misses:
        print(m)
print(f"ALL: tables {all_found}/{all_tables}, totals {all_totals_found}/{all_totals}")
