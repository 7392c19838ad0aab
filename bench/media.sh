#!/usr/bin/env bash
# Issue #10's photo target on this machine: a 10 MB photo's display copy and thumbnail in < 1 s (media::process).
# Usage: bash bench/media.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p dolbom --example media_bench
