#!/usr/bin/env bash
# Allocation targets of issue #7: `dolbom allocate` (the whole command: read, check, allocate, explain, write)
# beside the Python package `matching` (HospitalResident, resident-optimal) on the same instances, in one run.
# Usage: bash bench/allocation.sh [--max-matching N]
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
python3 -c "import matching" 2>/dev/null || pip install --quiet matching==1.4.3
cargo build --release -q -p dolbom
python3 bench/allocation.py "$(realpath "$target_dir/release/dolbom")" "$@"
