#!/usr/bin/env bash
# Gateway benchmark: requests/s and latency of the Knative.Orleans gateway against nginx direct and an nginx reverse
# proxy, all to the same backend (the service's own nginx workload). Builds Release, starts the platform on free ports
# with its own data directory and token, runs bench.py, prints JSON, stops everything.
# Usage: bench/gateway/run.sh      (DURATION=10 seconds per wrk run, ROUNDS=2 interleaved peak rounds,
#        PLATFORM_ARGS="--Gateway:InlineScheduling=false --Gateway:Forwarder=Yarp" to measure other settings)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null
fi
# Allocations per request come from dotnet-counters (skipped when it cannot be installed).
command -v dotnet-counters >/dev/null || [ -x "$HOME/.dotnet/tools/dotnet-counters" ] || dotnet tool install -g dotnet-counters >/dev/null 2>&1 || true
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/gateway/BareYarp -c Release -nologo -clp:ErrorsOnly >/dev/null
. "$root/bench/platform.sh"
# The platform stops its workloads; any nginx still alive (a crash) is found by the pid file it wrote under the data dir.
reap_leftovers() {
  for f in $(find "$1" -name nginx.pid 2>/dev/null); do
    p=$(cat "$f" 2>/dev/null) || continue
    if [ -n "$p" ] && grep -q nginx "/proc/$p/cmdline" 2>/dev/null; then kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; fi
  done
}
trap stop_platform EXIT
start_platform ${PLATFORM_ARGS:-}
BARE_YARP_DLL="$root/artifacts/bin/BareYarp/release/BareYarp.dll" ADMIN_URL=http://127.0.0.1:$ad GATEWAY_URL=http://127.0.0.1:$gw ADMIN_TOKEN=$token SILO_PID=$pid BENCH_TMP="$data/bench" \
  WORKLOAD_SH="$root/bench/gateway/nginx-workload.sh" /usr/bin/python3 "$root/bench/gateway/bench.py"
