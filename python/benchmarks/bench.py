"""Overhead of the Python package against the CLI, in the same run.

    python python/benchmarks/bench.py [--runs 3] [--spark] [FOLDER…]   (default: the corpus)

(in its own folder, so the source gongkai/ does not shadow the installed
package; run it from any folder but python/).

Times, alternating so both see the same machine load: ``gongkai extract
FOLDER -o TMP`` (the CLI, its default outputs) and
``gongkai.extract(FOLDER)`` (Arrow tables in memory), ``--runs`` times
each; prints the medians and their ratio. With ``--spark``, also
``gongkai.spark.extract`` on ``local[2]`` (facts counted: the job runs),
the session's start-up timed apart. Pages per core-second are the
corpus's pages (documents.pages) over the CLI's median time and the cores
it used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gongkai

REPO = Path(__file__).resolve().parents[2]


def cli_binary() -> str:
    if os.environ.get("GONGKAI_BIN"):
        return os.environ["GONGKAI_BIN"]
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str(target / "release" / "gongkai")


def time_cli(folders, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(
        [cli_binary(), "extract", *map(str, folders), "-o", str(out)],
        capture_output=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(done.stderr.decode())
    return elapsed


def time_python(folders):
    started = time.perf_counter()
    result = gongkai.extract(folders)
    return time.perf_counter() - started, result


def time_spark(folders):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import gongkai.spark

    started = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    start_up = time.perf_counter() - started
    started = time.perf_counter()
    df = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load([str(f) for f in folders])
    )
    facts = gongkai.spark.extract(df, root=[str(f) for f in folders]).count()
    job = time.perf_counter() - started
    spark.stop()
    return start_up, job, facts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="*", default=[str(REPO.parent / "shared" / "corpus" / "pdf")])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spark", action="store_true")
    args = parser.parse_args()
    folders = [Path(f) for f in args.folders]
    if not all(f.exists() for f in folders):
        print(f"SKIPPED: {', '.join(map(str, folders))} absent")
        return
    cli, py = [], []
    with tempfile.TemporaryDirectory() as tmp:
        # one warm-up of each (file cache, the library's pattern compile)
        time_cli(folders, Path(tmp) / "out")
        _, result = time_python(folders)
        for _ in range(args.runs):
            cli.append(time_cli(folders, Path(tmp) / "out"))
            py.append(time_python(folders)[0])
    pages = sum(p or 0 for p in result.documents.column("pages").to_pylist())
    cores = os.cpu_count() or 1
    c, p = statistics.median(cli), statistics.median(py)
    print(f"files: {result.documents.num_rows}, pages: {pages}, facts: {result.facts.num_rows}, cores: {cores}")
    print(f"CLI     median {c:.2f} s  runs {' '.join(f'{t:.2f}' for t in cli)}")
    print(f"Python  median {p:.2f} s  runs {' '.join(f'{t:.2f}' for t in py)}")
    print(f"Python / CLI: {p / c:.3f}")
    print(f"pages per core-second (CLI): {pages / (c * cores):.1f}")
    if args.spark:
        start_up, job, facts = time_spark(folders)
        print(f"Spark local[2]: session start {start_up:.1f} s, extract+count {job:.1f} s ({facts} facts)")


if __name__ == "__main__":
    main()
