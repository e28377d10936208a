#!/usr/bin/env bash
# Benchmark: OCR of scanned reports and the gate that skips scanned
# non-reports, on one core, against plain Tesseract on the same pages in
# the same run.
#
#   scripts/bench_scans.sh [PAGES]   # the seed's pages 1-PAGES (default 28)
#
# Makes (scripts/make_scans.py) the seed's LibreOffice rendering scanned
# as 300 dpi grey JPEG, and (scripts/make_nonreports.py) twenty scanned
# notices and letters; then measures, with GNU time:
#   - `gongkai extract -j 1` on the scan: seconds (wall and CPU) per page;
#   - the reference: `pdftoppm -r 300` and `tesseract -l chi_sim --psm 6`
#     (one thread) on each page of the same scan, one page at a time;
#   - `gongkai extract -j 1` on the twenty non-reports: seconds per
#     document (each is skipped by the gate).
# CPU seconds (user + system, gongkai's and its programs') are what a
# busy shared machine does not move much; wall seconds are printed too.
# Needs poppler-utils, tesseract-ocr-chi-sim, Python's Pillow, GNU time.
set -euo pipefail
PAGES=${1:-28}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet --locked --manifest-path "$ROOT/Cargo.toml"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/gongkai"

python3 "$ROOT/scripts/make_scans.py" "$ROOT/tests/fixtures/seed_libreoffice.pdf" "$WORK/scan" \
  --pages "1-$PAGES" --variants grey300 2> /dev/null
python3 "$ROOT/scripts/make_nonreports.py" "$WORK/nonreports" 2> /dev/null

measure() { # label, units, unit name, command...
  local label=$1 units=$2 unit=$3; shift 3
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" > /dev/null 2>&1 || true
  read -r wall user sys < "$WORK/time"
  local cpu
  cpu=$(echo "$user + $sys" | bc -l)
  printf '%-34s %8.1f s wall %8.1f s CPU   %6.2f s CPU per %s (%.2f s wall)\n' \
    "$label" "$wall" "$cpu" "$(echo "$cpu / $units" | bc -l)" "$unit" "$(echo "$wall / $units" | bc -l)"
  echo "$cpu" > "$WORK/$label.cpu"
}

measure "gongkai -j 1, scanned report" "$PAGES" page \
  "$BIN" extract "$WORK/scan" -o "$WORK/out" -j 1 --no-parquet --limit doc-seconds=0
measure "pdftoppm + tesseract per page" "$PAGES" page bash -c '
  for ((p = 1; p <= $2; p++)); do
    pdftoppm -r 300 -gray -f $p -l $p -singlefile "$1/scan/grey300.pdf" "$1/page"
    OMP_THREAD_LIMIT=1 tesseract "$1/page.pgm" - -l chi_sim --psm 6 > /dev/null 2>&1
  done' _ "$WORK" "$PAGES"
measure "gongkai -j 1, 20 non-reports" 20 document \
  "$BIN" extract "$WORK/nonreports" -o "$WORK/out-non" -j 1 --no-parquet
skipped=$(grep -c ',skipped,scanned, not a budget report' "$WORK/out-non/documents.csv" || true)
echo "non-reports skipped by the gate: $skipped of 20"
printf 'gongkai per scanned page vs plain Tesseract per page: %.2fx the CPU\n' \
  "$(echo "$(cat "$WORK/gongkai -j 1, scanned report.cpu") / $(cat "$WORK/pdftoppm + tesseract per page.cpu")" | bc -l)"
