#!/usr/bin/env bash
# Builds the browser page nblint.html: the library compiled to WebAssembly (web/src/lib.rs),
# inlined into the same view as `nblint check --format html` (src/emit/web/).
#
#   bash web/build.sh [out.html]      # default: ./nblint.html
#
# Needs only a Rust toolchain; adds the wasm32-unknown-unknown target through rustup when it
# is missing. Uses wasm-opt (binaryen) to shrink the module when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-nblint.html}"
target=wasm32-unknown-unknown
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
cargo build --profile web --lib --target "$target" -p nblint-web
dir="${CARGO_TARGET_DIR:-target}/$target/web"
wasm="$dir/nblint_web.wasm"
if command -v wasm-opt >/dev/null 2>&1; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$wasm" -o "$dir/nblint_web.opt.wasm"
  wasm="$dir/nblint_web.opt.wasm"
fi
cargo run --release -q -p nblint-web --bin nblint-page -- "$wasm" "$out"
