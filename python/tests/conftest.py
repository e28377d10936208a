"""Shared fixtures: the corpus, the CLI's own output on it (the reference
every test compares with), and how to compare typed tables with CSV rows.

The reference is made in the same session by the gongkai binary built from
this repository (``GONGKAI_BIN``, else ``target/release`` or
``target/debug`` under ``CARGO_TARGET_DIR`` or the repository). Tests that
need ``../shared`` skip, saying so, when it is absent.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "pdf"
SEED = SHARED / "seed"
SAMPLES = REPO / "samples"


def need_shared():
    if not CORPUS.is_dir():
        pytest.skip(f"SKIPPED: {CORPUS} is absent (the shared corpus is not on this machine)")


def gongkai_bin() -> Path:
    candidates = []
    if os.environ.get("GONGKAI_BIN"):
        candidates.append(Path(os.environ["GONGKAI_BIN"]))
    targets = [Path(os.environ["CARGO_TARGET_DIR"])] if os.environ.get("CARGO_TARGET_DIR") else []
    targets.append(REPO / "target")
    for target in targets:
        candidates += [target / "release" / "gongkai", target / "debug" / "gongkai"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    pytest.skip("SKIPPED: no gongkai binary (build it with `cargo build --release` or set GONGKAI_BIN)")


def run_cli(inputs, out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)
    done = subprocess.run(
        [str(gongkai_bin()), "extract", *map(str, inputs), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    # 0: all read; 1: some files failed or were partial (documents.csv says which)
    assert done.returncode in (0, 1), done.stderr
    return out


@pytest.fixture(scope="session")
def corpus_cli(tmp_path_factory):
    """The CLI's output on the corpus and the samples (the seed)."""
    need_shared()
    return run_cli([CORPUS, SAMPLES], tmp_path_factory.mktemp("cli") / "out")


def read_csv(path: Path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def typed_cell(text: str, kind: pa.DataType):
    """A CSV cell as the Arrow column holds it: empty → null, integers as
    int, amounts as an exact Decimal (``328.20`` and ``328.200000`` are one
    value: the decimal128(38, 6) type keeps the value, not the printed
    scale — as the Parquet files do)."""
    if text == "":
        return None
    if pa.types.is_decimal(kind):
        return Decimal(text)
    if pa.types.is_integer(kind):
        return int(text)
    return text


def cli_rows(path: Path, schema: pa.Schema, leave_out=()):
    """The rows of a CLI CSV file, typed by ``schema``, columns in the
    schema's order (checked to be the file's)."""
    header, rows = read_csv(path)
    assert header == schema.names, f"{path.name}: columns differ"
    keep = [i for i, name in enumerate(header) if name not in leave_out]
    kinds = [schema.field(i).type for i in range(len(header))]
    return [tuple(typed_cell(row[i], kinds[i]) for i in keep) for row in rows]


def table_rows(table: pa.Table, leave_out=()):
    names = [n for n in table.column_names if n not in leave_out]
    columns = [table.column(n).to_pylist() for n in names]
    return [tuple(values) for values in zip(*columns)] if columns else []


def by_source(rows, source_at: int = 1):
    """Rows grouped by document (``source``), each document's rows in the
    order written: what a distributed run must give, whatever order its
    partitions come back in."""
    grouped = {}
    for row in rows:
        grouped.setdefault(row[source_at], []).append(row)
    return grouped
