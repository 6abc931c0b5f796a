"""Runs one measured client process and collects its JSON line plus its peak RSS.

Each client prints `{"secs", "items", "peak_rss_kb", ...}`: secs covers the operation only,
peak_rss_kb is the process' own high-water mark (VmHWM / ru_maxrss, the same kernel counter in
every language).
Errors: RuntimeError with the command's name and the tail of its stderr (clients never
print the API key; it travels in the environment).
"""
import json
import os
import statistics
import subprocess
import time


def run(cmd, env, cwd=None, timeout=3600):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        raise RuntimeError(f"{os.path.basename(cmd[0])}: timed out after {timeout} s")
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(os.path.basename(c) for c in cmd[:3])} exited {p.returncode}: {err.strip()[-800:]}")
    lines = [l for l in out.strip().splitlines() if l.startswith("{")]
    if not lines:
        raise RuntimeError(f"{os.path.basename(cmd[0])}: no JSON line in its output: {out[-400:]}")
    r = json.loads(lines[-1])
    r["wall_secs"] = wall
    return r


def median(xs):
    return statistics.median(xs) if xs else float("nan")
