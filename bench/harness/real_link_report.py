"""Renders bench/real_link.json (bench/real_link.py) into the "Real link" section of RESULTS.md
and bench/plots/real_link_*.png. Pure function of the data; report.py calls it when the file
exists, so `bash bench/run.sh --report-only` keeps the section.
"""
import math
import statistics

LABEL = {
    "native": "kili-native, defaults",
    "native_tuned": "kili-native, tuned",
    "sdk": "SDK 26.2.4 as shipped",
    "sdk_nolimit": "SDK 26.2.4, limiter off",
}
TUNED_K = 8  # the k of the scenario's best (the tuned contender's requests in flight)


def best(R, L, k, cap, window):
    """Fastest time for R requests with k in flight at mean latency L under a rolling window
    of `cap` requests (see bench/real_link.py)."""
    if R <= 0 or L <= 0:
        return None
    lat = math.ceil(R / k) * L
    rate = (math.floor((R - 1) / cap) * window + L) if cap else 0.0
    return max(lat, rate, L)


def ok_runs(rs):
    return [r for r in rs if "error" not in r]


def med(rs, key):
    xs = [r[key] for r in ok_runs(rs) if r.get(key) is not None]
    return statistics.median(xs) if xs else None


def f(x, fmt="{:.2f}"):
    return "-" if x is None else fmt.format(x)


def render(data, plots):
    if not data.get("links"):
        return []
    # Results written before the defaults changed (session 7) do not record them.
    dflt = data.get("native_defaults", {"prefetch_pages": 2, "mutation_concurrency": 4})
    md = ["## Real link: latency, the 500 requests/min limit and 429s", "",
          "Measured by `bench/real_link.py` (not part of the harness run; it starts its own emulators in "
          "realistic-link mode: `--link-latency-ms L --link-jitter-ms L/10 --rate-limit-per-minute "
          f"{data.get('rate_limit_per_minute', 500)}`, a rolling 60 s window answering 429 with Retry-After). "
          "Command:", "", "```sh", data.get("command", "python bench/real_link.py"), "```", "",
          f"Started {data.get('started', '?')}; load average at start {data.get('load_at_start', '?')}, at end "
          f"{data.get('load_at_end', '?')}; harness {f(data.get('harness_secs'), '{:.0f}')} s. Same machine as above "
          "(2 cores shared with other engineers' builds: loopback figures are noisy, latency-bound ones much less). "
          "Medians of the runs shown (most rows are **1 run**). `requests` = GraphQL requests the server received "
          "during the operation (429s included), `429` = those it refused; CPU = the client process' CPU seconds "
          "(user + system, all threads) of the operation alone. Each run starts with a fresh rate-limit window "
          "(as after an idle minute).", "",
          f"kili-native **defaults** = `ClientOptions::default()` (500/min limiter, `prefetch_pages` {dflt['prefetch_pages']}, "
          f"`mutation_concurrency` {dflt['mutation_concurrency']}); **tuned** = {data.get('tuned')}. The SDK runs one request at a time.", "",
          "**Theoretical best** for a scenario needing R requests (the fewest any contender sent, 429s excluded) "
          "at mean latency L (fixed + jitter/2) under C requests per 60 s window: "
          "`max(ceil(R/k) x L, floor((R-1)/C) x 60 s + L)`; **own** uses the client's own k (requests in flight: "
          f"SDK 1, kili-native its prefetch or concurrency, 1 for the import), **k={TUNED_K}** the scenario's. "
          "Share = best / measured time.", ""]
    md += _goals(data)
    for link in data["links"]:
        md += _link_table(data, link)
    md += _cpu(data)
    md += _plots(data, plots)
    return md


