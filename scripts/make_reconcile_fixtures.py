#!/usr/bin/env python3
"""Make the fixtures of tests/suite/reconcile.rs from the seed report.

The seed (samples/liaoning_panjin_dawa_smart_city_2023_final.txt) is the
2023 部门决算 of 大洼区智慧城市运行管理中心. Beside it the tests put:

  unchanged/unit.txt        the same report as its own unit's 单位决算
                            ("部门决算" → "单位决算": entity_level unit), every
                            figure as printed in the seed;
  unchanged/next_year.txt   the same report as the 2024 部门决算 ("2023" →
                            "2024"), whose item (1) 事业运行 says it is
                            比上年增加0.00万元，增长0.00% — last year's figure
                            228.45, as the 2023 report's tables print it;
  planted/unit.txt          unit.txt with one figure changed: 支出决算表,
                            row 2010350 事业运行, 本年支出合计 228.45 → 238.45;
  planted/next_year.txt     next_year.txt saying 比上年增加10.00万元，增长4.58%:
                            last year's figure 228.45 − 10.00 = 218.45, not
                            the 228.45 the 2023 report prints.

Run from the repository root: python3 scripts/make_reconcile_fixtures.py
"""
from pathlib import Path

SEED = Path("samples/liaoning_panjin_dawa_smart_city_2023_final.txt")
OUT = Path("tests/fixtures/reconcile")
ITEM = "事业运行（项）228.45万元,主要是基本工资"


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def as_unit(seed: str) -> str:
    assert "部门决算" in seed
    return seed.replace("部门决算", "单位决算")


def as_next_year(seed: str, difference: str, percent: str) -> str:
    text = seed.replace("2023", "2024")
    stated = f"事业运行（项）228.45万元，比上年增加{difference}万元，增长{percent}%,主要是基本工资"
    return replace_once(text, ITEM, stated)


def plant_expenditure_figure(unit: str) -> str:
    """支出决算表 row 2010350: its first amount cell (本年支出合计)."""
    lines = unit.split("\n")
    table = lines.index("支出决算表")
    row = lines.index("\t2010350", table)
    cell = next(i for i in range(row + 1, row + 8) if lines[i] == "\t228.45")
    lines[cell] = "\t238.45"
    return "\n".join(lines)


def main() -> None:
    seed = SEED.read_text(encoding="utf-8")
    unit = as_unit(seed)
    files = {
        "unchanged/unit.txt": unit,
        "unchanged/next_year.txt": as_next_year(seed, "0.00", "0.00"),
        "planted/unit.txt": plant_expenditure_figure(unit),
        "planted/next_year.txt": as_next_year(seed, "10.00", "4.58"),
    }
    for name, text in files.items():
        path = OUT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
