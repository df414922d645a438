#!/usr/bin/python3
"""Cold-start benchmark for Knative.Orleans (standard library only; run through ./run.sh).

Measures, in one run, on the same machine and with the same workload (samples/hello/app.py):
  baseline  : spawn the workload directly, time until its first HTTP response (what the app itself costs)
  cold      : time to the first response through the gateway for a revision at zero (what users see)
  overhead  : cold - baseline (p50 / p95), i.e. what the platform adds to a cold start
  create    : POST of a new Service until its Ready condition is True
"""
import json
import os
import statistics
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import PY, admin, get_via_gateway, spawn_to_first_response  # noqa: E402

HELLO = os.environ["HELLO_PY"]
N = int(os.environ.get("N", "20"))




def manifest(name):
    return f"""apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
        - image: bench/hello
          command: ["{PY}", "{HELLO}"]
""".encode()


def ready(svc):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in svc.get("status", {}).get("conditions", []))








def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main():
    ns = "bench" + str(int(time.time()))
    names = [f"cold{i}" for i in range(N)]
    create = []
    for name in names:
        t = time.perf_counter()
        admin("POST", f"/apis/serving.knative.dev/v1/namespaces/{ns}/services", manifest(name))
        while not ready(admin("GET", f"/apis/serving.knative.dev/v1/namespaces/{ns}/services/{name}")):
            time.sleep(0.002)
        create.append(time.perf_counter() - t)

    # Wait until every revision is at zero (stable-window + grace of the platform's configuration).
    deadline = time.time() + 300
    while time.time() < deadline:
        revs = admin("GET", f"/apis/serving.knative.dev/v1/namespaces/{ns}/revisions")["items"]
        if all(r["status"].get("actualReplicas", 0) == 0 for r in revs):
            break
        time.sleep(0.5)
    else:
        sys.exit("revisions did not scale to zero")

    cold, base = [], []
    for name in names:
        base.append(spawn_to_first_response(HELLO))
        t = time.perf_counter()
        get_via_gateway(f"{name}.{ns}.example.com")
        cold.append(time.perf_counter() - t)

    over = [c - b for c, b in zip(cold, base)]
    ms = lambda v: round(v * 1000, 1)
    result = {
        "n": N,
        "baseline_ms": {"p50": ms(pct(base, 50)), "p95": ms(pct(base, 95))},
        "cold_start_ms": {"p50": ms(pct(cold, 50)), "p95": ms(pct(cold, 95))},
        "overhead_ms": {"p50": ms(statistics.median(over)), "p95": ms(pct(over, 95))},
        "cold_over_baseline_ratio_p50": round(pct(cold, 50) / pct(base, 50), 2),
        "create_to_ready_ms": {"p50": ms(pct(create, 50)), "p95": ms(pct(create, 95))},
    }
    print(json.dumps(result, indent=2))
    for name in names:
        admin("DELETE", f"/apis/serving.knative.dev/v1/namespaces/{ns}/services/{name}")


if __name__ == "__main__":
    main()
