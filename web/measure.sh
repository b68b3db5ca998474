#!/usr/bin/env bash
# The page's size and its speed in headless Chromium (docs/performance.md):
#
#   bash web/measure.sh [page.html] [files…]    # default: target/nblint.html, fixtures/inputs/*
#
# Builds the page when it is missing. Needs Chromium (CHROMIUM, default /usr/bin/chromium)
# and Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
page="${1:-target/nblint.html}"
shift || true
[ -f "$page" ] || bash web/build.sh "$page"
if [ "$#" -eq 0 ]; then
  set -- fixtures/inputs/qingshan.docx fixtures/inputs/qingshan.pdf \
    fixtures/inputs/qingshan-libreoffice.pdf fixtures/inputs/qingshan.html fixtures/inputs/qingshan.md
fi
mkdir -p target/browser
echo "page: $(wc -c <"$page") bytes"
node tests/browser/check.mjs "${CHROMIUM:-/usr/bin/chromium}" "$page" target/browser/measure.png "$@" |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const r = JSON.parse(s);
    console.log(`load to findings of ${r.files.length} file(s): ${r.first_ms} ms`);
    for (const [f, ms] of Object.entries(r.ms)) console.log(`${f}: ${ms} ms per check (fastest of 5)`);
  });'
