#!/usr/bin/env bash
# Burst benchmark: a containerConcurrency-1 service at zero gets N concurrent clients; how fast does the KPA bring up
# the instances it needs, with how many errors, and how long until it is back at zero. Builds Release, starts the
# platform on free ports with its own data directory and token and a 6 s stable window, runs bench.py, prints JSON,
# stops everything.   Usage: bench/burst/run.sh [N]   (N clients, default 10; LOAD_SECONDS=15)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
. "$root/bench/platform.sh"
# PLATFORM_ARGS adds platform options (e.g. --Logging:LogLevel:Knative.Orleans=Information); PLATFORM_LOG=file keeps its log.
trap '[ -z "${PLATFORM_LOG:-}" ] || cp "${data:-}/platform.log" "$PLATFORM_LOG"; stop_platform' EXIT
# shellcheck disable=SC2086
start_platform --Autoscaler:stable-window=6s --Autoscaler:scale-to-zero-grace-period=1s ${PLATFORM_ARGS:-}
ADMIN_URL=http://127.0.0.1:$ad GATEWAY_URL=http://127.0.0.1:$gw ADMIN_TOKEN=$token N=${1:-10} \
  HELLO_PY="$root/samples/hello/app.py" /usr/bin/python3 "$root/bench/burst/bench.py"
