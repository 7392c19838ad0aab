#!/usr/bin/env bash
# Places targets of issue #5, in one run on this machine:
#  - k = 20 nearest with filters over 100,000 facilities (p50/p99), beside a linear scan;
#  - 행정동 lookup of 1,000,000 points on every core;
#  - the map page of the demo district: bytes transferred and time until interactive in headless Chromium.
# Usage: bash bench/places.sh [facilities]
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
cargo run --release -q -p dolbom --example places_bench -- "${1:-100000}"
cargo build --release -q -p dolbom
[ -d e2e/node_modules/playwright-core ] || npm --prefix e2e ci --no-audit --no-fund
node bench/map.mjs "$(realpath "$target_dir/release/dolbom")" 10
