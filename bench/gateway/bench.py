#!/usr/bin/python3
"""Gateway throughput/latency benchmark for Knative.Orleans (standard library only; run through ./run.sh).

One backend for everything: the nginx process that IS the Knative service's workload (nginx-workload.sh, min-scale 1).
Measured in the same run with wrk (2 threads, 32 connections, --latency):
  direct   : wrk -> that nginx's own port (read from the revision's log line)
  proxy    : wrk -> an nginx reverse proxy (proxy_pass, keepalive upstream) -> that nginx
  gateway  : wrk -> the Knative.Orleans gateway (Host {svc}.{ns}.example.com) -> that nginx
  yarp     : wrk -> bare Kestrel + YARP's forwarder (BareYarp) -> that nginx: the floor of a .NET proxy
  kestrel  : wrk -> Kestrel answering "hello" itself (BareYarp --mode=hello, peak only): the ceiling of any Kestrel proxy
Peak: closed loop, as fast as possible (ROUNDS interleaved rounds, median). Half load: every connection waits so that
the offered rate is half the gateway's peak (wrk's Lua delay(); wrk2 is not packaged in Debian 12), same rate for all three.
Also: CPU time per request of each proxying process (/proc), and bytes allocated per request by bare YARP and the gateway
(dotnet-counters' dotnet.gc.heap.total_allocated over a separate wrk run; null when dotnet-counters is missing).
"""
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

