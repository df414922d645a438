#!/usr/bin/python3
"""Silo CPU with many active revisions (standard library only; run through ./run.sh).

Phases, on one platform process:
  idle    : the platform with no service at all (the baseline), MEASURE_SECONDS of silo utime+stime from /proc/<pid>/stat
  active  : N services with autoscaling.knative.dev/min-scale "1" whose workload is `nc -dlk 127.0.0.1 $PORT` (openbsd
            netcat: ~1.6 MB, accepts the TCP readiness probe, never forks): every revision grain holds one instance and
            runs its 2 s KPA tick (Record of the grain's own zero sample, Snapshot, Decide, Apply, status compare).
            No request is sent, so the gateway reports nothing; the driver's readiness probe of each ready instance
            (every LocalDriver:ReadyProbePeriod, 1 s by default) is part of what is measured.
Prints JSON: CPU % of one core per phase, the difference per revision, and per tick.
"""
import concurrent.futures
import json
import os
import sys
import time
import urllib.request

ADMIN = os.environ["ADMIN_URL"]
TOKEN = os.environ["ADMIN_TOKEN"]
SILO_PID = int(os.environ["SILO_PID"])
N = int(os.environ.get("N", "1000"))
MEASURE = float(os.environ.get("MEASURE_SECONDS", "30"))
SETTLE = float(os.environ.get("SETTLE_SECONDS", "10"))
NS = "bench"
CLK_TCK = os.sysconf("SC_CLK_TCK")
TICK = 2.0


def admin(method, path, body=None):
    req = urllib.request.Request(ADMIN + path, method=method, data=body,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/yaml"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def manifest(name):
    return f"""apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: {name}
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1"
    spec:
      containers:
        - image: bench/nc
          command: ["/bin/sh", "-c", "exec /usr/bin/nc.openbsd -dlk 127.0.0.1 $PORT"]
""".encode()


def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # Fields after the command: utime (14), stime (15), num_threads (20), rss in pages (24), numbered from pid = 1.
    return int(fields[11]) + int(fields[12]), int(fields[17]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE")


def machine():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v), v[3] + v[4]


def measure(label):
    """Silo CPU over MEASURE seconds, as % of one core, plus how busy the whole machine was meanwhile."""
    cpu0, threads, _ = stat(SILO_PID)
    tot0, idle0 = machine()
    t0 = time.monotonic()
    time.sleep(MEASURE)
    cpu1, threads, rss = stat(SILO_PID)
    tot1, idle1 = machine()
    wall = time.monotonic() - t0
    cpu_s = (cpu1 - cpu0) / CLK_TCK
    return {
        "phase": label,
        "seconds": round(wall, 1),
        "silo_cpu_s": round(cpu_s, 2),
        "silo_cpu_pct_of_one_core": round(100 * cpu_s / wall, 2),
        "silo_threads": threads,
        "silo_rss_mb": round(rss / 2**20),
        "machine_busy_pct": round(100 * (1 - (idle1 - idle0) / max(1, tot1 - tot0)), 1),
    }


def ready_count():
    items = admin("GET", f"/apis/serving.knative.dev/v1/namespaces/{NS}/revisions")["items"]
    return sum(1 for r in items if r.get("status", {}).get("actualReplicas", 0) >= 1)


def main():
    time.sleep(SETTLE)  # the silo's own start-up work (JIT, first membership rounds) is not idle cost
    idle = measure("idle")

    t0 = time.monotonic()
    names = [f"s{i:04d}" for i in range(N)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: admin("POST", f"/apis/serving.knative.dev/v1/namespaces/{NS}/services", manifest(n)), names))
    created = time.monotonic() - t0
    deadline = time.monotonic() + 600
    while (ready := ready_count()) < N:
        if time.monotonic() > deadline:
            sys.exit(f"only {ready} of {N} revisions became ready")
        time.sleep(2)
    all_ready = time.monotonic() - t0
    time.sleep(SETTLE)
    active = measure(f"{N} active revisions")
    still_ready = ready_count()

    extra_pct = active["silo_cpu_pct_of_one_core"] - idle["silo_cpu_pct_of_one_core"]
    extra_cpu_s = active["silo_cpu_s"] - idle["silo_cpu_s"] * active["seconds"] / idle["seconds"]
    result = {
        "revisions": N,
        "ready_during_measurement": still_ready,
        "create_all_s": round(created, 1),
        "create_to_all_ready_s": round(all_ready, 1),
        "idle": idle,
        "active": active,
        "extra_cpu_pct_of_one_core": round(extra_pct, 2),
        "active_over_idle_cpu": round(active["silo_cpu_s"] / max(0.01, idle["silo_cpu_s"]), 2),
        "per_revision_cpu_pct_of_one_core": round(extra_pct / N, 5),
        "per_revision_us_per_second": round(extra_cpu_s / active["seconds"] / N * 1e6, 1),
        "per_revision_us_per_tick": round(extra_cpu_s / (active["seconds"] / TICK) / N * 1e6, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
