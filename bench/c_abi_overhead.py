#!/usr/bin/env python3
"""Cost of the C ABI over the Rust iterator on the same data: lists N assets (default 100,000)
from one kili-emulator with the Rust client (examples/bench_list_assets.rs, next_page(1000))
and through the C ABI (bench/c_cursor.c: kili_cursor_next per asset, and
kili_cursor_next_page(1000)). Rounds alternate the contenders; the best time of each is kept.
Goal: the C path adds under 5 % to the listing.

Usage: bench/c_abi_overhead.py [--assets N] [--rounds R]
Needs release builds: cargo build --release -p kili --lib -p kili-emulator --bins --example bench_list_assets
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
KEY = "bench-key"


def run(cmd, env):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    release = TARGET / "release"
    emulator, rust_bench, lib = release / "kili-emulator", release / "examples/bench_list_assets", release / "libkili.so"
    for p in (emulator, rust_bench, lib):
        if not p.exists():
            sys.exit(f"missing {p}: build it in release first (see the docstring)")
    c_bench = Path(tempfile.mkdtemp()) / "c_cursor"
    subprocess.run([os.environ.get("CC", "cc"), "-std=c11", "-O2", "-I", str(ROOT / "include"), str(ROOT / "bench/c_cursor.c"),
                    str(lib), f"-Wl,-rpath,{release}", "-o", str(c_bench)], check=True)

    fx = {"organizations": [{"id": "org"}],
          "users": [{"id": "u", "email": "u@example.com", "organization_id": "org", "api_keys": [KEY]}],
          "projects": [{"id": "big", "title": "Big", "input_type": "IMAGE", "members": [{"user_id": "u"}]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(fx, f)
    t0 = time.time()
    proc = subprocess.Popen([str(emulator), "--port", "0", "--fixture", f.name, "--generate-assets", str(args.assets),
                             "--generate-project", "big"], stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip().split()[0]
        print(f"emulator with {args.assets} assets ready in {time.time() - t0:.1f} s at {url}")
        env = dict(os.environ, KILI_API_ENDPOINT=url + "/api/label/v2/graphql", KILI_API_KEY=KEY)
        contenders = {
            "rust": [str(rust_bench), "--mode", "sdk", "--prefetch", "2", "--project", "big"],
            "c_next": [str(c_bench), "next", "big"],
            "c_page": [str(c_bench), "page", "big"],
        }
        best = {}
        run(contenders["rust"], env)  # warm-up: emulator caches, page cache
        for r in range(args.rounds):
            order = list(contenders) if r % 2 == 0 else list(reversed(contenders))
            for name in order:
                res = run(contenders[name], env)
                if res["assets"] != args.assets:
                    sys.exit(f"{name} listed {res['assets']} assets, expected {args.assets}")
                if name not in best or res["secs"] < best[name]["secs"]:
                    best[name] = res
        base = best["rust"]["secs"]
        print(f"\n{'contender':<40} {'assets':>8} {'best secs':>10} {'us/asset':>9} {'vs Rust':>8}")
        for name in ("rust", "c_next", "c_page"):
            r = best[name]
            print(f"{r['mode']:<40} {r['assets']:>8} {r['secs']:>10.3f} {r['secs'] / r['assets'] * 1e6:>9.2f} "
                  f"{(r['secs'] - base) / base * 100:>+7.1f}%")
        worst = max((best[n]["secs"] - base) / base * 100 for n in ("c_next", "c_page"))
        print(f"\nC ABI overhead: {worst:+.1f}% (goal: under 5%)")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
