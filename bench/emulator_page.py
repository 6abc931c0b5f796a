#!/usr/bin/env python3
"""Median time for kili-emulator to serve a 100-asset page with the SDK's default fields (V1)
on a large project, walking the project page after page like the SDK does (skip += 100).

Usage: bench/emulator_page.py [--assets N] [--pages P] [--binary PATH]
Starts its own emulator (release build recommended: cargo build --release -p kili-emulator).
"""
import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
QUERY = """query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) {
    labels { author { id email } createdAt id jsonResponse jsonResponseUrl }
    content createdAt externalId id isHoneypot jsonMetadata skipped status jsonContent
    resolution { height width }
  }
}"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=1_000_000)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--binary", default=None)
    args = ap.parse_args()
    binary = args.binary or next(
        (str(p) for p in (ROOT / "target/release/kili-emulator", ROOT / "target/debug/kili-emulator") if p.exists()), None
    )
    fx = {"organizations": [{"id": "org"}],
          "users": [{"id": "u", "email": "u@example.com", "organization_id": "org", "api_keys": ["bench-key"]}],
          "projects": [{"id": "big", "title": "Big", "input_type": "IMAGE", "members": [{"user_id": "u"}]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(fx, f)
    t0 = time.time()
    proc = subprocess.Popen([binary, "--port", "0", "--fixture", f.name, "--generate-assets", str(args.assets),
                             "--generate-project", "big"], stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        print(f"{binary}: {args.assets} assets loaded in {time.time() - t0:.1f} s")
        s = requests.Session()
        s.headers["Authorization"] = "X-API-Key: bench-key"
        where = {"project": {"id": "big"}, "label": {}, "issue": {}}
        times = []
        server = []
        for page in range(args.pages):
            body = {"query": QUERY, "variables": {"where": where, "skip": page * 100, "first": 100}}
            t = time.perf_counter()
            r = s.post(url + "/api/label/v2/graphql", json=body)
            times.append(time.perf_counter() - t)
            server.append(float(r.headers["server-timing"].split("dur=")[1]) / 1000)
            assert len(r.json()["data"]["data"]) == 100
        # A deep page reached directly (no seek-cache entry): the OFFSET cost.
        t = time.perf_counter()
        s.post(url + "/api/label/v2/graphql", json={"query": QUERY, "variables": {"where": where, "skip": args.assets - 100, "first": 100}})
        deep = time.perf_counter() - t
        t = time.perf_counter()
        s.post(url + "/api/label/v2/graphql", json={"query": "query($w: AssetWhere!) { data: countAssets(where: $w) }", "variables": {"w": where}})
        count = time.perf_counter() - t
        print(f"sequential 100-asset pages: median {statistics.median(times) * 1000:.2f} ms, "
              f"p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.2f} ms (client round trip included)")
        print(f"  server side (execution + JSON, Server-Timing): median {statistics.median(server) * 1000:.2f} ms, "
              f"p95 {sorted(server)[int(len(server) * 0.95)] * 1000:.2f} ms")
        print(f"last page reached directly: {deep * 1000:.1f} ms; countAssets: {count * 1000:.1f} ms")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
