#!/usr/bin/env bash
# Issue #11's load target on this machine: wrk at 200 concurrent connections for 60 s each against the demo on the
# embedded SQLite default — the directory search (API), the map's query (API), the map page and a service's page —
# recording requests per second, p50/p99 latency, errors (socket errors and non-2xx answers) and the server's peak
# memory. Target: no errors, p99 < 100 ms for reads. wrk and dolbom share this machine's 2 cores.
# Usage: bash bench/load.sh [seconds-per-run] [connections]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60}"
connections="${2:-200}"
target_dir="${CARGO_TARGET_DIR:-target}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

cargo build --release -q -p dolbom
dolbom="$target_dir/release/dolbom"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export DOLBOM_DATABASE_URL="sqlite://$work/load.db" DOLBOM_SECRET="load-secret-load-secret-load-0123456"
export DOLBOM_LOG=warn

"$dolbom" demo --addr 127.0.0.1:18082 >/dev/null 2>&1 & pid=$!
for _ in $(seq 1 6000); do curl -sf -o /dev/null http://127.0.0.1:18082/healthz && break; sleep 0.05; done
base=http://127.0.0.1:18082
# The search index fills from the change log just after start-up: wait until it answers.
first_hit() { curl -s "$base/api/v1/services/search?q=%EB%8F%8C%EB%B4%84" | python3 -c 'import json, sys; print(json.load(sys.stdin)["hits"][0]["id"])' 2>/dev/null; }
for _ in $(seq 1 600); do service=$(first_hit) && break; sleep 0.1; done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/welfare/services/$service")" = 200 ] || { echo "no service page to load"; exit 1; }

echo "| route (wrk -t2 -c$connections, ${duration} s) | req/s | p50 | p99 | errors |"
echo "| --- | --- | --- | --- | --- |"
run() {
  local label="$1" url="$2" out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$url")
  local rps p50 p99 sock non2xx
  rps=$(awk '/Requests\/sec/ {print int($2)}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  sock=$(awk '/Socket errors/ {s=0; for (i=3; i<=NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "| $label | $rps | $p50 | $p99 | $(( ${sock:-0} + ${non2xx:-0} )) |"
}
wrk -t2 -c"$connections" -d3s "$base/places" >/dev/null   # warm-up
run "search: GET /api/v1/services/search?q=돌봄" "$base/api/v1/services/search?q=%EB%8F%8C%EB%B4%84"
run "map query: GET /api/v1/places (near, 3 km, 50)" "$base/api/v1/places?lat=37.654&lon=127.061&limit=50"
run "map page: GET /places" "$base/places"
run "a service's page: GET /welfare/services/{id}" "$base/welfare/services/$service"
echo
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' /proc/$pid/status)"