def _rows(data, link):
    """(scenario, key, median secs, requests, 429s, cpu, own best, best k8, errors, n runs)."""
    cap = link.get("rate_limit_per_minute", 0)
    L = link.get("mean_latency_s", 0)
    W = data.get("window_s", 60.0)
    out = []
    for sc in link.get("scenarios", []):
        R = sc.get("min_requests", 0)
        for k, rs in sc["runs"].items():
            errs = [r["error"] for r in rs if "error" in r]
            checks = [r["check"] for r in rs if "check" in r]
            out.append({
                "sc": sc, "key": k, "secs": med(rs, "secs"), "requests": med(rs, "requests"),
                "http_429": med(rs, "http_429"), "cpu": med(rs, "cpu_secs"), "n": len(rs),
                "max_429": max((r.get("http_429") or 0 for r in rs), default=0),
                "own": best(R, L, sc["in_flight"].get(k, 1), cap, W), "k8": best(R, L, TUNED_K, cap, W),
                "errors": errs, "checks": checks,
            })
    return out


def _link_table(data, link):
    title = ("Loopback (no latency, every limiter off)" if not link.get("latency_ms") else
             f"{link['latency_ms']} ms (+0..{link['jitter_ms']} ms jitter), server limit "
             f"{link['rate_limit_per_minute']}/min")
    md = [f"### {title}", ""]
    rows = _rows(data, link)
    if not rows:
        return md + ["(not run)", ""]
    lat = bool(link.get("latency_ms"))
    hdr = "| scenario | client | runs | median s | items/s | requests | 429 | CPU s |"
    sep = "|---|---|---|---|---|---|---|---|"
    if lat:
        hdr += " best own k (share) | best k=8 (share) |"
        sep += "---|---|"
    hdr += " vs SDK |"
    sep += "---|"
    md += [hdr, sep]
    by_sc = {}
    for r in rows:
        by_sc.setdefault(id(r["sc"]), []).append(r)
    for rs in by_sc.values():
        sdk = next((r["secs"] for r in rs if r["key"] == "sdk" and r["secs"]), None) or \
            next((r["secs"] for r in rs if r["key"] == "sdk_nolimit" and r["secs"]), None)
        for r in rs:
            sc = r["sc"]
            if r["secs"] is None:
                md.append(f"| {sc['name']} | {LABEL.get(r['key'], r['key'])} | {r['n']} | **error**: "
                          f"{r['errors'][0][:160] if r['errors'] else '?'} |" + " |" * (9 if lat else 7))
                continue
            ips = sc["size"] / r["secs"] if sc["kind"] != "count" else None
            line = (f"| {sc['name']} | {LABEL.get(r['key'], r['key'])} | {r['n']} | {r['secs']:.2f} | "
                    f"{f(ips, '{:,.0f}')} | {f(r['requests'], '{:.0f}')} | {f(r['http_429'], '{:.0f}')} | "
                    f"{f(r['cpu'])} |")
            if lat:
                line += (f" {f(r['own'])} ({f(r['own'] / r['secs'] * 100 if r['own'] else None, '{:.0f} %')}) |"
                         f" {f(r['k8'])} ({f(r['k8'] / r['secs'] * 100 if r['k8'] else None, '{:.0f} %')}) |")
            vs = f"{sdk / r['secs']:.1f}x" if sdk and not r["key"].startswith("sdk") else "-"
            extra = (" errors: " + "; ".join(e[:80] for e in r["errors"])) if r["errors"] else ""
            extra += (" check: " + "; ".join(r["checks"])) if r["checks"] else ""
            md.append(line + f" {vs}{extra} |")
    return md + [""]


def _find(data, lat, name_start, key):
    for link in data.get("links", []):
        if link.get("latency_ms") == lat:
            for r in _rows(data, link):
                if r["sc"]["name"].startswith(name_start) and r["key"] == key:
                    return r
    return None


