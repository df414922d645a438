#!/usr/bin/env bash
# Knative.Orleans build entry point.
#   ./build.sh test   install what the tests need, build, run every test project, print "N passed, N failed"
#   ./build.sh run    start the all-in-one platform (same as: dotnet run --project src/Silo)
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
# Test workloads use Debian's python3 (the one on PATH may be a slow pyenv shim); the local driver uses setpriv/setsid.
[ -x /usr/bin/python3 ] || need_apt+=(python3)
[ -x /usr/bin/setpriv ] || need_apt+=(util-linux)
command -v curl >/dev/null || need_apt+=(curl)
# Clustered-mode and Redis event-store tests start their own redis-server processes on free loopback ports.
[ -x /usr/bin/redis-server ] || need_apt+=(redis-server)

install_deps() {
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing: ${need_apt[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
}

run_tests() {
  install_deps
  dotnet build Knative.Orleans.sln -c Debug -warnaserror -nologo -clp:ErrorsOnly
  local results=artifacts/test-results
  rm -rf "$results"; mkdir -p "$results"
  local status=0
  # One project at a time: the end-to-end tests start real processes and must not fight the unit tests for 2 cores.
  for project in tests/*/*.csproj; do
    local name; name=$(basename "$project" .csproj)
    dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --logger "console;verbosity=minimal" || status=1
  done
  local passed=0 failed=0
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    local counters; counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    passed=$((passed + $(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")))
    failed=$((failed + $(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")))
  done
  [ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1  # a project that crashed without results still counts as a failure
  echo "$passed passed, $failed failed"
  return $status
}

case "${1:-test}" in
  test) run_tests ;;
  run) shift; exec dotnet run --project src/Silo -- "$@" ;;
  *) echo "usage: $0 test|run" >&2; exit 2 ;;
esac
