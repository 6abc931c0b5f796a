"""pytest fixtures: a fresh kili-emulator binary per scope, and the unmodified official SDK.

The SDK runs WITHOUT KILI_SDK_SKIP_CHECKS (so it validates every document against the
emulator's introspected schema), with a temporary HOME so its schema cache starts empty.
"""
import json
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURE = HERE / "fixture.json"

# Before the SDK is imported: fresh schema cache, checks on.
_HOME = tempfile.mkdtemp(prefix="kili-conformance-home-")
os.environ["HOME"] = _HOME
os.environ.pop("KILI_SDK_SKIP_CHECKS", None)
os.environ.pop("KILI_API_KEY", None)
os.environ.pop("KILI_API_ENDPOINT", None)
os.environ["KILI_DISABLE_TQDM"] = "true"
warnings.filterwarnings("ignore", category=DeprecationWarning)

from kili.client import Kili  # noqa: E402


def emulator_binary() -> str:
    # Cargo's target directory honours CARGO_TARGET_DIR (relative to the repository), like cargo.
    target = ROOT / os.environ.get("CARGO_TARGET_DIR", "target")
    b = os.environ.get("KILI_EMULATOR_BIN") or str(target / "debug" / "kili-emulator")
    if not Path(b).exists():
        pytest.exit(f"kili-emulator binary not found at {b}: run `cargo build -p kili-emulator` first", 2)
    return b


class Emulator:
    """A running kili-emulator process (free port, given fixture file)."""

    def __init__(self, fixture: Path):
        self.proc = subprocess.Popen(
            [emulator_binary(), "--port", "0", "--fixture", str(fixture), "--admin-token", "admin"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http://"):
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.stop()
            raise RuntimeError(f"kili-emulator did not print its URL (got {line!r}) {err}")
        self.base_url = line
        self.endpoint = line + "/api/label/v2/graphql"

    def client(self, key: str = "alice-key") -> Kili:
        return Kili(api_key=key, api_endpoint=self.endpoint)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def fixture_data():
    return json.loads(FIXTURE.read_text())


@pytest.fixture(scope="session")
def read_emulator():
    """One emulator for read-only tests (never mutated)."""
    emu = Emulator(FIXTURE)
    yield emu
    emu.stop()


@pytest.fixture(scope="session")
def kili(read_emulator):
    return read_emulator.client()


@pytest.fixture()
def rw_emulator():
    """A fresh emulator per test, for mutations."""
    emu = Emulator(FIXTURE)
    yield emu
    emu.stop()


@pytest.fixture()
def rw_kili(rw_emulator):
    return rw_emulator.client()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_HOME, ignore_errors=True)
