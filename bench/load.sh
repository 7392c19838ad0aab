#!/usr/bin/env bash
# Issue #11's load target on this machine: wrk at 200 concurrent connections for 60 s each against the demo on the
# embedded SQLite default — the directory search (API), the map's query (API), the map page and a service's page,
# then two writes: a space booking (API) and a care application (form), each from 200 residents signed up for the
# run — recording requests per second, p50/p99 latency, errors and the server's peak memory. For reads an error is
# a socket error or a non-2xx answer; for writes a socket error or an answer other than written (201/303) or
# refused by a rule (409 taken, 422), counted by bench/writes.lua. Target: no errors, p99 < 100 ms for reads.
# wrk and dolbom share this machine's 2 cores.
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
# Two hundred residents sign up from one address for the write runs.
export DOLBOM_LOGIN_PER_MINUTE=100000

"$dolbom" demo --addr 127.0.0.1:18082 >/dev/null 2>&1 & pid=$!
for _ in $(seq 1 6000); do curl -sf -o /dev/null http://127.0.0.1:18082/healthz && break; sleep 0.05; done
base=http://127.0.0.1:18082
# The search index fills from the change log just after start-up: wait until it answers.
first_hit() { curl -s "$base/api/v1/services/search?q=%EB%8F%8C%EB%B4%84" | python3 -c 'import json, sys; print(json.load(sys.stdin)["hits"][0]["id"])' 2>/dev/null; }
for _ in $(seq 1 600); do service=$(first_hit) && break; sleep 0.1; done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/welfare/services/$service")" = 200 ] || { echo "no service page to load"; exit 1; }

echo "| route (wrk -t2 -c$connections, ${duration} s) | req/s | p50 | p99 | errors |"
echo "| --- | --- | --- | --- | --- |"
# One table row from wrk's report: label, then req/s, p50, p99 and errors (socket errors plus `failed`).
row() {
  local label="$1" out="$2" failed="$3" rps p50 p99 sock
  rps=$(awk '/Requests\/sec/ {print int($2)}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  sock=$(awk '/Socket errors/ {s=0; for (i=3; i<=NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s}' <<<"$out")
  echo "| $label | $rps | $p50 | $p99 | $(( ${sock:-0} + ${failed:-0} )) |"
}
run() {
  local label="$1" url="$2" out
  shift 2
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$url")
  row "$label" "$out" "$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
}
wrk -t2 -c"$connections" -d3s "$base/places" >/dev/null   # warm-up
run "search: GET /api/v1/services/search, 40 common questions in turn" "$base" -s bench/search.lua
run "map query: GET /api/v1/places (near, 3 km, 50)" "$base/api/v1/places?lat=37.654&lon=127.061&limit=50"
run "map page: GET /places" "$base/places"
run "a service's page: GET /welfare/services/{id}" "$base/welfare/services/$service"

# The write runs' residents: each signed up, with a child of primary-school age; one line per resident.
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1; }
resident() {
  local jar="$work/jar$1" token child
  token=$(curl -s -c "$jar" -b "$jar" "$base/signup" | csrf_of)
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "email=load$1@test.kr" \
    --data-urlencode "display_name=주민" --data-urlencode "password=load-password-2026" \
    --data-urlencode "password_confirm=load-password-2026" --data-urlencode "locale=ko" "$base/signup"
  token=$(curl -s -c "$jar" -b "$jar" "$base/children/new" | csrf_of)
  child=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$token" \
    --data-urlencode "name=김하늘" --data-urlencode "birth_date=2018-05-04" --data-urlencode "sex=F" \
    --data-urlencode "contact_name=보호자" --data-urlencode "contact_relation=어머니" \
    --data-urlencode "contact_phone=010-1234-5678" --data-urlencode "consent=data" "$base/children")
  echo "$(awk '$6 == "dolbom_session" {print $7}' "$jar") $token ${child##*/}"
}
for i in $(seq 1 "$connections"); do resident "$i"; done >"$work/residents"
spaces=$(curl -s "$base/api/v1/spaces" | python3 -c 'import json, sys; print(" ".join(s["id"] for s in json.load(sys.stdin)))')
write() {
  local label="$1" kind="$2" out
  # shellcheck disable=SC2086
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/writes.lua "$base" -- "$kind" "$work/residents" 2 $spaces)
  row "$label ($(grep '^answers:' <<<"$out" | cut -d' ' -f2-5))" "$out" "$(awk '/^answers:/ {print $7}' <<<"$out")"
}
write "booking: POST /api/v1/bookings" booking
write "care application: POST /care/applications" application
echo
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' /proc/$pid/status)"
