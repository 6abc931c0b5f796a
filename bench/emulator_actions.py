#!/usr/bin/env python3
"""Server-side cost of the asset actions in kili-emulator, sent exactly as the official SDK
sends them (batches of 100: `where: {idIn: [...]}` for the actions, `whereArray: [{id}]` +
`dataArray` for updatePropertiesInAssets), on a freshly generated V1 project per size.

Usage: bench/emulator_actions.py [--sizes 1000,10000,100000] [--runs 3] [--binary PATH]
Starts its own emulator (release build recommended: cargo build --release -p kili-emulator).
Prints, per size and action, the median wall time of the whole action (all batches) over
`--runs` fresh projects, the assets per second, and the median server-side time (the sum of
the `Server-Timing` durations of the batches: execution + serialisation, no HTTP).
"""
import argparse
import json
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-key"
ADMIN = "bench-admin"
OUTCOME = "{ succeeded { assetId externalId } declined { assetId externalId } failed { assetId externalId details } }"
ACTIONS = {
    "update_properties_in_assets": "mutation($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) "
                                   "{ data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) { id } }",
    "add_to_review": "mutation($where: AssetWhere!) { data: addAssetsToReview(where: $where) " + OUTCOME + " }",
    "send_back_to_queue": "mutation($where: AssetWhere!) { data: sendAssetsBackToQueue(where: $where) " + OUTCOME + " }",
    "delete_many_from_dataset": "mutation($where: AssetWhere!) { data: deleteAssets(where: $where) " + OUTCOME + " }",
}
IDS = """query($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) { id }
}"""


def project(pid):
    return {"id": pid, "title": pid, "input_type": "IMAGE", "workflow_version": "V1", "organization_id": "org",
            "members": [{"user_id": "u", "role": "ADMIN"}]}


def admin(base, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"x-emulator-admin-token": ADMIN, "content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=3600) as r:
        r.read()


SERVER = [0.0]  # sum of the Server-Timing durations (seconds) since the last reset


def gql(s, url, query, variables):
    r = s.post(url, json={"query": query, "variables": variables})
    r.raise_for_status()
    SERVER[0] += float(r.headers["server-timing"].split("dur=")[1]) / 1000
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors'][:2]}")
    return body["data"]["data"]


def run_action(s, url, action, ids, run):
    counts = {"succeeded": 0, "declined": 0, "failed": 0}
    SERVER[0] = 0.0
    t = time.perf_counter()
    for i in range(0, len(ids), 100):
        chunk = ids[i:i + 100]
        if action == "update_properties_in_assets":
            out = gql(s, url, ACTIONS[action], {
                "whereArray": [{"id": a} for a in chunk],
                "dataArray": [{"jsonMetadata": json.dumps({"batch": run, "i": i + k})} for k in range(len(chunk))]})
            counts["succeeded"] += len(out)
        else:
            out = gql(s, url, ACTIONS[action], {"where": {"idIn": chunk}})
            for k in counts:
                counts[k] += len(out[k])
    return time.perf_counter() - t, SERVER[0], counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=None)
    args = ap.parse_args()
    binary = args.binary or next(
        (str(p) for p in (ROOT / "target/release/kili-emulator", ROOT / "target/debug/kili-emulator") if p.exists()), None)
    fx = {"organizations": [{"id": "org"}],
          "users": [{"id": "u", "email": "u@example.com", "organization_id": "org", "api_keys": [KEY]}],
          "projects": []}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(fx, f)
    proc = subprocess.Popen([binary, "--port", "0", "--fixture", f.name, "--admin-token", ADMIN],
                            stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip().split()[0]
        url = base + "/api/label/v2/graphql"
        s = requests.Session()
        s.headers["Authorization"] = f"X-API-Key: {KEY}"
        print(f"{binary}")
        for size in [int(x) for x in args.sizes.split(",")]:
            times = {a: [] for a in ACTIONS}
            server = {a: [] for a in ACTIONS}
            last = {}
            for run in range(args.runs):
                pid = f"act-{size}-{run}"
                admin(base, "/emulator/fixtures", {"projects": [project(pid)]})
                admin(base, "/emulator/generate", {"project_id": pid, "count": size})
                ids = []
                while len(ids) < size:
                    page = gql(s, url, IDS, {"where": {"project": {"id": pid}}, "skip": len(ids), "first": 500})
                    if not page:
                        break
                    ids += [a["id"] for a in page]
                assert len(ids) == size, (len(ids), size)
                for action in ACTIONS:
                    secs, srv, counts = run_action(s, url, action, ids, run)
                    times[action].append(secs)
                    server[action].append(srv)
                    last[action] = counts
            for action in ACTIONS:
                med = statistics.median(times[action])
                print(f"{size:>7} {action:<28} median {med:8.3f} s  {size / med:9.0f} assets/s  "
                      f"server {statistics.median(server[action]):7.3f} s  "
                      f"runs {' '.join(f'{t:.3f}' for t in times[action])}  last outcome {last[action]}", flush=True)
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
