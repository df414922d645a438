#!/usr/bin/env bash
# Autoscaler benchmark.
#  (a) TickCost: ns per KPA decision tick (MetricWindow.Record + Snapshot + Decider.Decide + ScaleBounds.Apply) against a
#      loop doing only the Record calls.
#  (b) silo_cpu.py: silo CPU (utime+stime) with N active revisions (min-scale 1, an `nc -lk` workload) against the idle
#      platform, measured on the same platform process; run twice: with the default readiness probing of ready
#      instances (every 1 s) and with LocalDriver:ReadyProbePeriod=1 min, which leaves the revision grains' ticks alone.
# Each platform run uses free ports, its own data directory and token, and is stopped at the end.
# Usage: bench/autoscaler/run.sh [N]   (N revisions, default 1000; MEASURE_SECONDS=30, TICKS=1000000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[ -x /usr/bin/nc.openbsd ] || { apt-get update -qq && apt-get install -y -qq netcat-openbsd >/dev/null; }
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/autoscaler/TickCost -c Release -nologo -clp:ErrorsOnly >/dev/null
out=$(mktemp -d)
. "$root/bench/platform.sh"
# Workloads die with the platform (pdeathsig); any left (a crash) is named by its pid record in the data directory.
reap_leftovers() {
  for f in "$1"/workloads/*.json; do
    [ -e "$f" ] || continue
    p=$(basename "$f" .json)
    if grep -q nc.openbsd "/proc/$p/cmdline" 2>/dev/null; then kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; fi
  done
}
trap 'stop_platform; rm -rf "$out"' EXIT

# $1 = output file, rest = extra platform options
silo_cpu() {
  local result=$1; shift
  start_platform "$@"
  ADMIN_URL=http://127.0.0.1:$ad ADMIN_TOKEN=$token SILO_PID=$pid N=${N:-1000} \
    /usr/bin/python3 "$root/bench/autoscaler/silo_cpu.py" >"$result"
  stop_platform
}

dotnet artifacts/bin/TickCost/release/TickCost.dll "${TICKS:-1000000}" 5 >"$out/tick.json"
N=${1:-${N:-1000}}
silo_cpu "$out/probe-1s.json"
silo_cpu "$out/probe-60s.json" --LocalDriver:ReadyProbePeriod=00:01:00
/usr/bin/python3 - "$out" <<'PY'
import json, sys
d = sys.argv[1]
load = lambda f: json.load(open(f"{d}/{f}.json"))
tick, p1, p60 = load("tick"), load("probe-1s"), load("probe-60s")
with open("/proc/loadavg") as f:
    loadavg = " ".join(f.read().split()[:3])
print(json.dumps({
    "tick_cost": tick,
    "silo_cpu_default_probes": p1,
    "silo_cpu_ready_probe_60s": p60,
    "ratios": {
        "grain_tick_over_pure_decision": round(p60["per_revision_us_per_tick"] * 1000 / tick["tick_ns"], 1),
        "status_compare_over_pure_decision": round(tick["grain_status_compare_ns"] / tick["tick_ns"], 1),
        "active_over_idle_cpu_default_probes": p1["active_over_idle_cpu"],
        "active_over_idle_cpu_ready_probe_60s": p60["active_over_idle_cpu"],
    },
    "machine": {"cpus": __import__("os").cpu_count(), "loadavg_after": loadavg},
}, indent=2))
PY
