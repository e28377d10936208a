#!/usr/bin/env python3
"""Compare two gongkai output folders file by file.

    scripts/compare_outputs.py BEFORE AFTER

Every file under either folder is compared byte for byte (CSV, Parquet,
datapackage.json, tables/…), except the run cache `.gongkai/` and the
`elapsed_ms` column of `documents.csv`, which is a measurement and is
blanked on both sides before comparing. Prints each difference (a missing
file, or the first differing lines of a CSV) and exits 1 if there is one,
0 when the folders hold the same output.

Used to show that a refactoring leaves the output unchanged: build the old
and the new binary, run both over the same inputs into two folders, compare.
"""
import csv
import io
import sys
from pathlib import Path


def files(root: Path) -> set:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".gongkai" not in p.relative_to(root).parts
    }


def without_elapsed(data: bytes) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if rows and "elapsed_ms" in rows[0]:
        column = rows[0].index("elapsed_ms")
        for row in rows[1:]:
            if column < len(row):
                row[column] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def first_differences(a: bytes, b: bytes, most: int = 3) -> list:
    shown = []
    lines_a, lines_b = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    for number, (x, y) in enumerate(zip(lines_a, lines_b), start=1):
        if x != y:
            shown.append(f"    line {number}:\n      - {x[:300]}\n      + {y[:300]}")
            if len(shown) == most:
                break
    if len(lines_a) != len(lines_b):
        shown.append(f"    {len(lines_a)} lines before, {len(lines_b)} after")
    return shown


def compare(before: Path, after: Path) -> int:
    differences = 0
    names_before, names_after = files(before), files(after)
    for name in sorted(names_before | names_after):
        if name not in names_after:
            print(f"only in {before}: {name}")
            differences += 1
            continue
        if name not in names_before:
            print(f"only in {after}: {name}")
            differences += 1
            continue
        a, b = (before / name).read_bytes(), (after / name).read_bytes()
        if name == "documents.csv":
            a, b = without_elapsed(a), without_elapsed(b)
        if a != b:
            differences += 1
            print(f"differs: {name}")
            if name.endswith((".csv", ".json")):
                print("\n".join(first_differences(a, b)))
    compared = len(names_before | names_after)
    print(f"{compared} files compared, {differences} differ ({before} → {after})")
    return 1 if differences else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(compare(Path(sys.argv[1]), Path(sys.argv[2])))
