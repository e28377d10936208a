#!/usr/bin/env bash
# What the stage across reports (reconciliation.csv) adds to a corpus run.
#
#   scripts/bench_reconcile.sh [N] [ROUNDS]   # N documents (default 500)
#                                             # built from ../shared/corpus/pdf
#                                             # and ../shared/corpus/national
#
# `extract` runs the stage over its output before publishing it; the same
# work alone is `gongkai reconcile OUT -o NEW` (read documents.csv and
# facts.csv, compare, write reconciliation.csv and the findings). Each
# round runs `extract -j 2` into a fresh folder (no run cache) and then
# `reconcile` on that output; the share is the median reconcile time over
# the median extract time less it (the run without the stage). Copies get a
# distinct trailing comment so every document has its own hash (copies of
# one report are then duplicates, left out of the comparisons but read).
# Needs GNU time (apt-get install time).
set -euo pipefail
N=${1:-500}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED="$ROOT/../shared/corpus"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --locked --quiet --manifest-path "$ROOT/Cargo.toml"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/gongkai"

mkdir -p "$WORK/in"
mapfile -t sources < <(ls "$SHARED"/pdf/*/*.pdf "$SHARED"/national/*.pdf | sort)
for ((i = 0; i < N; i++)); do
  src=${sources[$((i % ${#sources[@]}))]}
  { cat "$src"; printf '\n%% gongkai bench copy %d\n' "$i"; } > "$WORK/in/doc_$(printf %05d "$i").pdf"
done
echo "corpus: $N PDF documents (from ${#sources[@]} distinct files)"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > /dev/null 2>&1
  read -r seconds kb < "$WORK/time"
  printf '%-16s %8.2f s %8.1f MB peak RSS\n' "$label" "$seconds" "$(echo "$kb / 1024" | bc -l)"
  echo "$seconds" > "$WORK/$label.s"
}

for ((r = 1; r <= ROUNDS; r++)); do
  rm -rf "$WORK/out" "$WORK/across"
  measure "extract #$r" "$BIN" extract "$WORK/in" -o "$WORK/out" -j 2
  measure "reconcile #$r" "$BIN" reconcile "$WORK/out" -o "$WORK/across"
done
wc -l "$WORK/out/facts.csv" "$WORK/across/reconciliation.csv"
median() {
  cat "$WORK/$1 #"*.s | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
te=$(median extract); tr=$(median reconcile)
printf 'medians over %d rounds: extract (with the stage) %.2f s, reconcile alone %.3f s\n' "$ROUNDS" "$te" "$tr"
printf 'the stage adds %.1f %% to the run without it\n' "$(echo "100 * $tr / ($te - $tr)" | bc -l)"
