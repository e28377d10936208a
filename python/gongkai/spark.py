"""gongkai on Spark: ``extract(df)`` for a DataFrame read with
``spark.read.format("binaryFile")``.

Each partition's documents are extracted where they are, with
``mapInArrow`` — no shuffle: the checks and the review are per document —
and come back as Spark DataFrames with the Parquet files' schema (amounts
``decimal(38,6)``, ``year``/``page``/``row`` ``int``). Rows are keyed by
the document's SHA-256 (``doc_id``) and depend on nothing else, so a
retried task writes the same rows; a file that cannot be read is a
``failed`` row of ``documents``, never a failed task.

Recipe (a folder or bucket of reports → ``facts/`` partitioned)::

    df = (spark.read.format("binaryFile")
          .option("recursiveFileLookup", "true")
          .load("s3a://bucket/reports/"))
    facts = gongkai.spark.extract(df, root="s3a://bucket/reports/")
    facts.write.partitionBy("year", "report").parquet("s3a://bucket/out/facts")
"""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, Optional, Sequence, Union

import pyarrow as pa

from . import OUTPUTS, schema as arrow_schema
from ._partition import roots_of, run_pairs, source_of

__all__ = ["extract", "spark_schema"]


def spark_schema(output: str = "facts"):
    """The Spark schema of one output: the Arrow schema, typed alike."""
    from pyspark.sql import types as T

    def spark_type(kind: pa.DataType):
        if pa.types.is_decimal(kind):
            return T.DecimalType(kind.precision, kind.scale)
        if pa.types.is_int32(kind):
            return T.IntegerType()
        if pa.types.is_string(kind):
            return T.StringType()
        raise TypeError(f"no Spark type for {kind}")

    return T.StructType(
        [T.StructField(f.name, spark_type(f.type), True) for f in arrow_schema(output)]
    )


def _extractor(outputs, roots, patterns, limits):
    """The function ``mapInArrow`` runs over a partition's batches."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            paths = batch.column("path").to_pylist()
            contents = batch.column("content").to_pylist()
            pairs = [(source_of(p, roots), c or b"") for p, c in zip(paths, contents)]
            if not pairs:
                continue
            produced = run_pairs(pairs, [], outputs, patterns=patterns, limits=limits)
            for name in outputs:
                yield produced[name]

    return run


def extract(
    df,
    tables: Union[str, Sequence[str]] = "facts",
    root: Union[None, str, Sequence[str]] = None,
    patterns: Optional[str] = None,
    limits=None,
):
    """Extract the reports of a ``binaryFile`` DataFrame (columns ``path``
    and ``content``).

    ``tables``: one output name (``"facts"``, the default) → one
    DataFrame; a list of names → a dict of DataFrames (the extraction runs
    once per table asked for: ask for what you need, or cache the input
    DataFrame's bytes). ``root``: the folder(s) or bucket prefix(es) read;
    a document's ``source`` is its path relative to the first that holds
    it, as ``gongkai extract ROOT`` names it (default: the full path).
    ``patterns`` must be a folder every executor can read.
    """
    names = [tables] if isinstance(tables, str) else list(tables)
    unknown = [n for n in names if n not in OUTPUTS]
    if unknown:
        raise ValueError(f"no output called {unknown[0]!r}: choose from {', '.join(OUTPUTS)}")
    roots = roots_of(root)
    input_df = df.select("path", "content")
    frames: Dict[str, object] = {}
    for name in names:
        frames[name] = input_df.mapInArrow(
            _extractor([name], roots, patterns, limits), spark_schema(name)
        )
    return frames[names[0]] if isinstance(tables, str) else frames
