#!/usr/bin/env bash
# Eventing benchmark: events/s accepted at broker ingress and delivered through 1 and 10 triggers, and ingress-to-delivery
# latency at a fixed rate, on the embedded SQLite store and on Redis (AOF, appendfsync always). Baselines measured in the
# same run: the same wrk load against a bare Kestrel endpoint answering 202, and raw SQLite fsynced commits/s.
# Usage: bench/eventing/run.sh [embedded|redis|both]   (DURATION=10 s per load phase, RATE=2000 events/s, WARMUP=5 s of
# unmeasured load on each target first; TRIGGERS=0,1,10 the phases to run; BUILD=0 skips the Release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
which=${1:-both}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ "${BUILD:-1}" != 0 ]; then # BUILD=0: run what artifacts/ already holds
  dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
  dotnet build bench/eventing/EventBench -c Release -nologo -clp:ErrorsOnly >/dev/null
fi
. "$root/bench/platform.sh"
redis_pid=""; redis_dir=""
cleanup() {
  stop_platform
  if [ -n "$redis_pid" ]; then kill -KILL "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  [ -z "$redis_dir" ] || rm -rf "$redis_dir"
}
trap cleanup EXIT
bench() {
  dotnet artifacts/bin/EventBench/release/EventBench.dll --admin "http://127.0.0.1:$ad" --token "$token" --gateway "http://127.0.0.1:$gw" \
    --label "$1" --silo-pid "$pid" --duration "${DURATION:-10}" --rate "${RATE:-2000}" --warmup "${WARMUP:-5}" --triggers "${TRIGGERS:-0,1,10}" --wrk-lua "$root/bench/eventing/ce.lua"
}
if [ "$which" != redis ]; then
  start_platform
  bench embedded
  stop_platform
fi
if [ "$which" != embedded ]; then
  redis_dir=$(mktemp -d); rp=$(port)
  redis-server --port "$rp" --bind 127.0.0.1 --dir "$redis_dir" --appendonly yes --appendfsync always --save "" --daemonize no \
    --loglevel warning >"$redis_dir/redis.log" 2>&1 &
  redis_pid=$!
  until redis-cli -p "$rp" ping >/dev/null 2>&1; do sleep 0.1; done
  start_platform --Redis:ConnectionString="127.0.0.1:$rp,abortConnect=false"
  bench redis
  stop_platform
fi
