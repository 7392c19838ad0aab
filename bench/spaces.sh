#!/usr/bin/env bash
# Community-space targets of issue #9 on the embedded SQLite default, in one run on this machine: a month's
# availability of one space (< 5 ms) and bookings per second sustained (≥ 1,000/s). The 1,000 concurrent requests
# for one slot are a test (tests/it/spaces_load.rs), not a figure.
# Usage: bash bench/spaces.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p dolbom --example spaces_bench
