"""``gongkai.spark.extract`` on PySpark ``local[2]`` over the corpus and
the seed: the same facts and documents as the CLI on the same files
(each document's rows in the CLI's order; documents come back in
partition order, so they are compared by ``source``)."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from conftest import CORPUS, SAMPLES, by_source, cli_rows, need_shared, table_rows

pyspark = pytest.importorskip("pyspark", reason="SKIPPED: pyspark is not installed")

import gongkai  # noqa: E402
import gongkai.spark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("SKIPPED: no Java for Spark (install a JDK 17)")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("gongkai-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


def binary_files(spark, *folders):
    return (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load([str(f) for f in folders])
    )


def collected(frame):
    return frame.toPandas().to_dict("records")


def test_spark_facts_and_documents_equal_the_cli(spark, corpus_cli):
    need_shared()
    df = binary_files(spark, CORPUS, SAMPLES).repartition(4)
    out = gongkai.spark.extract(df, tables=["facts", "documents"], root=[CORPUS, SAMPLES])
    facts_schema = gongkai.schema("facts")
    facts = [tuple(_plain(r[n]) for n in facts_schema.names) for r in collected(out["facts"])]
    expected = cli_rows(corpus_cli / "facts.csv", facts_schema)
    assert by_source(facts) == by_source(expected)
    docs_schema = gongkai.schema("documents")
    names = [n for n in docs_schema.names if n != "elapsed_ms"]
    documents = sorted(tuple(_plain(r[n]) for n in names) for r in collected(out["documents"]))
    expected_docs = sorted(cli_rows(corpus_cli / "documents.csv", docs_schema, leave_out=("elapsed_ms",)))
    assert len(documents) == 31
    assert documents == expected_docs


def test_spark_schema_is_the_parquet_schema(spark):
    from pyspark.sql import types as T

    schema = gongkai.spark.spark_schema("facts")
    assert schema["value"].dataType == T.DecimalType(38, 6)
    assert schema["year"].dataType == T.IntegerType()


def test_spark_broken_file_is_a_failed_row(spark, tmp_path):
    """A broken PDF next to the seed: the job succeeds, the PDF is a
    `failed` row, the seed's facts are there."""
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n")
    shutil.copy(SAMPLES / "liaoning_panjin_dawa_smart_city_2023_final.txt", tmp_path)
    df = binary_files(spark, tmp_path)
    out = gongkai.spark.extract(df, tables=["documents", "facts"], root=tmp_path)
    documents = {r["source"]: r for r in collected(out["documents"])}
    assert documents["broken.pdf"]["status"] == "failed"
    assert documents["liaoning_panjin_dawa_smart_city_2023_final.txt"]["status"] in ("ok", "partial")
    assert out["facts"].count() > 100


def _plain(value):
    """A pandas cell as the CSV comparison holds it (NaN/NA/None → None,
    numpy ints → int)."""
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def test_spark_duplicates_marked_as_the_cli(spark, tmp_path):
    """The seed twice with the same bytes and once with one more line end
    (see tests/test_duplicates.py), each file in its own partition:
    ``gongkai.duplicates.spark_mark`` gives the CLI's doc_id and
    duplicate_of."""
    from conftest import run_cli

    from gongkai import duplicates

    folder = tmp_path / "in"
    folder.mkdir()
    seed = (SAMPLES / "liaoning_panjin_dawa_smart_city_2023_final.txt").read_bytes()
    (folder / "a_seed.txt").write_bytes(seed)
    (folder / "b_seed.txt").write_bytes(seed)
    (folder / "c_seed.txt").write_bytes(seed + b"\n")
    cli = run_cli([folder], tmp_path / "out")
    df = binary_files(spark, folder).repartition(3)
    frames = gongkai.spark.extract(df, tables=["facts", "documents"], root=folder)
    marked = duplicates.spark_mark(frames)
    facts_schema = gongkai.schema("facts")
    facts = [tuple(_plain(r[n]) for n in facts_schema.names) for r in collected(marked["facts"])]
    assert by_source(facts) == by_source(cli_rows(cli / "facts.csv", facts_schema))
    docs_schema = gongkai.schema("documents")
    names = [n for n in docs_schema.names if n != "elapsed_ms"]
    documents = sorted(tuple(_plain(r[n]) for n in names) for r in collected(marked["documents"]))
    assert documents == sorted(cli_rows(cli / "documents.csv", docs_schema, leave_out=("elapsed_ms",)))