ADMIN = os.environ["ADMIN_URL"]
GATEWAY = os.environ["GATEWAY_URL"]
TOKEN = os.environ["ADMIN_TOKEN"]
WORKLOAD = os.environ["WORKLOAD_SH"]
TMP = os.environ["BENCH_TMP"]  # inside the platform's data directory; run.sh removes it
SILO_PID = int(os.environ["SILO_PID"])
DURATION = int(os.environ.get("DURATION", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))
CONNECTIONS, THREADS = 32, 2
NS, SVC = "bench", "gw"
HOST = f"{SVC}.{NS}.example.com"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def admin(method, path, body=None, raw=False):
    req = urllib.request.Request(ADMIN + path, method=method, data=body,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/yaml"})
    with urllib.request.urlopen(req) as r:
        data = r.read()
        return data.decode() if raw else json.loads(data)


def manifest():
    return f"""apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: {SVC}
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1"
    spec:
      containers:
        - image: bench/nginx
          command: ["/bin/sh", "{WORKLOAD}"]
          env:
            - name: BENCH_TMP
              value: "{TMP}/workload"
""".encode()


def proxy_conf(dir_, port, backend):
    # worker_processes 2: the gateway may use both cores too.
    return f"""worker_processes 2;
pid {dir_}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir_}/body; proxy_temp_path {dir_}/proxy; fastcgi_temp_path {dir_}/fastcgi;
  uwsgi_temp_path {dir_}/uwsgi; scgi_temp_path {dir_}/scgi;
  keepalive_requests 1000000;
  upstream backend {{ server 127.0.0.1:{backend}; keepalive 64; keepalive_requests 1000000; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }}
  }}
}}
"""


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(url, host=None, timeout=30):
    deadline = time.time() + timeout
    while True:
        try:
            req = urllib.request.Request(url, headers={"Host": host} if host else {})
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.time() > deadline:
                raise
        time.sleep(0.1)


def proc_cpu(pid):
    """utime + stime of one process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def group_cpu(pgid):
    """CPU seconds of every live process in a process group (nginx master + workers)."""
    total = 0.0
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid:
                    total += (int(fields[11]) + int(fields[12])) / CLK_TCK
            except (OSError, IndexError):
                pass
    return total


def system_busy(with_irq=False):
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    # irq + softirq: mostly loopback TCP of our own traffic, which no process is charged for
    return (sum(v), idle, v[5] + v[6]) if with_irq else (sum(v), idle)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def to_ms(value, unit):
    return float(value) * UNITS[unit]


def ours_cpu():
    """CPU seconds of everything this benchmark runs: wrk (a waited-for child), the backend, the nginx proxy, the silo."""
    import resource
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime + sum(f() for f in OURS)


OURS = []  # CPU probes of the backend nginx, the proxy nginx and the silo; filled in main()


def wrk(url, duration, host=None, script=None, cpu_of=None):
    cmd = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{duration}s", "--latency"]
    if host:
        cmd += ["-H", f"Host: {host}"]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    cpu0 = cpu_of() if cpu_of else 0.0
    ours0 = ours_cpu()
    tot0, idle0, irq0 = system_busy(with_irq=True)
    t0 = time.monotonic()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.monotonic() - t0
    tot1, idle1, irq1 = system_busy(with_irq=True)
    ours1 = ours_cpu()
    cpu1 = cpu_of() if cpu_of else 0.0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    lat = {f"p{m.group(1)}": round(to_ms(m.group(2), m.group(3)), 3)
           for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    busy = 100 * (1 - (idle1 - idle0) / max(1, tot1 - tot0))
    # What the rest of the machine (other engineers' builds and tests) took meanwhile: a run with a high value is noisy.
    others = busy - 100 * ((irq1 - irq0) / max(1, tot1 - tot0) + (ours1 - ours0) / (wall * os.cpu_count()))
    result = {"rps": round(rps), "latency_ms": lat, "errors": errors,
              "machine_busy_pct": round(busy, 1), "others_busy_pct": round(max(0.0, others), 1)}
    if cpu_of:
        # CPU time the proxying layer (nginx proxy or silo) spent per request: independent of how busy the machine is.
        result["proxy_cpu_us_per_request"] = round((cpu1 - cpu0) / max(1, total) * 1e6, 1)
    return result


def alloc_per_request(pid, url, host=None, seconds=6):
    """Bytes the .NET process allocates per request (dotnet-counters' dotnet.gc.heap.total_allocated during a wrk run),
    or None without dotnet-counters. Allocation counts do not depend on how busy the machine is."""
    counters = shutil.which("dotnet-counters") or os.path.expanduser("~/.dotnet/tools/dotnet-counters")
    if not os.path.exists(counters):
        return None
    csv_path = os.path.join(TMP, f"alloc-{pid}.csv")
    collector = subprocess.Popen([counters, "collect", "-p", str(pid), "--counters", "System.Runtime[dotnet.gc.heap.total_allocated]",
                                  "--refresh-interval", "1", "--format", "csv", "-o", csv_path, "--duration", f"00:00:00:{seconds + 4}"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    cmd = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s"] + (["-H", f"Host: {host}"] if host else []) + [url]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    collector.wait()
    total = int(re.search(r"(\d+) requests in", out).group(1))
    with open(csv_path) as f:
        rates = [float(row[-1]) for row in csv.reader(f) if len(row) > 3 and "allocated" in row[2]]
    # Rows are bytes per 1 s interval; the 2 s before and after the run add the idle process's few KB.
    return round(sum(rates) / max(1, total))


def delay_script(path, per_request_ms):
    # wrk's delay() takes whole milliseconds: round up or down at random so the mean is the wanted delay.
    lo = int(per_request_ms)
    frac = per_request_ms - lo
    with open(path, "w") as f:
        f.write(f"math.randomseed(os.time())\nfunction delay()\n  if math.random() < {frac:.4f} then return {lo + 1} end\n"
                f"  return {lo}\nend\n")


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def background_busy(seconds=2.0):
    """How busy the machine is before we load it (other engineers' builds and tests share the 2 cores)."""
    tot0, idle0 = system_busy()
    time.sleep(seconds)
    tot1, idle1 = system_busy()
    return round(100 * (1 - (idle1 - idle0) / max(1, tot1 - tot0)), 1)


def main():
    load_before = loadavg()
    # The 2 cores are shared: wait (up to QUIET_WAIT seconds) for the machine to be quiet, and record how busy it was.
    quiet_until = time.time() + float(os.environ.get("QUIET_WAIT", "60"))
    while (busy_before := background_busy()) > 25 and time.time() < quiet_until:
        time.sleep(3)
    admin("PUT", f"/apis/serving.knative.dev/v1/namespaces/{NS}/services/{SVC}", manifest())
    deadline = time.time() + 60
    while True:
        rev = admin("GET", f"/apis/serving.knative.dev/v1/namespaces/{NS}/revisions/{SVC}-00001")
        if rev.get("status", {}).get("actualReplicas", 0) >= 1:
            break
        if time.time() > deadline:
            sys.exit(f"the nginx revision did not become ready: {json.dumps(rev.get('status'))}")
        time.sleep(0.2)
    log = admin("GET", f"/apis/serving.knative.dev/v1/namespaces/{NS}/revisions/{SVC}-00001/log", raw=True)
    m = re.search(r"nginx-workload pid (\d+) port (\d+)", log)
    if not m:
        sys.exit("no 'nginx-workload pid' line in the revision log:\n" + log)
    backend_pid, backend_port = int(m.group(1)), int(m.group(2))

    proxy_dir = os.path.join(TMP, "proxy")
    os.makedirs(proxy_dir)
    proxy_port = free_port()
    with open(os.path.join(proxy_dir, "nginx.conf"), "w") as f:
        f.write(proxy_conf(proxy_dir, proxy_port, backend_port))
    proxy = subprocess.Popen(["nginx", "-e", "stderr", "-p", proxy_dir, "-c", f"{proxy_dir}/nginx.conf", "-g", "daemon off;"],
                             start_new_session=True)
    # The floor of a .NET proxy here: Kestrel + YARP's IHttpForwarder alone (bench/gateway/BareYarp), same backend.
    yarp_port = free_port()
    yarp = subprocess.Popen(["dotnet", os.environ["BARE_YARP_DLL"], f"--urls=http://127.0.0.1:{yarp_port}",
                             f"--backend=http://127.0.0.1:{backend_port}"], start_new_session=True)
    # The ceiling of any proxy built on Kestrel: Kestrel answering by itself, no upstream exchange at all (same app).
    kestrel_port = free_port()
    kestrel = subprocess.Popen(["dotnet", os.environ["BARE_YARP_DLL"], f"--urls=http://127.0.0.1:{kestrel_port}", "--mode=hello"],
                               start_new_session=True)
    OURS.extend([lambda: group_cpu(backend_pid), lambda: group_cpu(proxy.pid), lambda: proc_cpu(SILO_PID), lambda: proc_cpu(yarp.pid),
                 lambda: proc_cpu(kestrel.pid)])
    try:
        targets = {
            "direct": (f"http://127.0.0.1:{backend_port}/", None, None),
            "proxy": (f"http://127.0.0.1:{proxy_port}/", None, lambda: group_cpu(proxy.pid)),
            "yarp": (f"http://127.0.0.1:{yarp_port}/", None, lambda: proc_cpu(yarp.pid)),
            "kestrel": (f"http://127.0.0.1:{kestrel_port}/", None, lambda: proc_cpu(kestrel.pid)),
            "gateway": (GATEWAY + "/", HOST, lambda: proc_cpu(SILO_PID)),
        }
        wait_http(targets["proxy"][0])
        wait_http(targets["yarp"][0])
        wait_http(targets["kestrel"][0])
        wait_http(GATEWAY + "/", HOST)
        for url, host, _ in targets.values():
            wrk(url, 5, host)  # warm-up: tiered JIT of the gateway, connection pools

        peak = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name, (url, host, cpu) in targets.items():
                peak[name].append(wrk(url, DURATION, host, cpu_of=cpu))
        peak_rps = {name: statistics.median(r["rps"] for r in runs) for name, runs in peak.items()}

        allocs = {"yarp": alloc_per_request(yarp.pid, targets["yarp"][0]),
                  "gateway": alloc_per_request(SILO_PID, targets["gateway"][0], HOST)}

        # Half of the gateway's peak, offered to all three: each connection waits CONNECTIONS / rate between requests.
        half_rate = peak_rps["gateway"] / 2
        script = os.path.join(TMP, "half-load.lua")
        delay_script(script, CONNECTIONS * 1000 / half_rate)
        half = {name: wrk(url, DURATION, host, script, cpu) for name, (url, host, cpu) in targets.items() if name != "kestrel"}
    finally:
        proxy.terminate()
        proxy.wait()
        yarp.terminate()
        yarp.wait()
        kestrel.terminate()
        kestrel.wait()

    p99 = lambda name: half[name]["latency_ms"]["p99"]
    result = {
        "backend": {"pid": backend_pid, "port": backend_port, "note": "the Knative service's own nginx workload, measured directly"},
        "wrk": {"threads": THREADS, "connections": CONNECTIONS, "duration_s": DURATION, "rounds": ROUNDS},
        "peak": {name: {"rps_median": round(peak_rps[name]), "runs": runs} for name, runs in peak.items()},
        "half_load": {"offered_rps": round(half_rate), **half},
        "allocated_bytes_per_request": {**allocs, "note": "dotnet-counters, peak load; null without dotnet-counters"},
        "ratios": {
            "gateway_over_proxy_rps": round(peak_rps["gateway"] / peak_rps["proxy"], 3),
            "gateway_over_direct_rps": round(peak_rps["gateway"] / peak_rps["direct"], 3),
            "bare_yarp_over_proxy_rps": round(peak_rps["yarp"] / peak_rps["proxy"], 3),
            "bare_kestrel_no_upstream_over_proxy_rps": round(peak_rps["kestrel"] / peak_rps["proxy"], 3),
            "gateway_over_bare_yarp_rps": round(peak_rps["gateway"] / peak_rps["yarp"], 3),
            "proxy_over_direct_rps": round(peak_rps["proxy"] / peak_rps["direct"], 3),
            "half_load_p99_gateway_minus_direct_ms": round(p99("gateway") - p99("direct"), 3),
            "cpu_per_request_gateway_over_bare_yarp": round(
                statistics.median(r["proxy_cpu_us_per_request"] for r in peak["gateway"])
                / statistics.median(r["proxy_cpu_us_per_request"] for r in peak["yarp"]), 2),
            "cpu_per_request_gateway_over_proxy": round(
                statistics.median(r["proxy_cpu_us_per_request"] for r in peak["gateway"])
                / statistics.median(r["proxy_cpu_us_per_request"] for r in peak["proxy"]), 2),
            "half_load_p99_proxy_minus_direct_ms": round(p99("proxy") - p99("direct"), 3),
        },
        "machine": {"cpus": os.cpu_count(), "busy_pct_before": busy_before, "loadavg_before": load_before, "loadavg_after": loadavg()},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
