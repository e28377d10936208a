#!/usr/bin/env bash
# The Python package's tests: build the wheel (maturin), install it into a
# virtual environment with what the tests need, and run pytest against the
# CLI built from the same checkout.
#
#   python/run_tests.sh            # uses ./.venv-python under the target dir
#   GONGKAI_VENV=/some/venv python/run_tests.sh
#
# A missing tool (python3, pip, the network for the packages) is a clear
# SKIPPED message and exit 0; a failing test is a failure (exit 1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
target="${CARGO_TARGET_DIR:-$repo/target}"
venv="${GONGKAI_VENV:-$target/python-venv}"

skip() { echo "SKIPPED: Python package tests: $*"; exit 0; }

command -v python3 >/dev/null 2>&1 || skip "no python3"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' || skip "python3 older than 3.9"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >/dev/null 2>&1 || skip "cannot create a virtual environment (python3-venv missing?)"
fi
py="$venv/bin/python"
need=()
for module in maturin pyarrow pytest pyspark dask distributed pandas; do
  "$py" -c "import $module" >/dev/null 2>&1 || need+=("$module")
done
if [ "${#need[@]}" -gt 0 ]; then
  pkgs=()
  for m in "${need[@]}"; do
    case "$m" in
      dask|distributed) pkgs+=("dask[dataframe,distributed]") ;;
      *) pkgs+=("$m") ;;
    esac
  done
  "$py" -m pip install -q "${pkgs[@]}" || skip "cannot install ${pkgs[*]} with pip"
fi

# the CLI the tests compare with, from this checkout (the debug build
# `cargo test` has just made, in CI: nothing to rebuild)
if [ -z "${GONGKAI_BIN:-}" ]; then
  (cd "$repo" && cargo build --locked --quiet)
  export GONGKAI_BIN="$target/debug/gongkai"
fi

# the wheel: one abi3 wheel, built in the binding's own target dir
wheels="$target/python-wheels"
rm -rf "$wheels"
(cd "$here" && CARGO_TARGET_DIR="${GONGKAI_PY_TARGET_DIR:-$target/python-binding}" \
  "$venv/bin/maturin" build --release --locked --quiet --out "$wheels" --interpreter "$py")
"$py" -m pip install -q --force-reinstall --no-deps "$wheels"/gongkai-*.whl

# from tests/, with pytest (not `python -m pytest`): the source folder
# gongkai/ (no native module in it) must not shadow the installed package,
# here nor in Spark's Python workers (which start in this folder)
cd "$here/tests"
exec "$venv/bin/pytest" -q . "$@"
