#!/usr/bin/env python3
"""Real-link benchmark: kili-native and the official SDK where users run them, i.e. far from
Kili's cloud (fixed + jittered latency per request) behind a server-side rate limit of 500
GraphQL requests per rolling minute that answers 429 with Retry-After. Not part of CI.

    cargo build --release -p kili-capi -p kili-emulator -p kili-bench   # (.venv: bench/run.sh)
    .venv/bin/python bench/real_link.py                # reduced matrix, ~16 min on 2 cores
    .venv/bin/python bench/real_link.py --full         # every scenario at 80/150/300 ms (hours)
    .venv/bin/python bench/real_link.py --report-only  # re-render from bench/real_link.json

It starts its own emulators on 127.0.0.1 (`--link-latency-ms`, `--link-jitter-ms`,
`--rate-limit-per-minute`; one per link setting), and runs each contender as its own process:

* `native`: kili-native (Rust, `kili-bench`) at its **defaults** (`ClientOptions::default()`:
  500 requests/min rolling-window limiter, prefetch_pages 8, mutation_concurrency 8 since
  session 7; 2 and 4 before);
* `native_tuned`: the same with `--tuned` options (default: prefetch 8, concurrency 8);
* `sdk`: the official Python SDK 26.2.4 as shipped (its 500 calls/min limiter);
* `sdk_nolimit`: the SDK with its limiter bypassed (as in bench/run.sh).

Per run: wall time of the operation, GraphQL requests the server received and the 429s it
answered (the emulator's link counters, reset by the client right before the operation, which
also starts a fresh rate-limit window: every run starts as after an idle minute), the client's
CPU seconds for the operation (user + system, all threads), and the theoretical best:

    best(k) = max(ceil(R / k) * L,  floor((R - 1) / C) * W + L)

R = the fewest requests any contender needed for the scenario (accepted ones), L = mean
latency (fixed + jitter / 2), C per W = the server's rate limit, k = requests in flight (the
client's own k for "own bound", 8 for the scenario's best). Loopback rows (latency 0, no
server limit) give the CPU per asset and the loopback speed-up with every limiter off.
Results: bench/real_link.json; the Markdown section "Real link" of bench/RESULTS.md is rendered
from it by harness/report.py (and printed here), plots in bench/plots/real_link_*.png.
"""
import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from harness.emulator import ADMIN, Emulator  # noqa: E402
from harness import real_link_report  # noqa: E402
from harness.scenarios import mutation_args  # noqa: E402

OUT = BENCH / "real_link.json"
WINDOW_S = 60.0
# kili-native's ClientOptions::default() widths (src/config.rs): the k of the defaults' own bound.
NATIVE_DEFAULTS = {"prefetch_pages": 8, "mutation_concurrency": 8}
# The field sets listed: the SDK's defaults, and three that users ask for (two fields; the
# metadata and workflow fields without labels; the latest label's answer and author).
FIELD_SETS = {
    "default": "default",
    "id,externalId": "id,externalId",
    "metadata+status": "id,externalId,jsonMetadata,status,createdAt,updatedAt,priority,consensusMark",
    "latestLabel": "id,externalId,latestLabel.jsonResponse,latestLabel.author.email,latestLabel.createdAt",
}
COUNT_FILTERS = {
    "metadata (parity = odd, i in range)": {"metadata_where": {"parity": "odd", "i": [1000, 900000]}},
    "label category search": {"label_category_search": "CLASSIFICATION_JOB.A.count > 0"},
    "metadata + category search + status": {
        "metadata_where": {"parity": "odd"},
        "label_category_search": "(CLASSIFICATION_JOB.A.count > 0 OR CLASSIFICATION_JOB.B.count >= 1) AND CLASSIFICATION_JOB.B.count < 5",
        "status_in": ["LABELED"],
    },
}
ACTIONS = ["append_many_to_dataset", "update_properties_in_assets", "add_to_review", "send_back_to_queue",
           "delete_many_from_dataset"]


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