def _goals(data):
    rows = []
    r = _find(data, 150, "list 100,000 default", "native")
    if r and r["secs"]:
        rate_min = r["k8"]
        x = r["secs"] / rate_min
        rows.append(f"| 150 ms, 500/min: 100k default-fields listing within 1.1x of the rate-cap minimum "
                    f"({rate_min:.0f} s) | {r['secs']:.0f} s = {x:.2f}x, {r['http_429']:.0f} 429s | "
                    f"{'yes' if x <= 1.1 else 'no'} |")
    for lat in (80, 150, 300):
        for name in ("list 10,000 default", "update_properties_in_assets 10,000"):
            r = _find(data, lat, name, "native")
            if r and r["secs"] and r["own"]:
                share = r["k8"] / r["secs"]
                rows.append(f"| {lat} ms: {name}, defaults >= 90 % of the best at k={TUNED_K} | {share * 100:.0f} % "
                            f"(own k: {r['own'] / r['secs'] * 100:.0f} %), {r['max_429']} 429s | "
                            f"{'yes' if share >= 0.9 else 'no'} |")
    for fields in ("default", "id,externalId", "metadata+status", "latestLabel"):
        for key in ("native", "native_tuned"):
            r, s = _find(data, 0, f"list 10,000 {fields}", key), _find(data, 0, f"list 10,000 {fields}", "sdk_nolimit")
            if r and s and r["secs"] and s["secs"]:
                x = s["secs"] / r["secs"]
                rows.append(f"| loopback, `{fields}` 10k: {LABEL[key]} >= 10x the SDK (limiter off) | {x:.1f}x | "
                            f"{'yes' if x >= 10 else 'no'} |")
    for what, name in (("listed", "list 10,000 default"), ("imported", "append_many_to_dataset 10,000"),
                       ("updated", "update_properties_in_assets 10,000")):
        r, s = _find(data, 0, name, "native"), _find(data, 0, name, "sdk_nolimit")
        if r and s and r["cpu"] and s["cpu"]:
            x = s["cpu"] / r["cpu"]
            rows.append(f"| client CPU per asset {what}: kili-native >= 20x less than the SDK | {x:.1f}x less | "
                        f"{'yes' if x >= 20 else 'no'} |")
    errs = [(link["name"], r["sc"]["name"], r["key"], e) for link in data.get("links", []) for r in _rows(data, link)
            for e in r["errors"]]
    e429 = [e for e in errs if "429" in e[3] or "rate" in e[3].lower()]
    rows.append(f"| no run ends with an error from 429s | {len(e429)} such runs ({len(errs)} errors in all) | "
                f"{'yes' if not e429 else 'no'} |")
    if not rows:
        return []
    return ["| goal | measured | met |", "|---|---|---|"] + rows + [""]


def _cpu(data):
    md = ["### Client CPU per 100,000 assets (loopback runs of 10,000, x10)", "",
          "| operation | kili-native CPU s / 100k | SDK CPU s / 100k | SDK / kili-native |", "|---|---|---|---|"]
    any_ = False
    for what, name in (("list, default fields", "list 10,000 default"), ("list, id,externalId", "list 10,000 id,externalId"),
                       ("list, metadata+status", "list 10,000 metadata+status"), ("list, latestLabel", "list 10,000 latestLabel"),
                       ("import", "append_many_to_dataset 10,000"), ("update", "update_properties_in_assets 10,000")):
        r, s = _find(data, 0, name, "native"), _find(data, 0, name, "sdk_nolimit")
        if r and s and r["cpu"] is not None and s["cpu"]:
            any_ = True
            scale = 100000 / r["sc"]["size"]
            ratio = f"{s['cpu'] / r['cpu']:.1f}x" if r["cpu"] > 0 else "-"
            md.append(f"| {what} | {r['cpu'] * scale:.2f} | {s['cpu'] * scale:.1f} | {ratio} |")
    md.append("")
    md.append("CPU is read from /proc (10 ms ticks) around the operation; at these sizes kili-native's figures are a "
              "few ticks, so its ratios are +-10-20 %.")
    md.append("")
    return md if any_ else []


