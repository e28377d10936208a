"""Duplicates across partitions: what ``gongkai extract`` decides across
documents, decided again after a distributed run.

A cluster task processes each document on its own (``gongkai.spark``,
``gongkai.dask``), so two things a batch run decides across documents are
not decided there (``src/pipeline/duplicates.rs`` specifies them):

- a file with the same bytes as an earlier input gets its own ``doc_id``
  (the first 16 hex digits of SHA-256(sha256 ␟ source)) and
  ``duplicate_of`` = the first's ``doc_id``; per partition both copies keep
  ``doc_id`` = their SHA-256's first 16 digits, so ``doc_id`` is not unique;
- a copy of a report in another file (same ``department_key``, year,
  report kind, entity level and every figure) gets ``duplicate_of`` = the
  first's ``doc_id``; per partition ``duplicate_of`` stays empty.

:func:`plan` decides both over the documents in input order (by default
ordered by ``source``, which is ``gongkai extract ROOT``'s order for one
folder; pass ``order`` — e.g. the sources of :func:`gongkai.list_inputs` —
for several), from one small row per document; :func:`apply_arrow` and
:func:`spark_mark` rewrite the rows. The result equals the batch run's
(compared in ``tests/test_duplicates.py``). One difference of meaning is
left: figures are compared as exact decimals, where the batch run compares
them as printed (``328.20`` and ``328.2`` are one figure here, two there —
a copy printing an amount with other trailing zeros, never seen).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["plan", "apply_arrow", "signatures_arrow", "spark_mark"]

#: Columns whose rows carry ``duplicate_of`` (the rest carry ``doc_id`` only).
WITH_DUPLICATE_OF = ("documents", "facts")
FIGURE = ("table", "code", "line", "column", "value")


def id_of(*parts: str) -> str:
    """16 hex digits of the SHA-256 of ``parts`` joined by U+001F (as
    ``duplicates.rs``)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def figures_signature(figures: Iterable[Sequence]) -> Optional[str]:
    """One document's figures (table, code, line, column, value), in any
    order, as one hash; ``None`` for no figures."""
    lines = sorted("\x1f".join(_text(v) for v in figure) for figure in figures)
    if not lines:
        return None
    return hashlib.sha256("\x1e".join(lines).encode()).hexdigest()


def plan(
    documents: Iterable[Mapping],
    figures: Mapping[str, Optional[str]],
    order: Optional[Sequence[str]] = None,
) -> Dict[str, Tuple[str, str]]:
    """``source → (doc_id, duplicate_of)`` for every document the batch
    run marks. ``documents``: rows with ``source``, ``sha256``, ``doc_id``,
    ``department_key``, ``year``, ``report``, ``entity_level``;
    ``figures``: ``source → figures_signature``."""
    rows = list(documents)
    if order is not None:
        at = {source: i for i, source in enumerate(order)}
        rows.sort(key=lambda r: (at.get(r["source"], len(at)), r["source"]))
    else:
        rows.sort(key=lambda r: r["source"])
    by_bytes: Dict[str, str] = {}
    by_report: Dict[Tuple, str] = {}
    changes: Dict[str, Tuple[str, str]] = {}
    for row in rows:
        sha = row.get("sha256") or ""
        if not sha:
            continue
        if sha in by_bytes:
            changes[row["source"]] = (id_of(sha, row["source"]), by_bytes[sha])
            continue
        by_bytes[sha] = row["doc_id"]
        key = _report_key(row, figures.get(row["source"]))
        if key is None:
            continue
        if key in by_report:
            changes[row["source"]] = (row["doc_id"], by_report[key])
        else:
            by_report[key] = row["doc_id"]
    return changes


def _report_key(row: Mapping, figures: Optional[str]) -> Optional[Tuple]:
    department = row.get("department_key") or ""
    if row.get("year") is None or not department or department.startswith(":") or figures is None:
        return None
    return (department, int(row["year"]), row.get("report"), row.get("entity_level"), figures)


def signatures_arrow(facts: pa.Table) -> Dict[str, Optional[str]]:
    """``source → figures_signature`` from a facts table."""
    grouped: Dict[str, List[Tuple]] = {}
    columns = [facts.column(n).to_pylist() for n in ("source",) + FIGURE]
    for source, *figure in zip(*columns):
        grouped.setdefault(source, []).append(figure)
    return {source: figures_signature(rows) for source, rows in grouped.items()}


def apply_arrow(
    tables: Mapping[str, pa.Table], order: Optional[Sequence[str]] = None
) -> Dict[str, pa.Table]:
    """The tables of a per-partition run (``documents`` and ``facts``
    required, any others) marked as the batch run marks them."""
    documents = tables["documents"]
    changes = plan(documents.to_pylist(), signatures_arrow(tables["facts"]), order)
    return {name: _rewrite(table, changes, name in WITH_DUPLICATE_OF) for name, table in tables.items()}


def _rewrite(table: pa.Table, changes, with_duplicate_of: bool) -> pa.Table:
    if not changes or table.num_rows == 0:
        return table
    sources = table.column("source").to_pylist()
    replace = [("doc_id", 0)] + ([("duplicate_of", 1)] if with_duplicate_of else [])
    for name, at in replace:
        old = table.column(name).to_pylist()
        new = [changes[s][at] if s in changes else v for s, v in zip(sources, old)]
        index = table.schema.get_field_index(name)
        table = table.set_column(index, table.schema.field(index), pa.array(new, pa.string()))
    return table


def spark_mark(frames: Mapping[str, "object"], order: Optional[Sequence[str]] = None):
    """:func:`apply_arrow` for the Spark DataFrames of
    ``gongkai.spark.extract`` (``documents`` and ``facts`` required).

    The figures are hashed per document with one aggregation of ``facts``
    (a shuffle of one small row per document), the documents' small rows
    are collected to plan, and the changes — one row per duplicate — are
    broadcast and joined back by ``source``."""
    from pyspark.sql import functions as F

    facts, documents = frames["facts"], frames["documents"]
    spark = documents.sparkSession
    figure = F.concat_ws(
        "\x1f",
        *[F.coalesce(F.col(c).cast("string"), F.lit("")) for c in ("table", "code", "line", "column")],
        F.coalesce(F.col("value").cast("string"), F.lit("")),
    )
    hashed = facts.groupBy("source").agg(
        F.sha2(F.concat_ws("\x1e", F.sort_array(F.collect_list(figure))), 256).alias("figures")
    )
    rows = (
        documents.select("source", "sha256", "doc_id", "department_key", "year", "report", "entity_level")
        .join(hashed, "source", "left")
        .collect()
    )
    changes = plan(
        [r.asDict() for r in rows], {r["source"]: r["figures"] for r in rows}, order
    )
    if not changes:
        return dict(frames)
    marks = spark.createDataFrame(
        [(s, d, f) for s, (d, f) in sorted(changes.items())],
        "source string, __doc_id string, __duplicate_of string",
    )
    marked = {}
    for name, frame in frames.items():
        joined = frame.join(F.broadcast(marks), "source", "left")
        joined = joined.withColumn("doc_id", F.coalesce("__doc_id", "doc_id"))
        if name in WITH_DUPLICATE_OF:
            joined = joined.withColumn("duplicate_of", F.coalesce("__duplicate_of", "duplicate_of"))
        marked[name] = joined.select(*frame.columns)
    return marked
