"""gongkai: Chinese government budget and final-accounts reports (部门预算 /
部门决算公开) into one checked dataset, as Arrow tables.

``extract`` runs the gongkai pipeline — the same code, limits and messages
as ``gongkai extract`` — and returns its outputs as ``pyarrow.Table``\\ s
with the columns of the CSV files and the types of the Parquet files:
``year``, ``page``, ``row`` (and the other counts) ``int32``, amounts
``decimal128(38, 6)`` (exact), the rest ``string``; an empty cell is null.
The reports of the batch are then compared across reports, as ``gongkai
extract`` compares them (``Result.reconciliation``, the rows of
``reconciliation.csv``; the cross-report findings at the end of
``findings``); ``reconcile`` compares the reports of finished output
folders. ``gongkai.spark`` and ``gongkai.dask`` run it per partition on a
cluster (each document on its own: no reconciliation there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import pyarrow as pa

from . import _native

__all__ = [
    "extract",
    "reconcile",
    "Result",
    "Reconciliation",
    "OUTPUTS",
    "schema",
    "list_inputs",
    "__version__",
]

__version__ = _native.version()

#: The tables of every result, in the order of the CSV files.
OUTPUTS = (
    "facts",
    "documents",
    "checks",
    "findings",
    "issues",
    "indicators",
    "indicator_fields",
)

Source = Union[str, "os.PathLike[str]", Tuple[str, bytes]]


@dataclass
class Result:
    """The outputs of one extraction, as ``pyarrow.Table``\\ s."""

    facts: pa.Table
    documents: pa.Table
    checks: pa.Table
    findings: pa.Table
    issues: pa.Table
    indicators: pa.Table
    indicator_fields: pa.Table
    #: the wide tables found (``tables/<key>.csv``), by table key
    tables: Dict[str, pa.Table] = field(default_factory=dict)
    #: counts: files, ok, partial, failed, skipped, facts, duplicates
    summary: Dict[str, int] = field(default_factory=dict)
    #: the batch's reports compared across reports (``reconciliation.csv``)
    reconciliation: Optional[pa.Table] = None

    def __getitem__(self, name: str) -> pa.Table:
        return getattr(self, name)


@dataclass
class Reconciliation:
    """The reports of output folders compared across reports."""

    #: the rows of ``reconciliation.csv``, typed as its datapackage schema
    reconciliation: pa.Table
    #: the cross-report findings (``across_reports:*`` rows of findings.csv)
    findings: pa.Table
    #: counts: reports, comparisons, agrees, differs, missing_counterpart
    summary: Dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pa.Table:
        return getattr(self, name)


def _limit_assignments(limits: Union[None, Mapping[str, Any], Iterable[str]]) -> List[str]:
    """``{"file-bytes": 10_000_000}`` or ``["file-bytes=10000000"]`` as the
    CLI's ``--limit`` assignments."""
    if limits is None:
        return []
    if isinstance(limits, Mapping):
        return [f"{name}={value}" for name, value in limits.items()]
    if isinstance(limits, str):
        return [limits]
    return [str(assignment) for assignment in limits]


def _split_sources(sources) -> Tuple[List[str], List[Tuple[str, bytes]]]:
    if isinstance(sources, (str, os.PathLike)) or _is_pair(sources):
        sources = [sources]
    paths: List[str] = []
    pairs: List[Tuple[str, bytes]] = []
    for source in sources:
        if _is_pair(source):
            name, content = source
            pairs.append((str(name), bytes(content)))
        elif isinstance(source, (str, os.PathLike)):
            paths.append(os.fspath(source))
        else:
            raise TypeError(
                f"a source is a path, a folder or a (name, bytes) pair, not {type(source).__name__}"
            )
    return paths, pairs


def _is_pair(source) -> bool:
    return (
        isinstance(source, tuple)
        and len(source) == 2
        and isinstance(source[1], (bytes, bytearray, memoryview))
    )


def _result(raw: Dict[str, Any]) -> Result:
    tables = {name: pa.Table.from_batches([raw[name]]) for name in OUTPUTS}
    wide = {key: pa.Table.from_batches([batch]) for key, batch in raw["tables"].items()}
    return Result(
        **tables,
        tables=wide,
        summary=dict(raw["summary"]),
        reconciliation=pa.Table.from_batches([raw["reconciliation"]]),
    )


def extract(
    sources: Union[Source, Iterable[Source]],
    patterns: Optional[Union[str, "os.PathLike[str]"]] = None,
    limits: Union[None, Mapping[str, Any], Iterable[str]] = None,
    jobs: Optional[int] = None,
) -> Result:
    """Extract reports into Arrow tables.

    ``sources``: a path, a folder, a ``(name, bytes)`` pair, or a list of
    them. Paths and folders are listed as ``gongkai extract`` lists them
    (folders walked, files sorted by their path relative to the folder,
    ``source`` that relative path); the pairs follow in the order given,
    ``source`` their name. ``patterns``: a pattern folder (default: the
    built-in patterns). ``limits``: ``{"file-bytes": …, "pages": …}`` as
    ``--limit``. ``jobs``: worker threads (default: every core).

    A file that cannot be read is a ``failed`` row of ``documents``; bad
    arguments (a pattern folder that does not load, an unknown limit, a
    path that does not exist) raise ``ValueError``/``OSError`` with the
    CLI's message. The GIL is released while documents are processed.
    """
    paths, pairs = _split_sources(sources)
    raw = _native.extract(paths, pairs, _path(patterns), _limit_assignments(limits), jobs)
    return _result(raw)


def reconcile(
    folders: Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]],
    patterns: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> Reconciliation:
    """Compare the reports of finished output folders (``gongkai extract``
    or ``merge`` output, ``datapackage.json`` present) across reports, as
    ``gongkai reconcile OUT… -o DIR`` does: a department against its units,
    a budget against its final accounts, a year against the year before.
    The folders are read, never written; a ``doc_id`` found in two is read
    once. ``patterns``: a pattern folder (its ``reconcile.toml``; default
    the built-in patterns). A folder that is not a finished output raises
    ``OSError``."""
    if isinstance(folders, (str, os.PathLike)):
        folders = [folders]
    raw = _native.reconcile([os.fspath(f) for f in folders], _path(patterns))
    return Reconciliation(
        reconciliation=pa.Table.from_batches([raw["reconciliation"]]),
        findings=pa.Table.from_batches([raw["findings"]]),
        summary=dict(raw["summary"]),
    )


def _path(path) -> Optional[str]:
    return None if path is None else os.fspath(path)


def list_inputs(paths: Iterable[Union[str, "os.PathLike[str]"]]) -> List[Tuple[str, str]]:
    """``(path, source)`` of every input file ``gongkai extract PATHS``
    would read, in its order: what to distribute over a cluster."""
    return [tuple(pair) for pair in _native.list_inputs([os.fspath(p) for p in paths])]


def schema(output: str = "facts") -> pa.Schema:
    """The Arrow schema of one output (``facts``, ``documents``, …)."""
    return _native.extract([], [])[output].schema


def extract_batch(
    pairs: List[Tuple[str, bytes]],
    files: List[Tuple[str, str]],
    patterns=None,
    limits=None,
) -> Dict[str, pa.RecordBatch]:
    """Extract documents for a cluster task: each one processed on its own
    (its rows depend on its bytes and name only, never on the other
    documents of the partition), one thread. ``pairs``: ``(source,
    bytes)``; ``files``: ``(source, path)``, read by gongkai (a file that
    cannot be read is a ``failed`` row)."""
    return _native.extract(
        [], pairs, _path(patterns), _limit_assignments(limits), 1, True, files
    )
