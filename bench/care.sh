#!/usr/bin/env bash
# Care matching targets of issue #6, in one run on this machine:
#  - 10,000 applications at once against 2,000 facilities and caregivers (target < 2 s);
#  - a contested case: 10,000 applications for the same hours, places barely outnumbering them;
#  - on five 1,000-application instances, the matcher's total distance beside the exact least-cost assignment
#    (Hungarian method from the `pathfinding` crate) computed in the same run (target within 1 %).
# Usage: bash bench/care.sh [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p dolbom --example care_bench -- "${1:-2026}"
