#!/usr/bin/env bash
# Control-plane scale: N services created through the admin API into one silo (initial-scale 0, so nothing runs), their
# create rate, memory per idle service once their grains are collected, and the cold start of a never-run service.
# Baselines in the same run: GET /healthz with the same clients, raw SQLite inserts of as many rows of the same size.
# Usage: bench/control-plane/run.sh [N]   (default 10000; WARM_N=10000 first creates reported apart, CONCURRENCY=64,
# COLLECTION_AGE=00:00:30; DOTNET_* variables such as DOTNET_TieredPGO=0 reach the silo)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[ -x ~/.dotnet/tools/dotnet-counters ] || dotnet tool install -g dotnet-counters >/dev/null
[ -x ~/.dotnet/tools/dotnet-gcdump ] || dotnet tool install -g dotnet-gcdump >/dev/null
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/control-plane/LoadTool -c Release -nologo -clp:ErrorsOnly >/dev/null
. "$root/bench/platform.sh"
trap stop_platform EXIT
N=${1:-${N:-10000}}
start_platform --Autoscaler:allow-zero-initial-scale=true --Cluster:GrainCollectionAge="${COLLECTION_AGE:-00:00:30}"
ADMIN_URL=http://127.0.0.1:$ad GATEWAY_URL=http://127.0.0.1:$gw ADMIN_TOKEN=$token SILO_PID=$pid DATA_DIR=$data N=$N WARM_N=${WARM_N:-10000} \
  LOAD_TOOL="$root/artifacts/bin/LoadTool/release/LoadTool.dll" HELLO_PY="$root/samples/hello/app.py" \
  /usr/bin/python3 "$root/bench/control-plane/bench.py"
