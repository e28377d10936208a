#!/usr/bin/env bash
# Time `gongkai site` on the corpus and the seed: without page images (the
# median of five runs) and with them (pdftoppm renders each page a table or a
# failed check is on). Usage: scripts/bench_site.sh [GONGKAI_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/gongkai}
[ -x "$bin" ] || cargo build --release -q
corpus=../shared/corpus/pdf
[ -d "$corpus" ] || { echo "$corpus is absent: nothing to measure" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
(cd "$corpus" && find . -type f -name '*.pdf') | while read -r f; do
  mkdir -p "$work/in/corpus/$(dirname "$f")"; ln -s "$(realpath "$corpus/$f")" "$work/in/corpus/$f"
done
ln -s "$(realpath samples/liaoning_panjin_dawa_smart_city_2023_final.txt)" "$work/in/"
"$bin" extract "$work/in" -o "$work/out" --no-parquet >/dev/null 2>&1 || true
docs=$(($(wc -l < "$work/out/documents.csv") - 1))
times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N); "$bin" site "$work/out" -o "$work/site" --no-images 2>/dev/null; end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
start=$(date +%s.%N); "$bin" site "$work/out" -o "$work/site-images" --sources "$work/in" 2>"$work/log"; end=$(date +%s.%N)
with=$(echo "$end - $start" | bc)
images=$(find "$work/site-images/pages" -name '*.png' 2>/dev/null | wc -l)
size=$(du -sh "$work/site-images" | cut -f1)
printf 'site for %d reports: %.3f s without page images (median of 5); %.1f s with %d page images (%s)\n' \
  "$docs" "$median" "$with" "$images" "$size"