def _plots(data, plots):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    md = []
    lats = sorted(l["latency_ms"] for l in data["links"] if l.get("latency_ms"))
    keys = ["native", "native_tuned", "sdk"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, name, unit in ((axes[0], "list 10,000 default", "assets/s"),
                           (axes[1], "update_properties_in_assets 10,000", "assets/s")):
        for k in keys:
            pts = [(lat, _find(data, lat, name, k)) for lat in lats]
            pts = [(lat, r["sc"]["size"] / r["secs"]) for lat, r in pts if r and r["secs"]]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=LABEL[k])
        ax.set_xlabel("latency, ms")
        ax.set_ylabel(unit)
        ax.set_yscale("log")
        ax.set_title(name.replace(" 10,000", " (10k)"))
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(plots / "real_link_throughput.png", dpi=110)
    plt.close(fig)
    md += ["![throughput vs latency](plots/real_link_throughput.png)", ""]

    fig, ax = plt.subplots(figsize=(9, 4))
    labels, vals, colors = [], [], []
    palette = {"native": "tab:blue", "native_tuned": "tab:green", "sdk": "tab:red"}
    for lat in lats:
        for name, short in (("list 10,000 default", "list"), ("update_properties_in_assets 10,000", "update")):
            for k in keys:
                r = _find(data, lat, name, k)
                if r and r["secs"] and r["k8"]:
                    labels.append(f"{lat} ms\n{short}")
                    vals.append(r["k8"] / r["secs"] * 100)
                    colors.append(palette[k])
    if vals:
        ax.bar(range(len(vals)), vals, color=colors)
        ax.set_xticks(range(len(vals)), labels, fontsize=7)
        ax.axhline(90, color="black", lw=0.6, ls="--")
        ax.set_ylabel(f"% of the theoretical best (k={TUNED_K})")
        from matplotlib.patches import Patch
        ax.legend(handles=[Patch(color=c, label=LABEL[k]) for k, c in palette.items()], fontsize=8)
        ax.set_title("share of the theoretical best")
        fig.tight_layout()
        fig.savefig(plots / "real_link_share.png", dpi=110)
        md += ["![share of the theoretical best](plots/real_link_share.png)", ""]
    plt.close(fig)
    return md


def render_rerun(new, old):
    """A re-run of some real-link scenarios (e.g. `real_link.py --quick`) next to the same
    scenarios of the main results: the kili-native defaults before and after a change."""
    if not new.get("links"):
        return []
    nd = new.get("native_defaults", {})
    md = ["### Re-run: kili-native defaults after session 7", "",
          f"`{new.get('command', 'python bench/real_link.py')}`, started {new.get('started', '?')} (load "
          f"{new.get('load_at_start', '?')}): defaults `prefetch_pages` {nd.get('prefetch_pages', '?')}, "
          f"`mutation_concurrency` {nd.get('mutation_concurrency', '?')}, rolling-window limiter, AIMD on 429. "
          "Old = the same scenario in the table above (defaults 2 / 4, GCRA limiter with a burst of 500; "
          "tuned = 8 / 8 with that limiter). 1 run per row.", "",
          "| link | scenario | new defaults: time, requests, 429s | old defaults | old tuned |", "|---|---|---|---|---|"]

    def cell(sc, key):
        runs = [r for r in (sc or {}).get("runs", {}).get(key, []) if "error" not in r]
        if not runs:
            return "-"
        r = sorted(runs, key=lambda r: r["secs"])[len(runs) // 2]
        return f"{r['secs']:.2f} s, {r['requests']}, {r['http_429']}"

    for link in new["links"]:
        olds = {}
        for ol in old.get("links", []):
            if ol.get("latency_ms") == link.get("latency_ms"):
                for sc in ol.get("scenarios", []):
                    olds.setdefault(sc["name"], sc)  # a later same-name row holds other contenders
        for sc in link.get("scenarios", []):
            o = olds.get(sc["name"])
            md.append(f"| {link['name']} | {sc['name']} | {cell(sc, 'native')} | {cell(o, 'native')} | "
                      f"{cell(o, 'native_tuned')} |")
    return md + [""]
