#!/usr/bin/env bash
# Issue #10's board target on this machine: a group's board with 1,000 posts renders a page in < 20 ms, through
# the real router on the embedded SQLite default.
# Usage: bash bench/board.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p dolbom --example board_bench
