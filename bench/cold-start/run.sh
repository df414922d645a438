#!/usr/bin/env bash
# Cold-start benchmark: starts the platform (Release build) on free ports with its own data directory, runs bench.py,
# prints the JSON result and stops the platform. Usage: bench/cold-start/run.sh [N]   (N cold starts, default 20)
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
  --Logging:LogLevel:Default=Warning >"$data/platform.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
until curl -fs "http://127.0.0.1:$ad/readyz" >/dev/null; do sleep 0.2; done
ADMIN_URL=http://127.0.0.1:$ad GATEWAY_URL=http://127.0.0.1:$gw ADMIN_TOKEN=$token N=${1:-20} \
  HELLO_PY="$root/samples/hello/app.py" /usr/bin/python3 "$root/bench/cold-start/bench.py"
