"""The measured scenarios. Each returns plain JSON-able results that report.py renders.

Medians are over `runs` processes per contender; contenders are interleaved round by round
(order rotated) so that background load hits them alike. Every run's item count is checked
against what the project holds, so a wrong or partial answer fails the harness instead of
producing a fast number.
"""
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import measure
from .emulator import API_KEY, Emulator

FIELDS = ["default", "id,externalId"]


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def _interleaved(keys, runs, fn):
    out = {k: [] for k in keys}
    for r in range(runs):
        order = keys[r % len(keys):] + keys[:r % len(keys)]
        for k in order:
            out[k].append(fn(k))
    return out


def page_times(emu, pages=200):
    """Round-trip times of sequential 100-asset pages with the SDK's default fields (the query
    of bench/emulator_page.py), walking the project as the SDK does, from one keep-alive
    connection; plus the last page reached directly (deep OFFSET) and countAssets."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from emulator_page import QUERY  # the emulator issue's page benchmark query
    import requests

    s = requests.Session()
    s.headers["Authorization"] = f"X-API-Key: {API_KEY}"
    where = {"project": {"id": "big"}, "label": {}, "issue": {}}
    times, server = [], []
    for page in range(pages):
        body = {"query": QUERY, "variables": {"where": where, "skip": page * 100, "first": 100}}
        t = time.perf_counter()
        r = s.post(emu.endpoint, json=body)
        times.append(time.perf_counter() - t)
        if len(r.json()["data"]["data"]) != 100:
            raise RuntimeError("page benchmark: a page did not hold 100 assets")
        st = r.headers.get("server-timing", "")  # "...dur=<ms>" when the emulator reports it
        if "dur=" in st:
            server.append(float(st.split("dur=")[1].split(",")[0].split(";")[0]) / 1000)
    out = {"median_ms": statistics.median(times) * 1000, "p95_ms": sorted(times)[int(len(times) * 0.95)] * 1000}
    if server:
        out["server_median_ms"] = statistics.median(server) * 1000
    return out


def listing(clients, size, runs, keys_by_fields, work):
    """Scenario 1 (+4, 5): list `size` assets with each contender and both field sets."""
    log(f"listing: emulator with {size} generated assets")
    emu = Emulator(clients.emulator, assets=size)
    res = {"size": size, "emulator_load_secs": emu.load_secs, "by_fields": {}}
    try:
        res["emulator_rss_kb_after_load"] = emu.rss_kb()
        res["pages"] = page_times(emu, pages=min(200, size // 100))
        log(f"  emulator pages: median {res['pages']['median_ms']:.2f} ms")
        env = emu.env()
        env["HOME"] = str(work / "home")  # the SDK's schema cache, shared by every Python run
        for fields, keys in keys_by_fields.items():
            # The replay's bodies: exactly what kili-native sent for this listing (request log).
            emu.clear_log()
            warm = measure.run(clients.list_cmd("rust_seq", "big", fields), env)
            bodies = emu.graphql_bodies()
            replay_file = work / f"replay-{size}-{fields.replace(',', '_')}.ndjson"
            replay_file.write_text("".join(json.dumps(b) + "\n" for b in bodies))
            if "py" in keys:  # the SDK's schema cache is per host:port: fill it for this emulator
                measure.run(clients.count_cmd("py", json.dumps({"project_id": "big"}), 1), env)

            def one(k):
                r = measure.run(clients.list_cmd(k, "big", fields, str(replay_file)), env, timeout=7200)
                if r["items"] != size:
                    raise RuntimeError(f"listing {k} {fields}: {r['items']} assets, expected {size}")
                log(f"  {size} {fields:<14} {k:<10} {r['secs']:8.3f} s  {size / r['secs']:10.0f} assets/s  "
                    f"{r['peak_rss_kb'] / 1024:7.1f} MB")
                return r

            runs_for = {k: (1 if k == "py_shipped" else runs) for k in keys}
            per = _interleaved([k for k in keys if k != "py_shipped"], runs, one)
            if "py_shipped" in keys:
                per["py_shipped"] = [one("py_shipped") for _ in range(runs_for["py_shipped"])]
            res["by_fields"][fields] = {"requests": len(bodies), "warmup_secs": warm["secs"], "runs": per}
        res["emulator_rss_kb_end"] = emu.rss_kb()
    finally:
        emu.stop()
    return res


COUNT_FILTERS = {
    "no filter": {},
    "metadata (parity = odd, i in range)": {"metadata_where": {"parity": "odd", "i": [1000, 900000]}},
    "label category search": {"label_category_search": "CLASSIFICATION_JOB.A.count > 0"},
    "metadata + category search + status": {
        "metadata_where": {"parity": "odd"},
        "label_category_search": "(CLASSIFICATION_JOB.A.count > 0 OR CLASSIFICATION_JOB.B.count >= 1) AND CLASSIFICATION_JOB.B.count < 5",
        "status_in": ["LABELED"],
    },
}


def count(clients, size, runs, work):
    """Scenario 2: count_assets with heavy filters on `size` assets, kili-native vs the SDK."""
    log(f"count: emulator with {size} generated assets")
    emu = Emulator(clients.emulator, assets=size)
    out = {"size": size, "filters": {}}
    try:
        env = emu.env()
        env["HOME"] = str(work / "home")
        measure.run(clients.count_cmd("py", json.dumps({"project_id": "big"}), 1), env)  # SDK schema cache
        for name, f in COUNT_FILTERS.items():
            args = json.dumps(dict({"project_id": "big"}, **f))
            r = {k: measure.run(clients.count_cmd(k, args, runs), env) for k in ("rust", "py")}
            if r["rust"]["items"] != r["py"]["items"]:
                raise RuntimeError(f"count {name}: kili-native {r['rust']['items']} vs SDK {r['py']['items']}")
            log(f"  count {name}: {r['rust']['items']} assets, kili-native {r['rust']['secs'] * 1000:.1f} ms, "
                f"SDK {r['py']['secs'] * 1000:.1f} ms")
            out["filters"][name] = {"args": f, "count": r["rust"]["items"],
                                    "rust_all": r["rust"]["all_secs"], "py_all": r["py"]["all_secs"]}
    finally:
        emu.stop()
    return out


MUTATIONS = ["append_many_to_dataset", "update_properties_in_assets", "add_to_review", "send_back_to_queue",
             "delete_many_from_dataset"]


def mutation_args(text_project, ids, import_size, tag):
    """The arguments of each MUTATIONS action: import_size text assets into text_project, and
    the update / review / back-to-queue / delete of the assets ids (metadata marked with tag)."""
    return {
        "append_many_to_dataset": {"project_id": text_project,
                                   "content_array": [f"text asset {i}: lorem ipsum" for i in range(import_size)],
                                   "external_id_array": [f"t-{i}" for i in range(import_size)]},
        "update_properties_in_assets": {"asset_ids": ids, "json_metadatas": [{"batch": tag, "i": i} for i in range(len(ids))]},
        "add_to_review": {"asset_ids": ids},
        "send_back_to_queue": {"asset_ids": ids},
        "delete_many_from_dataset": {"asset_ids": ids},
    }


def mutations(clients, size, runs, work, keys=("rust", "rust_seq", "py")):
    """Scenario 3: import / update / review / back to queue / delete of `size` assets. Every
    run works on fresh projects (imports into an empty TEXT project; the other actions on a
    generated IMAGE project: half LABELED, half TODO, so review and back-to-queue each succeed
    on half and decline half, identically for both clients)."""
    log(f"mutations on {size} assets")
    emu = Emulator(clients.emulator)
    out = {"size": size, "runs": {k: {a: [] for a in MUTATIONS} for k in keys}}
    try:
        env = emu.env()
        env["HOME"] = str(work / "home")
        for r in range(runs):
            for k in (keys if r % 2 == 0 else tuple(reversed(keys))):
                tp, ip = f"imp-{k}-{r}", f"mut-{k}-{r}"
                emu.add_project(tp, "TEXT")
                emu.add_project(ip, "IMAGE")
                emu.generate(ip, size)
                ids = [a for a in _ids(clients, env, ip, work)]
                if len(ids) != size:
                    raise RuntimeError(f"mutations: {len(ids)} generated assets listed, expected {size}")
                args = mutation_args(tp, ids, size, r)
                for action in MUTATIONS:
                    if k == "rust_seq" and action == "append_many_to_dataset":
                        continue  # mutation_concurrency does not apply to the import
                    f = work / f"args-{action}.json"
                    f.write_text(json.dumps(args[action]))
                    res = measure.run(clients.mutate_cmd(k, action, str(f)), env, timeout=7200)
                    log(f"  {size} {k:<4} {action:<28} {res['secs']:8.3f} s  {size / res['secs']:9.0f} assets/s"
                        f"  (succeeded {res.get('items')}, declined {res.get('declined')})")
                    out["runs"][k][action].append(res)
    finally:
        emu.stop()
    return out


def _ids(clients, env, project, work):
    r = measure.run([clients.kb, "ids", project, str(work / "ids.txt")], env)
    return (work / "ids.txt").read_text().split()
