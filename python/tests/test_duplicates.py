"""Duplicates decided after a per-document run equal the batch run's.

The folder: the seed under two names with the same bytes (``a_seed.txt``,
``b_seed.txt``: the second is the byte-copy), and the seed with one more
line end (``c_seed.txt``: other bytes, the same report — same body, year,
kind and figures). The CLI marks ``b`` (own doc_id, duplicate_of = a's)
and ``c`` (duplicate_of = a's); per document none is marked and ``a`` and
``b`` share a doc_id; :mod:`gongkai.duplicates` gives the CLI's rows back."""

from __future__ import annotations

import pyarrow as pa
import pytest

import gongkai
from gongkai import duplicates
from conftest import SAMPLES, cli_rows, run_cli, table_rows

SEED = SAMPLES / "liaoning_panjin_dawa_smart_city_2023_final.txt"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dups") / "in"
    folder.mkdir()
    seed = SEED.read_bytes()
    (folder / "a_seed.txt").write_bytes(seed)
    (folder / "b_seed.txt").write_bytes(seed)
    (folder / "c_seed.txt").write_bytes(seed + b"\n")
    return folder


def per_document(folder):
    files = [(source, str(path)) for path, source in gongkai.list_inputs([folder])]
    raw = gongkai.extract_batch([], files)
    return {n: pa.Table.from_batches([raw[n]]) for n in gongkai.OUTPUTS}


def test_marked_rows_equal_the_cli(folder, tmp_path):
    cli = run_cli([folder], tmp_path / "out")
    tables = per_document(folder)
    docs = {r["source"]: r for r in tables["documents"].to_pylist()}
    # per document: a and b share a doc_id, nothing is marked
    assert docs["a_seed.txt"]["doc_id"] == docs["b_seed.txt"]["doc_id"]
    assert all(d["duplicate_of"] is None for d in docs.values())
    marked = duplicates.apply_arrow(tables)
    for name in ("facts", "checks", "issues"):
        assert table_rows(marked[name]) == cli_rows(cli / f"{name}.csv", marked[name].schema), name
    leave = ("elapsed_ms",)
    documents = marked["documents"]
    assert table_rows(documents, leave) == cli_rows(cli / "documents.csv", documents.schema, leave)
    rows = {r["source"]: r for r in documents.to_pylist()}
    a = rows["a_seed.txt"]
    assert a["doc_id"] == a["sha256"][:16] and a["duplicate_of"] is None
    assert rows["b_seed.txt"]["doc_id"] == duplicates.id_of(a["sha256"], "b_seed.txt")
    assert rows["b_seed.txt"]["duplicate_of"] == a["doc_id"]
    assert rows["c_seed.txt"]["duplicate_of"] == a["doc_id"]
