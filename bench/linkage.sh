#!/usr/bin/env bash
# Linkage targets of issue #8: `dolbom link` beside splink (PyPI, DuckDB backend) on the same generated lists with
# known truth, pairwise F1 and time of each, in one run.
# Usage: bash bench/linkage.sh [--sizes 200000,1000000] [--max-splink N]
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
python3 -c "import splink, duckdb, pandas" 2>/dev/null || pip install --quiet "splink==4.0.17" pandas
cargo build --release -q -p dolbom
cargo build --release -q -p linkage --example generate --example match_one
python3 bench/linkage.py "$(realpath "$target_dir/release/dolbom")" "$(realpath "$target_dir/release/examples/generate")" "$@"
# The duplicate check at intake: one new record against a million known ones.
list="$(mktemp -d)"
trap 'rm -rf "$list"' EXIT
"$target_dir/release/examples/generate" 560000 "$list/records.csv" "$list/truth.csv" 1000000 2>/dev/null
"$target_dir/release/examples/match_one" "$list/records.csv"
