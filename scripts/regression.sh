#!/usr/bin/env bash
# Run a gongkai binary over the inputs a refactoring must not change — the
# sample, the committed fixtures and (when ../shared is there) the corpus —
# into OUT/{seed,fixtures,corpus}, plus `gongkai check` on a copy of the
# corpus output (OUT/corpus_recheck), and the corpus as `pdftotext -layout`
# text (OUT/corpus_text) when poppler is installed.
#
#   scripts/regression.sh BINARY OUT
#
# Then compare two such folders with scripts/compare_outputs.py, e.g.
#   cp target/release/gongkai /tmp/gongkai-before   # on the old commit
#   scripts/regression.sh /tmp/gongkai-before /tmp/before
#   cargo build --release && scripts/regression.sh target/release/gongkai /tmp/after
#   for d in seed fixtures corpus corpus_recheck corpus_text; do
#     scripts/compare_outputs.py /tmp/before/$d /tmp/after/$d; done
set -euo pipefail
binary=$1
out=$2
root="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$out"
mkdir -p "$out"
run() { "$binary" extract "$2" -o "$out/$1" -j 2 >/dev/null 2>"$out/$1.log" || true; tail -1 "$out/$1.log"; }
run seed "$root/samples"
run fixtures "$root/tests/fixtures"
if [ -d "$root/../shared/corpus/pdf" ]; then
  run corpus "$root/../shared/corpus/pdf"
  cp -r "$out/corpus" "$out/corpus_recheck"
  "$binary" check "$out/corpus_recheck" 2>&1 | tail -1 || true
  # the corpus as pdftotext -layout text: the layout-text reader on real reports
  if command -v pdftotext >/dev/null; then
    texts="$out/corpus_text_inputs"
    mkdir -p "$texts"
    for pdf in "$root"/../shared/corpus/pdf/*/*.pdf; do
      pdftotext -layout "$pdf" "$texts/$(basename "${pdf%.pdf}").txt" 2>/dev/null
    done
    run corpus_text "$texts"
  else
    echo "pdftotext absent: the corpus as layout text not run"
  fi
else
  echo "../shared/corpus/pdf absent: corpus not run"
fi
