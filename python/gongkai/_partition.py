"""What a cluster task runs: one partition's documents through gongkai,
each on its own, into the Arrow batches of the outputs asked for.

Every row depends only on its document's bytes and its ``source`` — never
on which other documents share the partition, nor on the order the
partitions run in — so a retried or speculative task writes the same rows,
and ``doc_id`` is what ``gongkai extract`` gives: the first 16 hex digits
of the document's SHA-256 (or, for a document that could not be read, the
hash of its ``source``). What a batch run decides *across* documents — a
later file with the same bytes as an earlier one, a copy of a report in
another file (``duplicate_of``) — is not decided per partition: see
``gongkai.duplicates``.
"""

from __future__ import annotations

import os
import posixpath
from typing import Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import unquote

import pyarrow as pa

from . import extract_batch


def _strip_scheme(path: str) -> str:
    if path.startswith("file://"):
        path = path[len("file://") :]
    elif path.startswith("file:"):
        path = path[len("file:") :]
    return path


def source_of(path: str, roots: Sequence[str]) -> str:
    """A file's ``source``: its path relative to the first of ``roots``
    holding it (as ``gongkai extract ROOT…`` names it), else the path
    itself."""
    plain = _strip_scheme(path)
    for root in roots:
        root = _strip_scheme(root).rstrip("/") + "/"
        for candidate in (plain, unquote(plain)):
            if candidate.startswith(root):
                return candidate[len(root) :]
    return plain


def roots_of(root) -> List[str]:
    if root is None:
        return []
    if isinstance(root, (str, os.PathLike)):
        return [os.fspath(root)]
    return [os.fspath(r) for r in root]


def empty_batch(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)


def run_pairs(
    pairs: List[Tuple[str, bytes]],
    files: List[Tuple[str, str]],
    outputs: Iterable[str],
    patterns=None,
    limits=None,
) -> Dict[str, pa.RecordBatch]:
    raw = extract_batch(pairs, files, patterns=patterns, limits=limits)
    return {name: raw[name] for name in outputs}


def normalise_path(path: str) -> str:
    return posixpath.normpath(path)
