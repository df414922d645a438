#!/usr/bin/env bash
# Burst benchmark: a containerConcurrency-1 service at zero gets N concurrent clients; how fast does the KPA bring up
# the instances it needs, with how many errors, and how long until it is back at zero. Builds Release, starts the
# platform on free ports with its own data directory and token and a 6 s stable window, runs bench.py, prints JSON,
# stops everything.   Usage: bench/burst/run.sh [N]   (N clients, default 10; LOAD_SECONDS=15)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
data=$(mktemp -d)
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
gw=$(port); ad=$(port); sp=$(port); gp=$(port)
token=bench-$RANDOM$RANDOM
dotnet artifacts/bin/Knative.Orleans.Silo/release/Knative.Orleans.Silo.dll \
  --Gateway:Url=http://127.0.0.1:$gw --Admin:Url=http://127.0.0.1:$ad --Admin:Token=$token --Storage:Path=$data \
  --Cluster:SiloPort=$sp --Cluster:GatewayPort=$gp --Autoscaler:stable-window=6s --Autoscaler:scale-to-zero-grace-period=1s \
  --Logging:LogLevel:Default=Warning ${PLATFORM_ARGS:-} >"$data/platform.log" 2>&1 &
pid=$!
# PLATFORM_ARGS adds platform options (e.g. --Logging:LogLevel:Knative.Orleans=Information); PLATFORM_LOG=file keeps its log.
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; [ -z "${PLATFORM_LOG:-}" ] || cp "$data/platform.log" "$PLATFORM_LOG"; rm -rf "$data"' EXIT
until curl -fs "http://127.0.0.1:$ad/readyz" >/dev/null; do
  kill -0 $pid 2>/dev/null || { cat "$data/platform.log"; exit 1; }
  sleep 0.2
done
ADMIN_URL=http://127.0.0.1:$ad GATEWAY_URL=http://127.0.0.1:$gw ADMIN_TOKEN=$token N=${1:-10} \
  HELLO_PY="$root/samples/hello/app.py" /usr/bin/python3 "$root/bench/burst/bench.py"
