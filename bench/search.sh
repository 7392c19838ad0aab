#!/usr/bin/env bash
# Search and eligibility targets of issue #4, each measured in one run on this machine:
#  - the Korean search over 100,000 generated services vs LIKE '%…%' on the same SQLite rows, index rebuild, memory;
#  - 1,000,000 generated households screened against 300 generated rule sets.
# Usage: bash bench/search.sh [services]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p dolbom --example search_bench -- "${1:-100000}"
cargo run --release -q -p eligibility --example screen_million
