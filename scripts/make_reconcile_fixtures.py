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
                            the 228.45 the 2023 report prints;
  unchanged/budget.txt      the body's 2023 部门预算, written in the seed's
                            layout: its 一般公共预算"三公"经费支出表 prints
                            the 预算数 the seed's 三公 table (公开07表) prints
                            — 合计 2.50, 公务用车购置及运行费 2.50, of which
                            公务用车运行维护费 2.50, the other lines empty;
  planted/budget.txt        budget.txt with one figure changed: the 三公
                            合计 2.50 → 2.80;
  planted/corrected.txt     the seed itself (the department's report) with
                            the figure planted in planted/unit.txt changed
                            the same way (支出决算表 2010350 本年支出合计
                            228.45 → 238.45): a corrected re-publication of
                            the seed, a second file of the same report.

The seed states its items' 年初预算 only as shares (事业运行（项）228.45万元
… 完成年初预算的75.13%), never as 年初预算为…万元: a budget's spending table
has no figure of the final to be compared with, so the budget prints none.

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


def plant_expenditure_figure(report: str) -> str:
    """支出决算表 row 2010350: its first amount cell (本年支出合计)."""
    lines = report.split("\n")
    table = lines.index("支出决算表")
    row = lines.index("\t2010350", table)
    cell = next(i for i in range(row + 1, row + 8) if lines[i] == "\t228.45")
    lines[cell] = "\t238.45"
    return "\n".join(lines)


DEPARTMENT = "辽宁省盘锦市大洼区智慧城市运行管理中心"


def table_head(title: str, marker: str, columns: list[str]) -> list[str]:
    """A table's title, marker, department, year and unit lines and its
    header, as the seed prints them (公开07表)."""
    return [
        title, f"\t{marker}", "\t", "\t", "",
        f"\t部门：{DEPARTMENT}", "\t2023年度", "\t金额单位：万元", "", "", " ",
        *(f"\t{c}" for c in columns), "",
    ]


def as_budget(seed: str, three_public_total: str) -> str:
    """The 2023 部门预算: the seed's overview, a short 情况说明 and the 三公
    table with the 预算数 of the seed's 三公 table (its 合计 given)."""
    overview = seed.split("\n")[:5]
    assert overview[0].strip() == f"第一部分 {DEPARTMENT}概况", overview[0]
    rows = [
        ("合    计", three_public_total),
        ("1、因公出国（境）费", ""),
        ("2、公务接待费", ""),
        ("3、公务用车购置及运行费", "2.50"),
        ("其中:（1）公务用车运行维护费", "2.50"),
        ("     （2）公务用车购置费", ""),
    ]
    lines = [
        *overview,
        "第二部分 2023年度部门预算情况说明",
        "",
        "一、财政拨款“三公”经费预算情况说明",
        f"2023年度财政拨款安排的“三公”经费预算{three_public_total}万元。",
        "",
        "第三部分 2023年度部门预算表",
        *table_head("一般公共预算“三公”经费支出表", "预算07表", ["项    目", "预算数"]),
    ]
    for label, value in rows:
        lines += [f"\t{label}", f"\t{value}", ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    seed = SEED.read_text(encoding="utf-8")
    unit = as_unit(seed)
    files = {
        "unchanged/unit.txt": unit,
        "unchanged/next_year.txt": as_next_year(seed, "0.00", "0.00"),
        "planted/unit.txt": plant_expenditure_figure(unit),
        "planted/next_year.txt": as_next_year(seed, "10.00", "4.58"),
        "unchanged/budget.txt": as_budget(seed, "2.50"),
        "planted/budget.txt": as_budget(seed, "2.80"),
        "planted/corrected.txt": plant_expenditure_figure(seed),
    }
    for name, text in files.items():
        path = OUT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
