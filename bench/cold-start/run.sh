#!/usr/bin/env bash
# Cold-start benchmark: starts the platform (Release build) on free ports with its own data directory, runs bench.py,
# prints the JSON result and stops the platform. Usage: bench/cold-start/run.sh [N]   (N cold starts, default 20)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
. "$root/bench/platform.sh"
trap stop_platform EXIT
start_platform --Autoscaler:stable-window=6s --Autoscaler:scale-to-zero-grace-period=1s
ADMIN_URL=http://127.0.0.1:$ad GATEWAY_URL=http://127.0.0.1:$gw ADMIN_TOKEN=$token N=${1:-20} \
  HELLO_PY="$root/samples/hello/app.py" /usr/bin/python3 "$root/bench/cold-start/bench.py"
