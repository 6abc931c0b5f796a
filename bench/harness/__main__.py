"""Entry point: `python -m harness` from bench/ (bench/run.sh does it after building).

Runs the scenarios for the sizes asked, saves bench/results.json (merged with earlier results
of other sizes unless --fresh), then writes bench/RESULTS.md and bench/plots/*.png.
"""
import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import report, scenarios
from .clients import Clients

BENCH = Path(__file__).resolve().parent.parent
RESULTS = BENCH / "results.json"

ALL = ["replay", "rust_seq", "rust", "rust_iter", "c_next", "c_page", "cpp", "go", "java", "py", "py_shipped"]


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": len([l for l in open("/proc/cpuinfo") if l.startswith("processor")]),
            "mem_gb": round(mem / 1024 / 1024, 1), "kernel": platform.release(), "python": platform.python_version(),
            "rustc": rustc}


def main():
    ap = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__)
    ap.add_argument("--target", required=True, help="cargo target dir (set by run.sh)")
    ap.add_argument("--sizes", default="10000,100000,1000000", help="listing sizes, comma-separated")
    ap.add_argument("--runs", type=int, default=5, help="runs per contender (median reported)")
    ap.add_argument("--big-runs", type=int, default=3, help="runs per contender at sizes >= 1,000,000")
    ap.add_argument("--full-contenders-max", type=int, default=100000,
                    help="largest size at which every contender runs (above: Rust, C page, Python SDK, replay)")
    ap.add_argument("--big-contenders", default="replay,rust_seq,rust",
                    help="contenders above --full-contenders-max")
    ap.add_argument("--big-fields", default="default", help="field sets listed above --full-contenders-max")
    ap.add_argument("--python-max", type=int, default=100000, help="largest listing size for the Python SDK")
    ap.add_argument("--shipped-max", type=int, default=10000, help="largest size for the SDK as shipped (1 run)")
    ap.add_argument("--count-size", type=int, default=1000000, help="project size of the count_assets scenario (0 = skip)")
    ap.add_argument("--mutation-sizes", default="10000", help="mutation scenario sizes (kili-native and the SDK)")
    ap.add_argument("--mutation-runs", type=int, default=3, help="runs per mutation scenario")
    ap.add_argument("--only", default="listing,count,mutations", help="scenarios to run")
    ap.add_argument("--fresh", action="store_true", help="drop earlier results.json entries")
    ap.add_argument("--report-only", action="store_true", help="only regenerate RESULTS.md and plots")
    a = ap.parse_args()

    data = json.loads(RESULTS.read_text()) if RESULTS.exists() and not a.fresh else {}
    if not a.report_only:
        clients = Clients(a.target)
        work = Path(tempfile.mkdtemp(prefix="kili-bench-"))
        (work / "home").mkdir()
        data["machine"] = machine()
        command = "bash bench/run.sh " + " ".join(sys.argv[3:])
        # Runs merge into results.json (unless --fresh): keep every command that produced them.
        commands = [c for c in data.get("commands", [data["command"]] if "command" in data else [])
                    if c != command]
        data["commands"] = commands + [command]
        data["command"] = command
        data["machine"]["load_at_start"] = [round(x, 2) for x in __import__("os").getloadavg()]
        data.setdefault("listing", {})
        data.setdefault("mutations", {})
        only = set(a.only.split(","))
        started = time.time()
        if "listing" in only:
            for size in [int(s) for s in a.sizes.split(",") if s]:
                full = size <= a.full_contenders_max
                keys = [k for k in ALL if full or k in a.big_contenders.split(",")]
                keys = [k for k in keys if not (k == "py" and size > a.python_max)]
                keys = [k for k in keys if not (k == "py_shipped" and size > a.shipped_max)]
                runs = a.runs if size < 1_000_000 else a.big_runs
                fields = scenarios.FIELDS if full else [f for f in scenarios.FIELDS if f in a.big_fields.split(";")]
                data["listing"][str(size)] = scenarios.listing(clients, size, runs, {f: keys for f in fields}, work)
                data["listing"][str(size)]["runs_per_contender"] = runs
                RESULTS.write_text(json.dumps(data, indent=1))
        if "count" in only and a.count_size:
            data["count"] = scenarios.count(clients, a.count_size, a.runs, work)
            RESULTS.write_text(json.dumps(data, indent=1))
        if "mutations" in only:
            for size in [int(s) for s in a.mutation_sizes.split(",") if s]:
                data["mutations"][str(size)] = scenarios.mutations(clients, size, a.mutation_runs, work)
                RESULTS.write_text(json.dumps(data, indent=1))
        data["harness_secs"] = time.time() - started
        RESULTS.write_text(json.dumps(data, indent=1))
    report.write(data, BENCH)
    print(f"wrote {BENCH / 'RESULTS.md'} and {BENCH / 'plots'}")


if __name__ == "__main__":
    main()
