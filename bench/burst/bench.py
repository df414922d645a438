#!/usr/bin/python3
"""Burst benchmark for Knative.Orleans (standard library only; run through ./run.sh).

A service with containerConcurrency 1 (samples/hello/app.py) sits at zero. N clients then do back-to-back
GET /sleep?ms=200 through the gateway for LOAD_SECONDS; the revision's status is sampled every 200 ms. Reports when
actualReplicas reached the count the KPA needs (ceil(N / 0.7) for CC=1 at 70% target utilization), in seconds and in
2 s autoscaler ticks, the peak, errors (non-200 or failed requests), and, once the load stops, how long until zero.
RUNS bursts (default 3) in one platform run, each starting from zero: when the first poke lands decides how fast the
stable average climbs, so one burst is not representative.
Baseline in the same run: the same N clients for BASELINE_SECONDS directly against one app.py process started by this
script (no platform, no concurrency limit), for the request latency the app itself gives. The baseline opens a fresh
connection per request: on a reused connection app.py's separate header and body writes meet Python's delayed ACK
(Nagle), which adds ~40 ms per request that has nothing to do with the platform.
"""
import http.client
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ADMIN = os.environ["ADMIN_URL"]
GATEWAY = os.environ["GATEWAY_URL"]
TOKEN = os.environ["ADMIN_TOKEN"]
HELLO = os.environ["HELLO_PY"]
N = int(os.environ.get("N", "10"))
LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "15"))
RUNS = int(os.environ.get("RUNS", "3"))
PANIC_WINDOW_PERCENTAGE = os.environ.get("PANIC_WINDOW_PERCENTAGE")  # optional annotation (Knative default 10)
BASELINE_SECONDS = float(os.environ.get("BASELINE_SECONDS", "5"))
SLEEP_MS = 200
SAMPLE_PERIOD = 0.2
TICK = 2.0
TARGET_UTILIZATION = 0.7  # container-concurrency-target-percentage default
PY = "/usr/bin/python3"
NS, SVC = "bench", "burst"
REVISION = f"{SVC}-00001"
HOST = f"{SVC}.{NS}.example.com"


def admin(method, path, body=None):
    req = urllib.request.Request(ADMIN + path, method=method, data=body,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/yaml"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def manifest():
    annotations = json.dumps({"autoscaling.knative.dev/panic-window-percentage": PANIC_WINDOW_PERCENTAGE}
                             if PANIC_WINDOW_PERCENTAGE else {})
    return f"""apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: {SVC}
spec:
  template:
    metadata:
      annotations: {annotations}
    spec:
      containerConcurrency: 1
      containers:
        - image: bench/hello
          command: ["{PY}", "{HELLO}"]
""".encode()


def revision_status():
    return admin("GET", f"/apis/serving.knative.dev/v1/namespaces/{NS}/revisions/{REVISION}").get("status", {})


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = revision_status()
        if predicate(status):
            return status
        time.sleep(SAMPLE_PERIOD)
    sys.exit(f"timed out after {timeout} s waiting for {what}: {json.dumps(revision_status())}")


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def clients(port, host, seconds, keep_alive=True):
    """N threads doing back-to-back GETs (on keep-alive connections unless told).
    Returns ((start, end) monotonic times of the 200s, error descriptions)."""
    stop_at = time.monotonic() + seconds
    done, errors, lock = [], [], threading.Lock()

    def run():
        conn = None
        while time.monotonic() < stop_at:
            t = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", f"/sleep?ms={SLEEP_MS}", headers={"Host": host})
                r = conn.getresponse()
                body = r.read()
                with lock:
                    if r.status == 200:
                        done.append((t, time.monotonic()))
                    else:
                        errors.append(f"{r.status} {body[:80]!r}")
                if not keep_alive:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors.append(f"{type(e).__name__}: {e}")
                conn.close() if conn else None
                conn = None
        if conn:
            conn.close()

    threads = [threading.Thread(target=run) for _ in range(N)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return done, errors


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def baseline():
    port = free_port()
    proc = subprocess.Popen([PY, HELLO], env={**os.environ, "PORT": str(port)}, stdout=subprocess.DEVNULL)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.01)
        done, errors = clients(port, "localhost", BASELINE_SECONDS, keep_alive=False)
        return [end - begin for begin, end in done], errors
    finally:
        proc.terminate()
        proc.wait()


def busy_pct(seconds=2.0):
    """How busy the machine is before we load it (other engineers' builds and tests share the 2 cores)."""
    def read():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]
    tot0, idle0 = read()
    time.sleep(seconds)
    tot1, idle1 = read()
    return round(100 * (1 - (idle1 - idle0) / max(1, tot1 - tot0)), 1)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def burst(needed):
    """One burst from zero; returns its measurements and the latencies of its successful requests."""
    samples, sampling = [], threading.Event()
    sampling.set()
    start = time.monotonic()

    def sample():
        while sampling.is_set():
            t0 = time.monotonic()
            try:
                s = revision_status()
                samples.append((t0 - start, s.get("actualReplicas", 0), s.get("desiredReplicas", 0)))
            except OSError:
                pass
            time.sleep(max(0, SAMPLE_PERIOD - (time.monotonic() - t0)))

    sampler = threading.Thread(target=sample)
    sampler.start()
    done, errors = clients(int(GATEWAY.rsplit(":", 1)[1]), HOST, LOAD_SECONDS)
    load_end = time.monotonic() - start
    latencies = [end - begin for begin, end in done]

    # After the load: until zero ready and zero desired (the stable window must pass without traffic).
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not (samples and samples[-1][0] > load_end and samples[-1][1:] == (0, 0)):
        time.sleep(SAMPLE_PERIOD)
    sampling.clear()
    sampler.join()

    reached = next((t for t, actual, _ in samples if actual >= needed), None)
    first_ready = next((t for t, actual, _ in samples if actual >= 1), None)
    zero = next((t for t, actual, desired in samples if t > load_end and actual == 0 and desired == 0), None)
    # Is containerConcurrency enforced? In the 1.5 s after the first instance is ready, CC=1 allows at most
    # ready x 1 request in flight; Little's law gives the in-flight count the instances actually carried.
    per_instance = None
    if first_ready is not None:
        lo, hi = first_ready, first_ready + 1.5
        ready = max((a for t, a, _ in samples if lo <= t <= hi), default=0)
        completed = sum(1 for _, end in done if lo <= end - start <= hi)
        if ready:
            per_instance = round(completed / 1.5 * (SLEEP_MS / 1000) / ready, 2)
    timeline, last = [], None
    for t, actual, desired in samples:
        if (actual, desired) != last:
            timeline.append([round(t, 1), actual, desired])
            last = (actual, desired)
    result = {
        "time_to_first_ready_s": first_ready and round(first_ready, 2),
        "time_to_needed_s": reached and round(reached, 2),
        "time_to_needed_ticks": reached and round(reached / TICK, 1),
        "peak_actual_replicas": max((a for _, a, _ in samples), default=0),
        "peak_desired_replicas": max((d for _, _, d in samples), default=0),
        "requests_ok": len(latencies),
        "rps": round(len(latencies) / load_end, 1),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "latency_ms": {"p50": ms(pct(latencies, 50)), "p99": ms(pct(latencies, 99)), "max": ms(max(latencies, default=None))},
        "scale_to_zero_after_load_s": zero and round(zero - load_end, 1),
        "in_flight_per_ready_instance_early": per_instance,
        "timeline_s_actual_desired": timeline,
    }
    return result, latencies


