#!/usr/bin/python3
"""Control-plane scale benchmark (standard library only; run through ./run.sh).

On one platform process (allow-zero-initial-scale true, a short Cluster:GrainCollectionAge):
  baseline : GET /healthz with the same clients (the HTTP floor of the admin listener: no auth, no grain, no storage);
             after the run, raw SQLite inserts of the same number of rows of the same average size into a fresh WAL
             database with synchronous=FULL: one commit per row, and in groups of 512 (what a disk allows).
  first    : the process's first WARM_N creates (namespace warmup), reported apart: until the JIT has tiered up the
             create path (tens of thousands of calls of each method; TieredPGO adds an instrumented tier), a create costs
             2-4x the CPU of a warm one.
  create   : then N services with autoscaling.knative.dev/initial-scale "0" (nothing starts) through POST .../services,
             CONCURRENCY clients (LoadTool); create rate, latency, silo CPU per create.
  idle     : silo RSS (VmRSS) before, right after the creates, and once the grains are collected (Orleans' activation
             gauge back to where it was), each read right after a full GC (induced by dotnet-gcdump), and the live
             managed heap left by that GC (the dump's report): memory per service.
  cold     : one more never-run service (samples/hello/app.py); after collection, the time to its first response through
             the gateway on a fresh connection; baseline: the same app spawned directly until its first 200.
  list     : GET the service list once (time and items) and how many grains that activated.
Prints one JSON object.
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import PY, admin, get_via_gateway, spawn_to_first_response  # noqa: E402

ADMIN = os.environ["ADMIN_URL"]
TOKEN = os.environ["ADMIN_TOKEN"]
PID = int(os.environ["SILO_PID"])
DATA = os.environ["DATA_DIR"]
TOOL = os.environ["LOAD_TOOL"]
HELLO = os.environ["HELLO_PY"]
N = int(os.environ["N"])
WARM_N = int(os.environ.get("WARM_N", "10000"))
CONCURRENCY = int(os.environ.get("CONCURRENCY", "64"))
COLLECT_DEADLINE = float(os.environ.get("COLLECT_DEADLINE_SECONDS", "900"))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def tool(*args):
    out = subprocess.run(["dotnet", TOOL, *map(str, args)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def rss_kib():
    with open(f"/proc/{PID}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def settled_memory():
    """RSS right after a full blocking GC (dotnet-gcdump induces one), and the live managed heap that GC left (from the
    dump's report): RSS keeps memory the GC committed at the peak, the live heap is what the services still hold."""
    gcdump = os.path.expanduser("~/.dotnet/tools/dotnet-gcdump")
    with tempfile.TemporaryDirectory() as d:
        dump = os.path.join(d, "x.gcdump")
        subprocess.run([gcdump, "collect", "-p", str(PID), "-o", dump], check=True, capture_output=True)
        rss = rss_kib()
        report = subprocess.run([gcdump, "report", dump], check=True, capture_output=True, text=True).stdout
    heap = next(int(line.split()[0].replace(",", "")) for line in report.splitlines() if "GC Heap bytes" in line)
    return rss, heap


def cpu_seconds():
    with open(f"/proc/{PID}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v), v[3] + v[4]


def activations():
    """Orleans' own gauge (meter Microsoft.Orleans, orleans-catalog-activations), read with dotnet-counters."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "c.csv")
        subprocess.run([os.path.expanduser("~/.dotnet/tools/dotnet-counters"), "collect", "-p", str(PID),
                        "--counters", "Microsoft.Orleans[orleans-catalog-activations]", "--refresh-interval", "1",
                        "--duration", "00:00:04", "--format", "csv", "-o", out],
                       check=True, capture_output=True)
        total = {}
        with open(out) as f:
            for line in f.readlines()[1:]:
                parts = line.rstrip("\n").split(",")
                if len(parts) >= 5 and "orleans-catalog-activations" in parts[2]:
                    total.setdefault(parts[0], 0.0)
                    total[parts[0]] += float(parts[4])
        if not total:
            raise RuntimeError("dotnet-counters reported no orleans-catalog-activations")
        return int(total[max(total)])




def wait_collected(baseline):
    """Waits (on Orleans' own activation gauge, with a deadline) until at most 50 activations more than `baseline` are
    left; returns the activations and the seconds waited."""
    t0 = time.monotonic()
    while True:
        count = activations()
        if count <= baseline + 50:
            return count, time.monotonic() - t0
        if time.monotonic() - t0 > COLLECT_DEADLINE:
            sys.exit(f"grains not collected after {COLLECT_DEADLINE} s: {count} activations (before: {baseline})")
        time.sleep(2)


def hello_manifest(name):
    return f"""apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: {name}
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/initial-scale: "0"
    spec:
      containers:
        - image: bench/hello
          command: ["{PY}", "{HELLO}"]
""".encode()








def sqlite_baseline(rows, row_bytes):
    """Raw inserts of `rows` rows of `row_bytes` each into a fresh WAL database with synchronous=FULL."""
    result = {}
    with tempfile.TemporaryDirectory(dir=os.path.dirname(DATA)) as d:
        for label, group in (("one_commit_per_row", 1), ("groups_of_512", 512)):
            db = sqlite3.connect(os.path.join(d, f"{label}.db"), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, etag TEXT, data BLOB)")
            payload = os.urandom(row_bytes)
            count = min(rows, 3000) if group == 1 else rows  # one fsync per row: a sample is enough
            start = time.perf_counter()
            for first in range(0, count, group):
                db.execute("BEGIN")
                for i in range(first, min(count, first + group)):
                    db.execute("INSERT INTO t VALUES (?, ?, ?)", (f"bench/svc-{i:06d}", "e" * 32, payload))
                db.execute("COMMIT")
            seconds = time.perf_counter() - start
            db.close()
            result[label] = {"rows": count, "seconds": round(seconds, 3), "rows_per_second": round(count / seconds, 1)}
    return result


def main():
    with open("/proc/loadavg") as f:
        load_before = " ".join(f.read().split()[:3])
    result = {"n": N, "warm_n": WARM_N, "concurrency": CONCURRENCY}
    # The first WARM_N creates (JIT, connection pools, grain types) in another namespace, measured on their own; then the
    # baseline with the same clients.
    act_start = activations()
    cpu0 = cpu_seconds()
    first = tool("create", ADMIN, TOKEN, "warmup", 0, WARM_N, CONCURRENCY)
    first["silo_cpu_ms_per_create"] = round((cpu_seconds() - cpu0) * 1000 / WARM_N, 3)
    result["create_first"] = first
    result["baseline_healthz"] = tool("healthz", ADMIN, min(max(N, 20000), 100000), CONCURRENCY)
    wait_collected(act_start)  # the first creates' grains go first: none may be counted in, or freed during, the idle numbers
    rss_before, heap_before = settled_memory()
    act_before = activations()

    cpu0, (tot0, idle0) = cpu_seconds(), machine_busy()
    create = tool("create", ADMIN, TOKEN, "bench", 0, N, CONCURRENCY)
    cpu1, (tot1, idle1) = cpu_seconds(), machine_busy()
    if create["errors"]:
        sys.exit(f"create errors: {create}")
    create["silo_cpu_ms_per_create"] = round((cpu1 - cpu0) * 1000 / N, 3)
    create["silo_cpu_cores"] = round((cpu1 - cpu0) / create["seconds"], 2)
    create["machine_busy_pct"] = round(100 * (1 - (idle1 - idle0) / max(1, tot1 - tot0)), 1)
    result["create"] = create
    result["create_over_healthz"] = round(create["per_second"] / result["baseline_healthz"]["per_second"], 4)

    admin("POST", "/apis/serving.knative.dev/v1/namespaces/cold/services", hello_manifest("never-run"))
    rss_after, heap_after = settled_memory()
    act_after = activations()

    # Idle: wait until the grains of the new services are collected.
    act_idle, collected_after = wait_collected(act_before)
    rss_idle, heap_idle = settled_memory()
    result["memory"] = {
        "rss_before_mib": round(rss_before / 1024, 1),
        "rss_after_creates_mib": round(rss_after / 1024, 1),
        "rss_idle_mib": round(rss_idle / 1024, 1),
        "activations_before": act_before,
        "activations_after_creates": act_after,
        "activations_idle": act_idle,
        "seconds_until_collected": round(collected_after, 1),
        "kib_per_service_active": round((rss_after - rss_before) / N, 2),
        "kib_per_service_idle": round((rss_idle - rss_before) / N, 3),
        "live_heap_mib_before_after_idle": [round(h / 2**20, 1) for h in (heap_before, heap_after, heap_idle)],
        "live_heap_kib_per_service_idle": round((heap_idle - heap_before) / 1024 / N, 3),
    }
    cpu_idle0 = cpu_seconds()
    time.sleep(10)
    result["memory"]["idle_silo_cpu_pct"] = round((cpu_seconds() - cpu_idle0) * 100 / 10, 1)

    # Cold start of a service that has never run, all its grains collected.
    t = time.perf_counter()
    get_via_gateway("never-run.cold.example.com")
    cold = time.perf_counter() - t
    base = sorted(spawn_to_first_response(HELLO) for _ in range(5))[2]
    result["cold_start"] = {"first_response_ms": round(cold * 1000, 1), "app_spawn_to_200_ms_median_of_5": round(base * 1000, 1),
                            "overhead_ms": round((cold - base) * 1000, 1)}

    # Listing.
    before = activations()
    result["list"] = tool("list", ADMIN, TOKEN, "bench")
    result["list"]["activations_before"] = before
    result["list"]["activations_after"] = activations()

    db = sqlite3.connect(f"file:{DATA}/state.db?mode=ro", uri=True)
    rows, size = db.execute("SELECT count(*), avg(length(data) + length(grain_key) + 40) FROM grain_state").fetchone()
    db.close()
    result["storage"] = {"grain_state_rows": rows, "avg_row_bytes": int(size)}
    result["baseline_sqlite"] = sqlite_baseline(rows, int(size))
    rate = result["baseline_sqlite"]["one_commit_per_row"]["rows_per_second"]
    result["state_rows_written_per_second"] = round(create["per_second"] * rows / (N + WARM_N + 1), 1)
    result["state_rows_per_second_over_one_commit_per_row"] = round(result["state_rows_written_per_second"] / rate, 2)
    with open("/proc/loadavg") as f:
        result["machine"] = {"cpus": os.cpu_count(), "loadavg_before": load_before, "loadavg_after": " ".join(f.read().split()[:3])}
    print(json.dumps(result, indent=2))


main()
