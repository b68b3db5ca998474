#!/bin/bash
# Compare what two nblint binaries print, byte for byte, over every input we have.
#
#   bash scripts/same-output.sh OLD_BINARY NEW_BINARY
#
# Used for refactorings that must not change output: build the old commit's
# release binary, copy it somewhere (cp target/release/nblint /tmp/nblint-old),
# make the change, build again, and run this script. Each case prints "same" or
# "DIFF" with the first lines of the difference; the exit status is 1 if any
# case differs. Cases whose input folder is missing (../shared/…, the benchmark
# corpus made by `cargo bench --bench corpus`) are skipped with a line saying so.
set -u
O=$(realpath "$1"); N=$(realpath "$2")
cd "$(dirname "$0")/.."
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
run() { # name, args...
  local name=$1; shift
  "$O" "$@" >"$T/o.out" 2>"$T/o.err"; echo "rc=$?" >>"$T/o.out"
  "$N" "$@" >"$T/n.out" 2>"$T/n.err"; echo "rc=$?" >>"$T/n.out"
  if cmp -s "$T/o.out" "$T/n.out" && cmp -s "$T/o.err" "$T/n.err"; then
    echo "same  $name"
  else
    echo "DIFF  $name"; fail=1
    diff "$T/o.out" "$T/n.out" | head -5; diff "$T/o.err" "$T/n.err" | head -5
  fi
}
need() { [ -e "$1" ] || { echo "skip  $2 ($1 not found)"; return 1; }; }
for f in json human short sarif junit github html; do run "reports $f" check -f "$f" fixtures/reports; done
run "fixtures json" check -f json --no-config fixtures
run "ci-repo json" check -f json fixtures/ci-repo
need ../shared/seeds seeds && { run "seeds json" check -f json ../shared/seeds; run "seeds human" check ../shared/seeds; }
need ../shared/corpus corpus && run "corpus json" check -f json ../shared/corpus
need target/bench-corpus/1000 bench1000 && run "bench1000 json" check -f json target/bench-corpus/1000
run "en json" check -f json --lang en fixtures/reports
run "rules" rules
run "rules json" rules --format json
run "explain NB203" explain NB203
run "explain en" explain --lang en NB304
for d in fixtures/broken-rules/*/ fixtures/user-rules/*/; do
  [ -d "$d" ] && run "rules dir $d" check --rules "$d" fixtures/reports
done
exit $fail