def ms(v):
    return None if v is None else round(v * 1000, 1)


def main():
    load_before = loadavg()
    busy_before = busy_pct()
    base_lat, base_err = baseline()

    admin("PUT", f"/apis/serving.knative.dev/v1/namespaces/{NS}/services/{SVC}", manifest())
    wait_for(lambda s: s.get("actualReplicas", 0) >= 1, 60, "the initial instance")
    t = time.monotonic()
    wait_for(lambda s: s.get("actualReplicas", 0) == 0 and s.get("desiredReplicas", 0) == 0, 120, "scale to zero before the burst")
    initial_to_zero = time.monotonic() - t

    needed = math.ceil(N / TARGET_UTILIZATION - 1e-9)
    runs, all_latencies = [], []
    for _ in range(RUNS):
        run, latencies = burst(needed)
        runs.append(run)
        all_latencies += latencies

    reached = [r["time_to_needed_s"] for r in runs]
    gw_p50, base_p50 = pct(all_latencies, 50), pct(base_lat, 50)
    result = {
        "n_clients": N,
        "container_concurrency": 1,
        "needed_replicas": needed,
        "panic_window_percentage": PANIC_WINDOW_PERCENTAGE or "10 (default)",
        "runs": len(runs),
        "summary": {
            "time_to_needed_s": reached,
            "time_to_needed_ticks_worst": None if None in reached else round(max(reached) / TICK, 1),
            "within_2_ticks": sum(1 for x in reached if x is not None and x <= 2 * TICK),
            "peak_actual_replicas": max(r["peak_actual_replicas"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
            "scale_to_zero_after_load_s": [r["scale_to_zero_after_load_s"] for r in runs],
            "latency_ms": {"p50": ms(gw_p50), "p99": ms(pct(all_latencies, 99))},
            "in_flight_per_ready_instance_early": [r["in_flight_per_ready_instance_early"] for r in runs],
        },
        "initial_instance_to_zero_s": round(initial_to_zero, 1),
        "baseline_direct": {"requests_ok": len(base_lat), "errors": len(base_err), "seconds": BASELINE_SECONDS,
                            "rps": round(len(base_lat) / BASELINE_SECONDS, 1),
                            "latency_ms": {"p50": ms(base_p50), "p99": ms(pct(base_lat, 99))}},
        "ratios": {
            "p50_latency_over_direct": gw_p50 and round(gw_p50 / base_p50, 3),
            "rps_over_direct": round(statistics.median(r["rps"] for r in runs) / (len(base_lat) / BASELINE_SECONDS), 3),
        },
        "per_run": runs,
        "machine": {"cpus": os.cpu_count(), "busy_pct_before": busy_before, "loadavg_before": load_before, "loadavg_after": loadavg()},
    }
    print(json.dumps(result, indent=2))
    admin("DELETE", f"/apis/serving.knative.dev/v1/namespaces/{NS}/services/{SVC}")


if __name__ == "__main__":
    main()
