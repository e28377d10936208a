"""``gongkai.dask.extract`` on a Dask ``LocalCluster`` of two worker
processes over the corpus and the seed: the same facts and documents as
the CLI on the same files, in the same order (partitions follow the CLI's
input order)."""

from __future__ import annotations

import pytest

from conftest import CORPUS, SAMPLES, cli_rows, need_shared

pytest.importorskip("dask.dataframe", reason="SKIPPED: dask[dataframe] is not installed")
distributed = pytest.importorskip("distributed", reason="SKIPPED: dask.distributed is not installed")

import gongkai  # noqa: E402
import gongkai.dask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def rows(frame, leave_out=()):
    import pyarrow as pa

    table = pa.Table.from_pandas(frame.compute(), preserve_index=False)
    names = [n for n in table.column_names if n not in leave_out]
    return [tuple(v) for v in zip(*(table.column(n).to_pylist() for n in names))]


def test_dask_facts_and_documents_equal_the_cli(client, corpus_cli):
    need_shared()
    facts = gongkai.dask.extract([CORPUS, SAMPLES], "facts", files_per_partition=3)
    assert facts.npartitions == 11  # 31 files, 3 per partition
    assert rows(facts) == cli_rows(corpus_cli / "facts.csv", gongkai.schema("facts"))
    documents = gongkai.dask.extract([CORPUS, SAMPLES], "documents", files_per_partition=3)
    expected = cli_rows(corpus_cli / "documents.csv", gongkai.schema("documents"), leave_out=("elapsed_ms",))
    assert rows(documents, leave_out=("elapsed_ms",)) == expected


def test_dask_broken_file_is_a_failed_row(client, tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n")
    (tmp_path / "seed.txt").write_bytes((SAMPLES / "liaoning_panjin_dawa_smart_city_2023_final.txt").read_bytes())
    documents = gongkai.dask.extract(tmp_path, "documents").compute()
    status = dict(zip(documents["source"], documents["status"]))
    assert status["broken.pdf"] == "failed"
    assert status["seed.txt"] in ("ok", "partial")