class Runner:
    def __init__(self, a):
        self.a = a
        rel = Path(a.target) / "release"
        self.kb = str(rel / "kili-bench")
        self.emulator_bin = str(rel / "kili-emulator")
        self.python = str(ROOT / ".venv/bin/python")
        self.py_sdk = str(BENCH / "clients/py_sdk.py")
        self.work = Path(tempfile.mkdtemp(prefix="kili-real-link-"))
        (self.work / "home").mkdir()
        self.tuned = json.loads(a.tuned)

    # -- contenders ---------------------------------------------------------------------
    def native_env(self, key, link_on):
        """kili-native options of a contender: defaults are ClientOptions::default() on a link
        (its 500/min limiter on); on loopback every limiter is off, as in bench/run.sh."""
        o = {} if key == "native" else dict(self.tuned)
        if not link_on:
            o["rate_limit_per_minute"] = 0
        return {"KILI_BENCH_OPTIONS": json.dumps(o)}

    def in_flight(self, key, kind):
        """Requests a contender keeps in flight in a scenario (the k of its own bound)."""
        if key.startswith("sdk"):
            return 1  # the SDK executes one request at a time (module-level lock)
        o = dict(NATIVE_DEFAULTS)
        if key == "native_tuned":
            o.update(self.tuned)
        if kind == "list":
            return max(1, o["prefetch_pages"])
        if kind in ("count", "append_many_to_dataset"):
            return 1  # mutation_concurrency does not apply to the import
        return o["mutation_concurrency"]

    def cmd(self, key, kind, arg, link_on, project):
        """(argv, extra env) of one contender's operation."""
        if key.startswith("native"):
            env = self.native_env(key, link_on)
            if kind == "list":
                return [self.kb, "list", project, arg, "-", "page"], env
            if kind == "count":
                return [self.kb, "count", arg, "1"], env
            return [self.kb, "mutate", kind, arg], env
        lim = "limiter" if key == "sdk" and link_on else "nolimiter"
        if kind == "list":
            return [self.python, self.py_sdk, "list", project, arg, lim], {}
        if kind == "count":
            return [self.python, self.py_sdk, "count", arg, "1", lim], {}
        return [self.python, self.py_sdk, "mutate", kind, arg, lim], {}

    # -- one measured process -------------------------------------------------------------
    def run(self, emu, key, kind, arg, link_on, project):
        argv, extra = self.cmd(key, kind, arg, link_on, project)
        env = dict(emu.env(), HOME=str(self.work / "home"), KILI_BENCH_RESET_URL=emu.base_url + "/emulator/link",
                   KILI_BENCH_ADMIN_TOKEN=ADMIN, **extra)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=self.a.run_timeout)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = {"key": key, "kind": kind,
             "process_cpu_secs": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
             "process_wall_secs": wall}
        lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
        if p.returncode != 0 or not lines:
            r["error"] = (p.stderr.strip() or p.stdout.strip())[-600:]
        else:
            r.update(json.loads(lines[-1]))
        st = emu.link_stats()
        r["requests"] = st.get("graphql_requests")
        r["http_429"] = st.get("rate_limited")
        r["api_requests"] = st.get("api_requests")  # + uploads (the import's file PUTs)
        return r


def best(R, L, k, cap):
    """The fastest any client could do R requests: latency-bound with k in flight, or bound by
    a rolling window of `cap` requests per WINDOW_S (the first `cap` at once, then the next
    `cap` a window later, ...)."""
    lat = math.ceil(R / k) * L
    rate = (math.floor((R - 1) / cap) * WINDOW_S + L) if cap else 0.0
    return max(lat, rate, L)


def scenario(run, emu, link, name, kind, arg, keys, project, size, expect, runs):
    """Runs `keys` interleaved `runs` times; returns the rows of one scenario."""
    rows = {k: [] for k in keys}
    for i in range(runs):
        order = keys[i % len(keys):] + keys[:i % len(keys)]
        for k in order:
            a = arg(k) if callable(arg) else arg
            r = run.run(emu, k, kind, a, link["latency_ms"] > 0, project)
            if "error" not in r and expect is not None and r.get("items") not in (None, expect):
                r["check"] = f"{r.get('items')} items, expected {expect}"
            log(f"  {link['name']:>8} {name:<40} {k:<12} " + (f"ERROR {r['error'][:200]}" if "error" in r else
                f"{r['secs']:8.2f} s  req {r['requests']:>5}  429 {r['http_429']:>3}  cpu {r.get('cpu_secs', 0):6.2f} s"
                + (f"  CHECK {r['check']}" if "check" in r else "")))
            rows[k].append(r)
    ok = [r for rs in rows.values() for r in rs if "error" not in r]
    R = min((r["requests"] - r["http_429"] for r in ok), default=0)
    return {"name": name, "kind": kind, "size": size, "project": project, "min_requests": R, "runs": rows,
            "in_flight": {k: run.in_flight(k, kind) for k in keys}}


def mutation_projects(run, emu, size, tag):
    """A fresh empty TEXT project (import) and a generated IMAGE project (the other actions:
    half LABELED, half TODO) with its ids file."""
    tp, ip = f"imp-{tag}", f"mut-{tag}"
    emu.add_project(tp, "TEXT")
    emu.add_project(ip, "IMAGE")
    emu.generate(ip, size)
    ids_file = run.work / f"ids-{tag}.txt"
    p = subprocess.run([run.kb, "ids", ip, str(ids_file)], env=dict(emu.env()), capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"ids: {p.stderr[-400:]}")
    ids = ids_file.read_text().split()
    if len(ids) != size:
        raise RuntimeError(f"mutations: {len(ids)} ids listed, expected {size}")
    return tp, ids


