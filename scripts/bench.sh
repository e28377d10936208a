#!/usr/bin/env bash
# Benchmark: gongkai's full pipeline (extract, check, write CSV, Parquet and
# datapackage.json) against
# poppler's `pdftotext -layout` on the same PDFs, in the same run.
#
#   scripts/bench.sh [N] [ROUNDS]   # N documents (default 200), built from
#                                   # tests/fixtures and ../shared/corpus/pdf;
#                                   # ROUNDS of -j 1 / -j 2 (default 3)
#
# The -j 1 and -j 2 runs alternate, ROUNDS times, and the ratios are taken
# from their medians: on a shared machine one run's speed can move by a
# third, and alternating puts both settings through the same spells.
#
# Copies get a distinct trailing comment so every document has its own hash.
# Prints documents/s, pages/s and peak RSS for gongkai with 1 and 2 threads
# (each into a fresh output folder: no run cache), for a second run over an
# unchanged corpus (everything from the cache), and for pdftotext (one
# process per file, as a batch would run it), and the ratios. The text
# sample is left out: pdftotext reads only the PDFs, and pages are counted
# with pdfinfo. Needs poppler-utils and GNU time (apt-get install poppler-utils time).
set -euo pipefail
N=${1:-200}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS="$ROOT/../shared/corpus/pdf"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN="$ROOT/target/release/gongkai"

mkdir -p "$WORK/in"
mapfile -t sources < <( { ls "$CORPUS"/*/*.pdf 2>/dev/null || true; ls "$ROOT"/tests/fixtures/*.pdf; } | sort)
for ((i = 0; i < N; i++)); do
  src=${sources[$((i % ${#sources[@]}))]}
  { cat "$src"; printf '\n%% gongkai bench copy %d\n' "$i"; } > "$WORK/in/doc_$(printf %05d "$i").pdf"
done
pages=0
for f in "$WORK"/in/*.pdf; do
  p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  pages=$((pages + ${p:-0}))
done
echo "corpus: $N PDF documents, $pages pages (from ${#sources[@]} distinct files)"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" > /dev/null 2>&1 || true
  read -r seconds kb user sys < "$WORK/time"
  printf '%-22s %8.2f s %10.1f docs/s %10.1f pages/s %8.1f MB peak RSS %8.1f s CPU\n' \
    "$label" "$seconds" "$(echo "$N / $seconds" | bc -l)" "$(echo "$pages / $seconds" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$(echo "$user + $sys" | bc -l)"
  echo "$seconds" > "$WORK/$label.s"
}

for ((r = 1; r <= ROUNDS; r++)); do
  rm -rf "$WORK/out1" "$WORK/out2"
  measure "gongkai -j 1 #$r" "$BIN" extract "$WORK/in" -o "$WORK/out1" -j 1
  measure "gongkai -j 2 #$r" "$BIN" extract "$WORK/in" -o "$WORK/out2" -j 2
done
measure "gongkai rerun -j 2" "$BIN" extract "$WORK/in" -o "$WORK/out2" -j 2
measure "pdftotext -layout" bash -c 'for f in "$1"/in/*.pdf; do pdftotext -layout "$f" /dev/null; done' _ "$WORK"
median() { # label prefix → median seconds over the rounds
  cat "$WORK/$1 #"*.s | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
t1=$(median "gongkai -j 1"); t2=$(median "gongkai -j 2"); tp=$(cat "$WORK/pdftotext -layout.s")
printf 'medians over %d rounds: -j 1 %.2f s (%.1f pages/s), -j 2 %.2f s (%.1f pages/s)\n' \
  "$ROUNDS" "$t1" "$(echo "$pages / $t1" | bc -l)" "$t2" "$(echo "$pages / $t2" | bc -l)"
printf 'gongkai -j 1 vs pdftotext: %.2fx the page rate\n' "$(echo "$tp / $t1" | bc -l)"
printf 'gongkai -j 2 vs -j 1:      %.2fx\n' "$(echo "$t1 / $t2" | bc -l)"
