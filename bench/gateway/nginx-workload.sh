#!/bin/sh
# The Knative workload of bench/gateway: nginx in the foreground on $PORT answering every request with a fixed 6-byte
# body. Its config and pid file go to a fresh directory under $BENCH_TMP (inside the platform's data directory, which
# run.sh removes). The first output line tells bench.py which process and port to measure directly.
set -eu
mkdir -p "${BENCH_TMP:?}"
dir=$(mktemp -d -p "$BENCH_TMP")
cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$PORT;
    default_type text/plain;
    location / { return 200 "hello\n"; }
  }
}
CONF
echo "nginx-workload pid $$ port $PORT dir $dir"
exec nginx -e stderr -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
