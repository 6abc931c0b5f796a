"""Command lines of every benchmark client (the binaries bench/run.sh builds), by key.

`list_cmd(key, project, fields)` gives the listing command of a contender; the labels are the
row names of RESULTS.md. No state; safe to use from anywhere.
"""
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent


class Clients:
    def __init__(self, target):
        self.target = Path(target)
        self.rel = self.target / "release"
        self.out = self.target / "bench-clients"
        self.kb = str(self.rel / "kili-bench")
        self.emulator = str(self.rel / "kili-emulator")
        self.python = str(ROOT / ".venv/bin/python")
        self.py_sdk = str(BENCH / "clients/py_sdk.py")

    # key -> (label, language) in table order
    LISTING = {
        "replay": ("bare HTTP replay (same requests, sequential)", "HTTP"),
        "rust_seq": ("kili-native Rust, sequential (prefetch 0, caller's thread)", "Rust"),
        "rust": ("kili-native Rust (prefetch 2, next_page)", "Rust"),
        "rust_iter": ("kili-native Rust iterator (per asset)", "Rust"),
        "c_next": ("kili-native C, kili_cursor_next", "C"),
        "c_page": ("kili-native C, kili_cursor_next_page(1000)", "C"),
        "cpp": ("kili-native C++ (kili.hpp range-for)", "C++"),
        "go": ("kili-native Go (Rows -> kili.Asset)", "Go"),
        "java": ("kili-native Java (AssetCursor -> Asset)", "Java"),
        "py": ("official Python SDK 26.2.4, rate limiter off", "Python"),
        "py_shipped": ("official Python SDK 26.2.4 as shipped (500 calls/min limiter)", "Python"),
    }

    def list_cmd(self, key, project, fields, replay_file=None):
        if key == "replay":
            return [self.kb, "replay", replay_file]
        if key == "rust_seq":
            return [self.kb, "list", project, fields, "0", "page"]
        if key == "rust":
            return [self.kb, "list", project, fields, "2", "page"]
        if key == "rust_iter":
            return [self.kb, "list", project, fields, "2", "iter"]
        if key == "c_next":
            return [str(self.out / "c_list"), project, fields, "next"]
        if key == "c_page":
            return [str(self.out / "c_list"), project, fields, "page"]
        if key == "cpp":
            return [str(self.out / "cpp_list"), project, fields]
        if key == "go":
            return [str(self.out / "go_list"), project, fields]
        if key == "java":
            jdir = str(self.out / "java")
            return ["java", f"-Djava.library.path={jdir}", "-cp", jdir, "JavaList", project, fields]
        if key == "py":
            return [self.python, self.py_sdk, "list", project, fields, "nolimiter"]
        if key == "py_shipped":
            return [self.python, self.py_sdk, "list", project, fields, "limiter"]
        raise KeyError(key)

    def count_cmd(self, key, args_json, repeat):
        if key == "rust":
            return [self.kb, "count", args_json, str(repeat)]
        return [self.python, self.py_sdk, "count", args_json, str(repeat), "nolimiter"]

    def mutate_cmd(self, key, action, args_file):
        if key == "rust":
            return [self.kb, "mutate", action, args_file]
        if key == "rust_seq":  # one batch at a time, like the SDK
            return [self.kb, "mutate", action, args_file, "1"]
        return [self.python, self.py_sdk, "mutate", action, args_file, "nolimiter"]
