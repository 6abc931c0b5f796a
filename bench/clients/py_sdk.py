#!/usr/bin/env python3
"""Benchmark client of bench/run.sh: the official Python SDK (kili==26.2.4), unmodified except
that its client-side rate limiter (500 calls/min, module-level `_limiter`) is bypassed when
asked, to compare the clients rather than the limiter. Prints one JSON line
{"secs", "items", "peak_rss_kb"}; secs covers the operation only (not `Kili()` construction).

    py_sdk.py list   PROJECT FIELDS limiter|nolimiter   # FIELDS: "default" or a comma list
    py_sdk.py count  ARGS_JSON REPEAT nolimiter
    py_sdk.py mutate ACTION ARGS_FILE nolimiter         # ACTION: the SDK method name

Endpoint and key: KILI_API_ENDPOINT / KILI_API_KEY (never printed). For bench/real_link.py:
KILI_BENCH_RESET_URL (+ KILI_BENCH_ADMIN_TOKEN) gets a DELETE right before the operation (the
emulator's link counters and rate-limit window), and the JSON line holds `cpu_secs`, the
process CPU (all threads) of the operation alone.
"""
import json
import os
import resource
import sys
import time
import warnings

warnings.filterwarnings("ignore")


def main():
    cmd, a1, a2, limiter = sys.argv[1:5]
    if limiter == "nolimiter":
        import kili.core.graphql.graphql_client as gc

        gc._limiter.try_acquire = lambda *a, **k: True
    from kili.client import Kili

    kili = Kili(api_key=os.environ["KILI_API_KEY"], api_endpoint=os.environ["KILI_API_ENDPOINT"], disable_tqdm=True)
    out = {}
    reset = os.environ.get("KILI_BENCH_RESET_URL")
    if reset:
        import urllib.request

        req = urllib.request.Request(reset, method="DELETE",
                                     headers={"x-emulator-admin-token": os.environ.get("KILI_BENCH_ADMIN_TOKEN", "")})
        urllib.request.urlopen(req, timeout=30).read()
    cpu = time.process_time()
    if cmd == "list":
        kwargs = {} if a2 == "default" else {"fields": a2.split(",")}
        t = time.perf_counter()
        n = 0
        for a in kili.assets(project_id=a1, as_generator=True, disable_tqdm=True, **kwargs):
            n += "id" in a
        out = {"secs": time.perf_counter() - t, "items": n}
    elif cmd == "count":
        args = json.loads(a1)
        times = []
        for _ in range(max(1, int(a2))):
            t = time.perf_counter()
            n = kili.count_assets(**args)
            times.append(time.perf_counter() - t)
        times.sort()
        out = {"secs": times[len(times) // 2], "items": n, "all_secs": times}
    elif cmd == "mutate":
        with open(a2) as f:
            args = json.load(f)
        method = getattr(kili, a1)
        t = time.perf_counter()
        r = method(**args)
        secs = time.perf_counter() - t
        items = None
        if isinstance(r, dict) and isinstance(r.get("succeeded"), list):
            items = len(r["succeeded"])
            out = {"declined": len(r.get("declined") or []), "failed": len(r.get("failed") or [])}
        elif isinstance(r, dict) and isinstance(r.get("asset_ids"), list):
            items = len(r["asset_ids"])
        elif isinstance(r, list):
            items = len(r)
        out.update({"secs": secs, "items": items})
    else:
        sys.exit(f"py_sdk.py: unknown command {cmd!r}")
    out["cpu_secs"] = time.process_time() - cpu
    out["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))


if __name__ == "__main__":
    main()
