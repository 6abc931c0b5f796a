#!/usr/bin/env python3
"""Sequential listing vs the bare replay, A/B: one emulator with a generated project, the
replay's request bodies recorded from one kili-native listing, then rounds of
`replay, variant 1, variant 2, ...` run back to back. Reports each variant's median time,
its ratio to the replay's median, and the median of the per-round ratios (variant / replay of
the same round), which cancels the machine's slow drifts.

A variant is NAME=[BIN:path][,ENV:value...]: another kili-bench binary (an older build, say)
and/or environment variables, e.g. `system=KILI_ALLOCATOR:system`.

Usage: bench/sequential_ab.py [--size 10000] [--rounds 25] [--fields default]
                              [--emulator PATH] [--kili-bench PATH] VARIANT...
Release builds expected (cargo build --release -p kili-emulator -p kili-bench).
"""
import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from harness import measure  # noqa: E402
from harness.emulator import Emulator  # noqa: E402


def parse_variant(spec, default_bin):
    name, _, rest = spec.partition("=")
    env = dict(kv.split(":", 1) for kv in rest.split(",") if kv)
    return name, env.pop("BIN", default_bin), env


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=25)
    ap.add_argument("--fields", default="default")
    ap.add_argument("--emulator", default=str(ROOT / "target/release/kili-emulator"))
    ap.add_argument("--kili-bench", default=str(ROOT / "target/release/kili-bench"))
    ap.add_argument("variants", nargs="+")
    a = ap.parse_args()
    variants = [parse_variant(v, a.kili_bench) for v in a.variants]
    list_args = ["list", "big", a.fields, "0", "page"]
    emu = Emulator(a.emulator, assets=a.size)
    try:
        emu.clear_log()
        measure.run([a.kili_bench] + list_args, emu.env())
        bodies = Path(tempfile.mkdtemp(prefix="kili-ab-")) / "bodies.ndjson"
        bodies.write_text("".join(json.dumps(b) + "\n" for b in emu.graphql_bodies()))
        times = {"replay": []} | {name: [] for name, _, _ in variants}
        for _ in range(a.rounds):
            times["replay"].append(measure.run([a.kili_bench, "replay", str(bodies)], emu.env())["secs"])
            for name, binary, env in variants:
                r = measure.run([binary] + list_args, emu.env() | env)
                if r["items"] != a.size:
                    raise RuntimeError(f"{name}: {r['items']} assets, expected {a.size}")
                times[name].append(r["secs"])
        replay = statistics.median(times["replay"])
        print(f"{a.size} assets, {a.fields}, {a.rounds} rounds; replay median {replay:.4f} s")
        for name, _, _ in variants:
            m = statistics.median(times[name])
            paired = statistics.median(t / r for t, r in zip(times[name], times["replay"]))
            print(f"{name:>14}: median {m:.4f} s = {m / replay:.3f}x the replay; per-round ratio median {paired:.3f}x")
    finally:
        emu.stop()


if __name__ == "__main__":
    main()
