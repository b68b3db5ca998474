#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS seconds (default 300), each seeded with our own
# fixtures. cargo-fuzz needs a nightly compiler; on stable, RUSTC_BOOTSTRAP=1 lets it use the
# unstable sanitizer flags:
#
#   cargo install cargo-fuzz
#   RUSTC_BOOTSTRAP=1 bash fuzz/run.sh 300
#   RUSTC_BOOTSTRAP=1 bash fuzz/run.sh 300 read lint    # only these targets
#
# Crashes are written to fuzz/artifacts/<target>/; replay one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-300}"
fx=../fixtures
seed() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "corpus/$target/$(basename "$f")"
  done
}
seed docx $fx/inputs/qingshan.docx $fx/rules/unreadable-file/*.docx
seed html $fx/inputs/qingshan.html $fx/rules/unreadable-file/*.html
seed pdf $fx/inputs/*.pdf $fx/rules/unreadable-file/*.pdf $fx/rules/no-text-layer/*.pdf
seed read $fx/inputs/qingshan.md $fx/reports/* $fx/rules/unreadable-file/*
seed lint $fx/inputs/qingshan.md $fx/reports/* $fx/rules/*/bad-*.md $fx/rules/*/bad-*.txt
mkdir -p corpus/rules
for f in ../rules/*.toml ../rules/templates/*.toml; do
  # The target takes the first byte as a switch (odd: a template file).
  case "$f" in
    */templates/*) { printf '\001'; cat "$f"; } > "corpus/rules/$(basename "$f")" ;;
    *) { printf '\000'; cat "$f"; } > "corpus/rules/$(basename "$f")" ;;
  esac
done
targets=("${@:2}")
[ ${#targets[@]} -gt 0 ] || targets=(docx html pdf read lint rules)
for t in "${targets[@]}"; do
  echo "== $t: ${secs}s"
  cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 2>&1 \
    | grep -E '^(#[0-9]+ +DONE|Done|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|stat::)' || true
done
