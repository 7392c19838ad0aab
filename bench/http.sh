#!/usr/bin/env bash
# Speed targets of the foundation, measured side by side in one run on this machine:
#  1. `dolbom serve` start-up on an existing database (time until /healthz answers), median of 10 starts;
#  2. requests per second of the logged-out home page vs a bare axum "hello" handler (bench/hello), with wrk.
# dolbom runs with its default settings (one INFO log line per request, sent to /dev/null here).
# Usage: bash bench/http.sh [seconds-per-wrk-run]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
target_dir="${CARGO_TARGET_DIR:-target}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

cargo build --release -p dolbom -p hello >/dev/null
dolbom="$target_dir/release/dolbom"
hello="$target_dir/release/hello"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export DOLBOM_DATABASE_URL="sqlite://$work/bench.db" DOLBOM_SECRET="bench-secret-bench-secret-bench-0123"

"$dolbom" migrate >/dev/null
wait_up() { for _ in $(seq 1 2000); do curl -sf -o /dev/null "$1" && return 0; sleep 0.005; done; return 1; }

starts=()
for _ in $(seq 1 10); do
  t0=$(date +%s%N)
  "$dolbom" serve --addr 127.0.0.1:18080 2>/dev/null & pid=$!
  wait_up http://127.0.0.1:18080/healthz
  t1=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  starts+=($(( (t1 - t0) / 1000000 )))
done
median_start=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 5p)

"$dolbom" serve --addr 127.0.0.1:18080 2>/dev/null & pids+=($!)
"$hello" 127.0.0.1:18090 & pids+=($!)
wait_up http://127.0.0.1:18080/healthz
wait_up http://127.0.0.1:18090/

rps() { wrk -t2 -c64 -d"${duration}s" "$1" | awk '/Requests\/sec/ {print int($2)}'; }
wrk -t2 -c64 -d2s http://127.0.0.1:18080/ >/dev/null   # warm-up
home=$(rps http://127.0.0.1:18080/)
bare=$(rps http://127.0.0.1:18090/)
ratio=$(awk -v a="$home" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')

echo "| measurement | result | target |"
echo "| --- | --- | --- |"
echo "| \`dolbom serve\` start-up on an existing SQLite database (median of 10) | ${median_start} ms | < 1000 ms |"
echo "| logged-out home page, wrk -t2 -c64 ${duration}s | ${home} req/s | ≥ 1/3 of hello |"
echo "| bare axum hello handler, same run | ${bare} req/s | baseline |"
echo "| home / hello | ${ratio} | ≥ 0.33 |"
awk -v r="$ratio" -v s="$median_start" 'BEGIN { exit !(r >= 0.333 && s < 1000) }' || { echo "a target was missed"; exit 1; }
