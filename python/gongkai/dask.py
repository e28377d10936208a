"""gongkai on Dask: ``extract(paths)`` → a Dask DataFrame.

The input files are listed on the client as ``gongkai extract PATHS``
lists them (same order, same ``source``), cut into partitions of
``files_per_partition`` files, and each partition is read and extracted by
a worker (``dask.dataframe.from_map``). Each document is processed on its
own, so a partition's rows depend only on its files: a retried task gives
the same rows. A file that cannot be read is a ``failed`` row of
``documents``. Columns keep the Arrow types (pandas ``ArrowDtype``:
amounts ``decimal128(38, 6)``, exact).
"""

from __future__ import annotations

import os
from typing import List, Optional, Sequence, Tuple, Union

from . import OUTPUTS, list_inputs, schema as arrow_schema
from ._partition import run_pairs

__all__ = ["extract", "read_partition"]


def _to_pandas(table):
    import pandas as pd

    return table.to_pandas(types_mapper=pd.ArrowDtype)


def read_partition(
    files: Sequence[Tuple[str, str]], table: str = "facts", patterns=None, limits=None
):
    """One partition: ``(path, source)`` files read and extracted by
    gongkai, the output ``table`` as a pandas DataFrame."""
    import pyarrow as pa

    named = [(source, str(path)) for path, source in files]
    produced = run_pairs([], named, [table], patterns=patterns, limits=limits)
    return _to_pandas(pa.Table.from_batches([produced[table]]))


def _chunks(items: List, size: int) -> List[List]:
    size = max(1, int(size))
    return [items[i : i + size] for i in range(0, len(items), size)]


def extract(
    paths: Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]],
    table: str = "facts",
    files_per_partition: int = 4,
    patterns: Optional[str] = None,
    limits=None,
):
    """The output ``table`` (``facts``, ``documents``, …) of the files and
    folders ``paths``, as a Dask DataFrame of one partition per
    ``files_per_partition`` files. Paths must be readable by the workers
    (a shared file system)."""
    import pyarrow as pa
    import dask.dataframe as dd

    if table not in OUTPUTS:
        raise ValueError(f"no output called {table!r}: choose from {', '.join(OUTPUTS)}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = list_inputs(paths)
    meta = _to_pandas(pa.Table.from_pylist([], schema=arrow_schema(table)))
    if not files:
        return dd.from_pandas(meta, npartitions=1)
    return dd.from_map(
        read_partition,
        _chunks(files, files_per_partition),
        table=table,
        patterns=patterns,
        limits=limits,
        meta=meta,
        enforce_metadata=False,
    )
