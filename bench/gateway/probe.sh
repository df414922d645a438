#!/usr/bin/env bash
# What a .NET reverse proxy can reach on this machine, by parts (no platform): the same nginx backend measured directly,
# through an nginx reverse proxy, through bare Kestrel + YARP, through a hand-written HTTP/1.1 forwarder on Kestrel
# (BareYarp --mode=raw, a feasibility probe), and Kestrel answering by itself (--mode=hello); each .NET variant also with
# inline scheduling (Kestrel's UnsafePreferInlineScheduling + DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1).
# wrk 2 threads x 32 connections, DURATION s per run (8), ROUNDS interleaved rounds (2); prints rps, p99 and the CPU time
# of the serving process(es) per request (from /proc). Usage: bench/gateway/probe.sh   (TARGETS="proxy raw rawinl" to pick)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
D=${DURATION:-8}; R=${ROUNDS:-2}
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null; fi
dotnet build "$root/bench/gateway/BareYarp" -c Release -nologo -clp:ErrorsOnly >/dev/null
dll="$root/artifacts/bin/BareYarp/release/BareYarp.dll"
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
dir=$(mktemp -d); bp=$(port); pp=$(port)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; [ -f "$dir/b.pid" ] && kill "$(cat "$dir/b.pid")" 2>/dev/null; [ -f "$dir/p.pid" ] && kill "$(cat "$dir/p.pid")" 2>/dev/null; sleep 0.5; rm -rf "$dir"; }
trap cleanup EXIT
cat > "$dir/b.conf" <<C
worker_processes 1; pid $dir/b.pid; error_log stderr warn; daemon off;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$bp; location / { return 200 "hello\n"; } } }
C
cat > "$dir/p.conf" <<C
worker_processes 2; pid $dir/p.pid; error_log stderr warn; daemon off;
events { worker_connections 1024; }
http { access_log off; upstream b { server 127.0.0.1:$bp; keepalive 64; }
 server { listen 127.0.0.1:$pp; location / { proxy_pass http://b; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header X-Forwarded-For \$remote_addr; proxy_set_header X-Forwarded-Proto \$scheme; } } }
C
nginx -p "$dir" -c "$dir/b.conf" -e stderr & pids+=($!)
nginx -p "$dir" -c "$dir/p.conf" -e stderr & pids+=($!)
declare -A PORT=([direct]=$bp [proxy]=$pp) PID=()
start() { # name inline(0/1) args...
  local name=$1 inline=$2 p; shift 2; p=$(port)
  if [ "$inline" = 1 ]; then
    DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$dll" --urls=http://127.0.0.1:$p --backend=http://127.0.0.1:$bp --inline=true "$@" >/dev/null 2>&1 &
  else
    dotnet "$dll" --urls=http://127.0.0.1:$p --backend=http://127.0.0.1:$bp "$@" >/dev/null 2>&1 &
  fi
  PID[$name]=$!; PORT[$name]=$p; pids+=($!)
}
start yarp 0; start yarpinl 1; start raw 0 --mode=raw; start rawinl 1 --mode=raw; start gwdirect 0 --mode=direct; start gwdirectinl 1 --mode=direct; start hello 0 --mode=hello; start helloinl 1 --mode=hello
targets=${TARGETS:-direct proxy yarp yarpinl raw rawinl gwdirect gwdirectinl hello helloinl}
for n in $targets; do until curl -fs "http://127.0.0.1:${PORT[$n]}/" >/dev/null; do sleep 0.2; done; done
cpu() { # CPU ticks of a target's serving processes: an nginx master and its workers, or the .NET process
  local t=0 p
  case $1 in
    direct|proxy) local m; m=$(cat "$dir/$([ "$1" = direct ] && echo b || echo p).pid") # the master and its workers
      for p in $m $(pgrep -P "$m"); do t=$((t+$(awk '{print $14+$15}' /proc/$p/stat))); done ;;
    *) t=$(awk '{print $14+$15}' /proc/${PID[$1]}/stat) ;;
  esac
  echo $t
}
for n in $targets; do wrk -t2 -c32 -d4s "http://127.0.0.1:${PORT[$n]}/" >/dev/null; done # warm-up (JIT, pools)
hz=$(getconf CLK_TCK)
for r in $(seq 1 "$R"); do
  for n in $targets; do
    c0=$(cpu $n); out=$(wrk -t2 -c32 -d"${D}"s --latency "http://127.0.0.1:${PORT[$n]}/"); c1=$(cpu $n)
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}'); p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    bad=$(echo "$out" | awk '/Non-2xx/{print $NF}'); bad=${bad:-0}
    /usr/bin/python3 -c "r=$rps; print(f'round $r {\"$n\":9} {r:9.0f} rps  p99 {\"$p99\":>7}  cpu/request {($c1-$c0)/$hz*1e6/(r*$D):5.1f} us  non-2xx $bad')"
  done
done
