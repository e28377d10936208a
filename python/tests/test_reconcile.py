"""``gongkai.reconcile`` and ``Result.reconciliation`` against the CLI on
the reconcile fixtures: the seed (the 2023 部门决算 of 大洼区智慧城市运行管理
中心), its unit's report with one figure planted and the 2024 report with
a planted previous-year figure (``tests/fixtures/reconcile/planted``, made
by ``scripts/make_reconcile_fixtures.py``).

The planted figure, read in the fixture and the seed: the unit's 支出决算表
prints 2010350 事业运行 本年支出合计 238.45 万元 where the seed's prints
228.45 (samples/…_final.txt line 819)."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pyarrow as pa

import gongkai
from conftest import REPO, SAMPLES, cli_rows, read_csv, run_cli, table_rows

FIXTURES = REPO / "tests" / "fixtures" / "reconcile"
SEED_FILE = SAMPLES / "liaoning_panjin_dawa_smart_city_2023_final.txt"


def planted_batch(folder):
    """The seed as the department's 2023 report, beside the planted unit
    and 2024 reports (the suite's planted batch, tests/suite/reconcile)."""
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "dawa_2023_department.txt")
    shutil.copy(FIXTURES / "planted" / "unit.txt", folder / "dawa_2023_unit.txt")
    shutil.copy(FIXTURES / "planted" / "next_year.txt", folder / "dawa_2024_department.txt")
    return folder


def cross_findings_of_cli(out, schema):
    header, _ = read_csv(out / "findings.csv")
    finding = header.index("finding")
    return [r for r in cli_rows(out / "findings.csv", schema) if r[finding].startswith("across_reports:")]


def test_reconcile_of_an_output_folder_equals_its_reconciliation_csv(tmp_path):
    """Every comparison the CLI wrote, in its order, every column equal
    (amounts exact decimals); and the cross-report findings of its
    findings.csv."""
    out = run_cli([planted_batch(tmp_path / "in")], tmp_path / "out")
    result = gongkai.reconcile(out)
    table = result.reconciliation
    expected = cli_rows(out / "reconciliation.csv", table.schema)
    assert len(expected) > 50
    assert table_rows(table) == expected
    assert table_rows(result.findings) == cross_findings_of_cli(out, result.findings.schema)
    assert len(result.findings) == 2
    assert result.summary["differs"] == 2
    assert result.summary["reports"] == 3


def test_the_reconciliation_is_typed_as_its_datapackage_schema():
    schema = gongkai.schema("reconciliation")
    assert schema.field("expected").type == pa.decimal128(38, 6)
    assert schema.field("diff").type == pa.decimal128(38, 6)
    assert schema.field("note").type == pa.string()


def test_extract_gives_the_planted_difference(tmp_path):
    """``extract`` over the planted batch: its ``reconciliation`` has the
    planted row (228.45 expected, 238.45 summed over the units) and its
    findings end with the cross-report ones, as the CLI's do."""
    folder = planted_batch(tmp_path / "in")
    result = gongkai.extract(folder)
    rows = [
        r
        for r in result.reconciliation.to_pylist()
        if r["comparison"] == "units_expenditure_total" and r["code"] == "2010350"
    ]
    assert len(rows) == 1
    row = rows[0]
    assert (row["status"], row["expected"], row["actual"], row["diff"], row["unit"]) == (
        "differs",
        Decimal("228.45"),
        Decimal("238.45"),
        Decimal("10.00"),
        "万元",
    )
    assert (row["expected_source"], row["actual_source"]) == (
        "dawa_2023_department.txt",
        "dawa_2023_unit.txt",
    )
    out = run_cli([folder], tmp_path / "out")
    assert table_rows(result.reconciliation) == cli_rows(
        out / "reconciliation.csv", result.reconciliation.schema
    )
    assert table_rows(result.findings) == cli_rows(out / "findings.csv", result.findings.schema)
