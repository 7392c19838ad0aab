#!/usr/bin/env bash
# Issue #12's slow-phone target: each key resident page under 100 KB of HTML + CSS + JS over the wire and a first
# contentful paint under 1.5 s on Lighthouse's mobile profile (bench/slow-phone.mjs). Usage: bash bench/slow-phone.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --release -q -p dolbom
(cd e2e && npm ci --silent >/dev/null)
node bench/slow-phone.mjs "$(realpath "$target_dir/release/dolbom")" "${1:-5}"
