"""A kili-emulator process owned by the harness: free port, a bench fixture (one user, its API
key, projects), generated assets, and the admin endpoints (request log, fixtures, generate).

Not thread-safe; one harness thread drives it. Errors: RuntimeError naming what failed.
"""
import json
import os
import subprocess
import tempfile
import time
import urllib.request

API_KEY = "bench-key"
ADMIN = "bench-admin"
USER = {"id": "u", "email": "bench@example.com", "firstname": "Bench", "lastname": "User",
        "organization_id": "org", "api_keys": [API_KEY]}


def project(pid, input_type="IMAGE"):
    """A V1 project of the bench user (V1: review/queue apply to the LABELED assets)."""
    jobs = {"CLASSIFICATION_JOB": {"mlTask": "CLASSIFICATION", "required": 1, "isChild": False,
                                   "content": {"input": "radio", "categories": {"A": {"name": "A"}, "B": {"name": "B"}}}}}
    return {"id": pid, "title": pid, "input_type": input_type, "workflow_version": "V1",
            "organization_id": "org", "json_interface": {"jobs": jobs}, "members": [{"user_id": "u", "role": "ADMIN"}]}


class Emulator:
    def __init__(self, binary, assets=0, pid="big", extra_args=()):
        self.binary = binary
        fx = {"organizations": [{"id": "org", "name": "Bench"}], "users": [USER], "projects": [project(pid)]}
        self._dir = tempfile.mkdtemp(prefix="kili-bench-emu-")
        path = os.path.join(self._dir, "fixture.json")
        with open(path, "w") as f:
            json.dump(fx, f)
        cmd = [binary, "--port", "0", "--fixture", path, "--admin-token", ADMIN]
        if assets:
            cmd += ["--generate-assets", str(assets), "--generate-project", pid]
        cmd += list(extra_args)  # e.g. the realistic-link flags of bench/real_link.py
        t = time.time()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"kili-emulator did not start (first line {line!r})")
        self.load_secs = time.time() - t
        self.base_url = line.split()[0]
        self.endpoint = self.base_url + "/api/label/v2/graphql"

    def env(self):
        """Environment for a client process (the key is passed by environment, never argv)."""
        return dict(os.environ, KILI_API_ENDPOINT=self.endpoint, KILI_API_KEY=API_KEY)

    def _admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers={"x-emulator-admin-token": ADMIN, "content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=600) as r:
            text = r.read()
        return json.loads(text) if text else None

    def add_project(self, pid, input_type="IMAGE"):
        self._admin("POST", "/emulator/fixtures", {"projects": [project(pid, input_type)]})

    def generate(self, pid, n):
        self._admin("POST", "/emulator/generate", {"project_id": pid, "count": n})

    def clear_log(self):
        self._admin("DELETE", "/emulator/requests")

    def graphql_bodies(self):
        """Bodies of the GraphQL requests logged since the last clear (headers dropped: they
        hold the API key)."""
        return [r["body"] for r in self._admin("GET", "/emulator/requests")
                if r.get("body") is not None and r["path"].startswith("/api/label/v2/graphql")]

    def link_stats(self):
        """The realistic-link counters (`GET /emulator/link`)."""
        return self._admin("GET", "/emulator/link")

    def rss_kb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
