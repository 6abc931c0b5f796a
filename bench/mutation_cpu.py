#!/usr/bin/env python3
"""Where the time of a kili-native mutation goes: client wall time, client process CPU and
emulator process CPU for one `kili-bench mutate` call per action, on a freshly generated V1
IMAGE project per run (the emulator and the client share the machine's cores, so the wall time
is bounded below by the larger of the two CPU figures when batches overlap).

Usage: bench/mutation_cpu.py [--size 10000] [--runs 3] [--actions a,b] [--concurrency N]
                             [--emulator PATH] [--kili-bench PATH]
Release builds expected (cargo build --release -p kili-emulator -p kili-bench). Prints one line
per run and action, then the medians.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from harness.emulator import Emulator  # noqa: E402

ACTIONS = ["update_properties_in_assets", "add_to_review", "send_back_to_queue", "delete_many_from_dataset"]


def cpu_secs(pid):
    """utime + stime of a live process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--actions", default=",".join(ACTIONS))
    ap.add_argument("--concurrency", type=int, default=0, help="mutation_concurrency (0 = the default)")
    ap.add_argument("--emulator", default=str(ROOT / "target/release/kili-emulator"))
    ap.add_argument("--kili-bench", default=str(ROOT / "target/release/kili-bench"))
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kili-mutation-cpu-"))
    emu = Emulator(a.emulator)
    env = emu.env()
    seen = {}
    try:
        for r in range(a.runs):
            project = f"mut-{r}"
            emu.add_project(project, "IMAGE")
            emu.generate(project, a.size)
            subprocess.run([a.kili_bench, "ids", project, str(work / "ids.txt")], env=env, check=True,
                           capture_output=True)
            ids = (work / "ids.txt").read_text().split()
            args = {"update_properties_in_assets": {"asset_ids": ids,
                                                    "json_metadatas": [{"run": r, "i": i} for i in range(a.size)]},
                    "add_to_review": {"asset_ids": ids}, "send_back_to_queue": {"asset_ids": ids},
                    "delete_many_from_dataset": {"asset_ids": ids}}
            for action in a.actions.split(","):
                f = work / "args.json"
                f.write_text(json.dumps(args[action]))
                cmd = [a.kili_bench, "mutate", action, str(f)] + ([str(a.concurrency)] if a.concurrency else [])
                e0, c0 = cpu_secs(emu.proc.pid), os.times()
                out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
                e1, c1 = cpu_secs(emu.proc.pid), os.times()
                res = json.loads(out.strip().splitlines()[-1])
                client = (c1.children_user + c1.children_system) - (c0.children_user + c0.children_system)
                row = (res["secs"], client, e1 - e0)
                seen.setdefault(action, []).append(row)
                print(f"run {r} {action:<28} wall {row[0]:.3f} s  client CPU {row[1]:.2f} s  "
                      f"emulator CPU {row[2]:.2f} s  (succeeded {res['items']})", flush=True)
    finally:
        emu.stop()
    print(f"medians over {a.runs} runs, {a.size} assets:")
    for action, rows in seen.items():
        w, c, e = (statistics.median(x[i] for x in rows) for i in range(3))
        print(f"  {action:<28} wall {w:.3f} s  client CPU {c:.2f} s  emulator CPU {e:.2f} s")


if __name__ == "__main__":
    main()