def link_setting(run, lat, cap):
    jitter = round(lat * run.a.jitter_frac)
    name = f"{lat} ms" if lat else "loopback"
    return {"name": name, "latency_ms": lat, "jitter_ms": jitter, "mean_latency_s": (lat + jitter / 2) / 1000,
            "rate_limit_per_minute": cap if lat else 0}


def run_link(run, link, plan, out):
    # Loopback: link mode with an unreachable limit, only for its request counters (no timer
    # is armed without latency or bandwidth cap).
    extra = ["--rate-limit-per-minute", "1000000000"]
    if link["latency_ms"]:
        extra = ["--link-latency-ms", str(link["latency_ms"]), "--link-jitter-ms", str(link["jitter_ms"]),
                 "--rate-limit-per-minute", str(link["rate_limit_per_minute"]), "--link-seed", "7"]
    sizes = sorted({s for (_, s, _) in plan.get("list", [])} | ({plan["count"]} if plan.get("count") else set()))
    log(f"{link['name']}: emulator, projects of {sizes} assets")
    emu = Emulator(run.emulator_bin, extra_args=extra)
    res = link  # filled in place, so every intermediate save holds what ran so far
    res["scenarios"] = []
    try:
        for s in sizes:
            emu.add_project(f"p{s}")
            emu.generate(f"p{s}", s)
        # The SDK caches the schema per host:port: fill the cache once for this emulator.
        run.run(emu, "sdk_nolimit", "count", json.dumps({"project_id": f"p{sizes[0]}"}) if sizes else "{}", False, None)
        for fields_name, size, keys in plan.get("list", []):
            sc = scenario(run, emu, link, f"list {size:,} {fields_name}", "list", FIELD_SETS[fields_name], keys,
                          f"p{size}", size, size, run.a.runs if size <= run.a.size else 1)
            sc["fields"] = fields_name
            res["scenarios"].append(sc)
            out_save(out)
        if plan.get("count"):
            for fname, f in COUNT_FILTERS.items():
                args = json.dumps(dict({"project_id": f"p{plan['count']}"}, **f))
                sc = scenario(run, emu, link, f"count {plan['count']:,}: {fname}", "count", args,
                              plan["count_keys"], None, plan["count"], None, 1)
                res["scenarios"].append(sc)
        for size, keys in plan.get("mutations", []):
            per_action = {a: {k: [] for k in keys} for a in ACTIONS}
            for i in range(run.a.mutation_runs):
                for k in keys:
                    tp, ids = mutation_projects(run, emu, size, f"{link['latency_ms']}-{k}-{i}")
                    # Each text asset is one upload (a signed-URL PUT that crosses the link too): on a
                    # link the import is bound by those, so the reduced matrix imports fewer.
                    ni = size if not link["latency_ms"] else min(size, run.a.link_import_size)
                    args = mutation_args(tp, ids, ni, i)
                    expect = {"append_many_to_dataset": ni, "update_properties_in_assets": size,
                              "add_to_review": size // 2, "send_back_to_queue": size // 2, "delete_many_from_dataset": size}
                    for action in plan.get("actions", ACTIONS):
                        f = run.work / f"args-{action}.json"
                        f.write_text(json.dumps(args[action]))
                        n_act = ni if action == "append_many_to_dataset" else size
                        sc = scenario(run, emu, link, f"{action} {n_act:,}", action, str(f), [k], None, n_act, expect[action], 1)
                        per_action[action][k] += sc["runs"][k]
            for action in plan.get("actions", ACTIONS):
                rows = per_action[action]
                ok = [r for rs in rows.values() for r in rs if "error" not in r]
                n_act = ni if action == "append_many_to_dataset" else size
                res["scenarios"].append({
                    "name": f"{action} {n_act:,}", "kind": action, "size": n_act, "runs": rows,
                    "min_requests": min((r["requests"] - r["http_429"] for r in ok), default=0),
                    "in_flight": {k: run.in_flight(k, action) for k in keys}})
            out_save(out)
    finally:
        emu.stop()
    return res


def out_save(out):
    OUT.write_text(json.dumps(out, indent=1))


def plans(a):
    """The matrix: {latency_ms: plan}. The reduced one took 16 min on 2 cores (962 s)."""
    N, T, S, SN = "native", "native_tuned", "sdk", "sdk_nolimit"
    n, big = a.size, a.big_size
    all_fields = list(FIELD_SETS)
    if a.quick:
        # kili-native at its defaults only: the 10k listing and update (latency-bound) and the
        # big listing (rate-bound), to compare a change of defaults or limiter with the tables.
        q = {"list": [("default", n, [N]), ("default", big, [N])], "mutations": [(n, [N])],
             "actions": ["update_properties_in_assets"]}
        return {lat: q for lat in (0, 80, 150, 300)}
    if a.full:
        link = {"list": [(f, n, [N, T, S, SN]) for f in all_fields] + [(f, big, [N, T, S, SN]) for f in all_fields],
                "count": big, "count_keys": [N, S], "mutations": [(n, [N, T, S, SN])]}
        return {0: {"list": [(f, n, [N, T, SN]) for f in all_fields], "mutations": [(n, [N, SN])],
                    "actions": ["append_many_to_dataset", "update_properties_in_assets"]},
                80: link, 150: link, 300: link}
    return {
        # loopback, every limiter off: the speed-up per field set and the CPU per asset
        0: {"list": [(f, n, [N, T, SN]) for f in all_fields], "mutations": [(n, [N, SN])],
            "actions": ["append_many_to_dataset", "update_properties_in_assets"]},
        150: {"list": [(f, n, [N, T, S]) for f in all_fields] + [("default", n, [SN]), ("default", big, [N])],
              "count": big, "count_keys": [N, S], "mutations": [(n, [N, T, S])]},
        80: {"list": [("default", n, [N, T, S])], "mutations": [(n, [N, T, S])],
             "actions": ["update_properties_in_assets"]},
        300: {"list": [("default", n, [N, T, S])], "mutations": [(n, [N, T, S])],
              "actions": ["update_properties_in_assets"]},
    }


def main():
    global OUT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", default=str(ROOT / "target"), help="cargo target dir (release binaries)")
    ap.add_argument("--latencies", default="0,150,80,300", help="link latencies in ms to run (0 = loopback)")
    ap.add_argument("--jitter-frac", type=float, default=0.1, help="jitter as a fraction of the latency")
    ap.add_argument("--rate-limit", type=int, default=500, help="server-side requests per rolling minute")
    ap.add_argument("--tuned", default='{"prefetch_pages": 8, "mutation_concurrency": 8}',
                    help="kili-native options of the tuned contender (JSON)")
    ap.add_argument("--runs", type=int, default=1, help="runs per contender of the 10k listings (median)")
    ap.add_argument("--mutation-runs", type=int, default=1)
    ap.add_argument("--run-timeout", type=int, default=1200, help="seconds before a run is killed")
    ap.add_argument("--size", type=int, default=10000, help="size of the listings and mutations")
    ap.add_argument("--big-size", type=int, default=100000, help="size of the big listing and the count project")
    ap.add_argument("--link-import-size", type=int, default=1000,
                    help="assets imported on a link (each is an upload crossing it; 10000 in --full)")
    ap.add_argument("--out", default=str(BENCH / "real_link.json"), help="results file (JSON)")
    ap.add_argument("--full", action="store_true", help="the full matrix (every scenario at every latency)")
    ap.add_argument("--quick", action="store_true",
                    help="kili-native defaults only: 10k default listing and update, big listing (~6 min at 150 ms)")
    ap.add_argument("--report-only", action="store_true")
    a = ap.parse_args()
    OUT = Path(a.out)
    if a.full:
        a.link_import_size = max(a.link_import_size, a.size)
    out = json.loads(OUT.read_text()) if OUT.exists() else {}
    if not a.report_only:
        run = Runner(a)
        out = {"command": "python bench/real_link.py " + " ".join(sys.argv[1:]), "started": time.strftime("%Y-%m-%d %H:%M"),
               "load_at_start": [round(x, 2) for x in os.getloadavg()], "tuned": run.tuned,
               "rate_limit_per_minute": a.rate_limit, "window_s": WINDOW_S, "links": [],
               "native_defaults": NATIVE_DEFAULTS}
        t0 = time.time()
        pl = plans(a)
        for lat in [int(x) for x in a.latencies.split(",") if x != ""]:
            link = link_setting(run, lat, a.rate_limit)
            out["links"].append(link)
            run_link(run, link, pl[lat], out)
            out_save(out)
        out["harness_secs"] = time.time() - t0
        out["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
        out_save(out)
    md = real_link_report.render(out, BENCH / "plots")
    print("\n".join(md))
    # RESULTS.md is generated: re-render it, which now includes this section.
    from harness import report
    results = BENCH / "results.json"
    if results.exists():
        report.write(json.loads(results.read_text()), BENCH)
        print(f"wrote {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
