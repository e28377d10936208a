"""``gongkai.extract`` against the CLI on the same files, in the same
session: the corpus (30 PDFs of Jiangsu and Shanghai) and the samples (the
Liaoning 2023 seed).

The reference values are the CLI's own ``facts.csv``/``documents.csv``;
the seed's figures quoted below were read in the seed text
(``samples/liaoning_panjin_dawa_smart_city_2023_final.txt``, 表一
收入支出决算总表: 本年收入合计 228.45 万元)."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import gongkai
from conftest import CORPUS, SAMPLES, SEED, cli_rows, need_shared, table_rows

SEED_FILE = SAMPLES / "liaoning_panjin_dawa_smart_city_2023_final.txt"


@pytest.fixture(scope="module")
def corpus_py():
    need_shared()
    return gongkai.extract([CORPUS, SAMPLES])


def test_facts_equal_the_cli_row_for_row(corpus_cli, corpus_py):
    """Every fact, in the CLI's order, with every column equal (amounts as
    exact decimals)."""
    schema = corpus_py.facts.schema
    expected = cli_rows(corpus_cli / "facts.csv", schema)
    assert len(expected) > 1000
    assert table_rows(corpus_py.facts) == expected


def test_facts_equal_the_cli_parquet_file(corpus_cli, corpus_py):
    """The Arrow table is the CLI's facts.parquet: same schema (types and
    names), same values."""
    parquet = pq.read_table(corpus_cli / "facts.parquet")
    assert corpus_py.facts.schema.equals(parquet.schema.remove_metadata())
    assert corpus_py.facts.equals(parquet.replace_schema_metadata(None))


def test_documents_equal_the_cli_row_for_row(corpus_cli, corpus_py):
    """Every document, in order, every column but ``elapsed_ms`` (the one
    column that differs between two runs, SCHEMA/README)."""
    schema = corpus_py.documents.schema
    expected = cli_rows(corpus_cli / "documents.csv", schema, leave_out=("elapsed_ms",))
    assert len(expected) == 31  # 30 PDFs and the seed
    assert table_rows(corpus_py.documents, leave_out=("elapsed_ms",)) == expected


@pytest.mark.parametrize("output", ["checks", "findings", "issues", "indicators", "indicator_fields"])
def test_other_outputs_equal_the_cli(corpus_cli, corpus_py, output):
    table = corpus_py[output]
    assert table_rows(table) == cli_rows(corpus_cli / f"{output}.csv", table.schema)


def test_types_are_the_parquet_types():
    """Amounts exact decimal128(38, 6), year/page/row int32."""
    facts = gongkai.schema("facts")
    assert facts.field("value").type == pa.decimal128(38, 6)
    assert facts.field("value_yuan").type == pa.decimal128(38, 6)
    assert facts.field("year").type == pa.int32()
    assert facts.field("page").type == pa.int32()
    assert facts.field("source").type == pa.string()
    checks = gongkai.schema("checks")
    assert checks.field("expected").type == pa.decimal128(38, 6)


def test_bytes_in_memory_give_the_file_s_rows():
    """The seed given as (name, bytes) gives what the file gives. Its
    支出决算表 (公开03表, 金额单位：万元, 2023年度) prints 合计 472.39 |
    基本支出 332.70 | 项目支出 139.69 (samples/…_final.txt, lines 716–786)."""
    from_file = gongkai.extract(SAMPLES)
    from_bytes = gongkai.extract([(SEED_FILE.name, SEED_FILE.read_bytes())])
    assert from_bytes.facts.equals(from_file.facts)
    total = {
        r["column"]: r
        for r in from_bytes.facts.to_pylist()
        if r["table"] == "expenditure" and r["line"] == "total"
    }
    assert {c: r["value"] for c, r in total.items()} == {
        "total": Decimal("472.39"),
        "basic": Decimal("332.70"),
        "project": Decimal("139.69"),
    }
    assert total["total"]["value_yuan"] == Decimal("4723900")
    assert total["total"]["unit"] == "万元"
    assert total["total"]["year"] == 2023
    assert total["total"]["table_no"] == "公开03表"


def test_a_broken_file_is_a_failed_row_and_the_run_goes_on():
    """A truncated PDF among good inputs: a `failed` documents row saying
    why, the seed's facts still there."""
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n"
    result = gongkai.extract([("broken.pdf", broken), (SEED_FILE.name, SEED_FILE.read_bytes())])
    documents = {r["source"]: r for r in result.documents.to_pylist()}
    assert documents["broken.pdf"]["status"] == "failed"
    assert documents["broken.pdf"]["reason"]
    assert documents[SEED_FILE.name]["status"] in ("ok", "partial")
    assert result.facts.num_rows > 100


def test_errors_are_exceptions_with_the_cli_messages(tmp_path):
    with pytest.raises(ValueError, match="unknown limit|limit"):
        gongkai.extract(SAMPLES, limits={"no-such-limit": 1})
    with pytest.raises(ValueError, match="^invalid patterns"):
        gongkai.extract(SAMPLES, patterns=tmp_path / "nowhere")
    with pytest.raises(OSError, match="^cannot list inputs"):
        gongkai.extract(tmp_path / "missing")
