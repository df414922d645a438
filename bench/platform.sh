# Sourced by bench/*/run.sh: start the platform (Release) on free ports with its own data directory and token, wait
# until it is ready, and stop it again. After start_platform: $data, $pid, $gw, $ad, $token are set.
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_platform [extra --Key=value options...]
start_platform() {
  data=$(mktemp -d)
  gw=$(port); ad=$(port)
  local sp gp
  sp=$(port); gp=$(port)
  token=bench-$RANDOM$RANDOM
  dotnet artifacts/bin/Knative.Orleans.Silo/release/Knative.Orleans.Silo.dll \
    --Gateway:Url=http://127.0.0.1:$gw --Admin:Url=http://127.0.0.1:$ad --Admin:Token=$token --Storage:Path=$data \
    --Cluster:SiloPort=$sp --Cluster:GatewayPort=$gp --Logging:LogLevel:Default=Warning "$@" >"$data/platform.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$ad/readyz" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$data/platform.log"; exit 1; }
    sleep 0.2
  done
}

# stop_platform: SIGTERM (the platform stops its workloads); a script may define reap_leftovers DATA_DIR to kill
# what a crashed run left behind (it runs before the data directory, with the workloads' records, is removed).
stop_platform() {
  [ -n "${pid:-}" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if declare -F reap_leftovers >/dev/null; then reap_leftovers "$data"; fi
  rm -rf "$data"
  pid=""
}
