"""`download_media` rules kili-native copies from the official SDK's MediaDownloader (the Rust
side is checked by tests/fidelity_media.rs), shown here with the unmodified SDK against the
emulator and a small local media server: `jsonContent` added first for TEXT / VIDEO (kept
with a warning, removed when empty), GEOSPATIAL and VIDEO_LEGACY `jsonContent` URLs, the
fields download_media needs, and the differences kept on purpose (docs/FIDELITY.md)."""
import json
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import Emulator
from kili.use_cases.asset.exceptions import MissingPropertyError

ADDED = "Non empty jsonContent found in assets. Field was automatically added."


class _Media(BaseHTTPRequestHandler):
    hits = {}
    base = ""

    def _answer(self, body_too):
        _Media.hits[(self.command, self.path)] = _Media.hits.get((self.command, self.path), 0) + 1
        if self.path.startswith("/text/"):
            ct, body = "text/plain", b"some text"
        elif self.path.startswith("/img/") or self.path.startswith("/frame/"):
            ct, body = "image/png", b"\x89PNG\r\n\x1a\nfake"
        elif self.path == "/frames.json":
            ct = "application/json"
            body = json.dumps({str(i): f"{_Media.base}/frame/{i}" for i in range(1, 4)}).encode()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ct)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body_too:
            self.wfile.write(body)

    def do_GET(self):
        self._answer(True)

    def do_HEAD(self):
        self._answer(False)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def media():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Media)
    _Media.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield _Media
    server.shutdown()


@pytest.fixture(scope="module")
def kili_media(media, tmp_path_factory):
    b = media.base

    def project(pid, input_type):
        return {"id": pid, "title": pid, "input_type": input_type, "workflow_version": "V1",
                "organization_id": "org-1", "members": [{"user_id": "u-alice", "role": "ADMIN"}]}

    def asset(aid, pid, ext, content, json_content=None):
        a = {"id": aid, "project_id": pid, "external_id": ext, "content": content,
             "created_at": f"2024-01-01T00:00:0{aid[-1]}.000Z"}
        if json_content is not None:
            a["json_content"] = json_content
        return a

    fixture = {
        "organizations": [{"id": "org-1", "name": "Acme"}],
        "users": [{"id": "u-alice", "email": "alice@example.com", "organization_id": "org-1",
                   "api_keys": [{"key": "alice-key", "expiry_date": "2099-12-31T23:59:59.000Z"}]}],
        "projects": [project("m-text", "TEXT"), project("m-textempty", "TEXT"), project("m-vid", "VIDEO"),
                     project("m-geo", "GEOSPATIAL"), project("m-vleg", "VIDEO_LEGACY"), project("m-img", "IMAGE")],
        "assets": [
            asset("t1", "m-text", "rich-1", "", f"{b}/text/rich-1"),
            asset("t2", "m-text", "plain-2", f"{b}/text/plain-2"),
            asset("e1", "m-textempty", "e-1", f"{b}/text/e-1"),
            asset("v1", "m-vid", "vid", f"{b}/img/vid-content", f"{b}/frames.json"),
            asset("g1", "m-geo", "geo-1", f"{b}/img/geo-1", f"{b}/text/geo-1.json"),
            asset("l1", "m-vleg", "leg-1", f"{b}/img/leg-1", f"{b}/frames.json"),
            asset("i1", "m-img", "img-1", f"{b}/img/img-1"),
        ],
    }
    path = tmp_path_factory.mktemp("media-fixture") / "fixture.json"
    path.write_text(json.dumps(fixture))
    emu = Emulator(path)
    yield emu.client()
    emu.stop()


def _assets(kili, tmp_path, **kw):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assets = kili.assets(download_media=True, local_media_dir=str(tmp_path), **kw)
    return assets, [str(x.message) for x in w if issubclass(x.category, UserWarning)]


def test_text_adds_json_content_first_and_warns(kili_media, media, tmp_path):
    assets, warned = _assets(kili_media, tmp_path, project_id="m-text", fields=["id", "externalId", "content"])
    assert [list(a) for a in assets] == [["jsonContent", "id", "externalId", "content"]] * 2
    assert assets[0]["jsonContent"] == str((tmp_path / "rich-1.txt").resolve())
    assert not assets[1]["jsonContent"]
    assert ADDED in warned


def test_text_added_json_content_empty_everywhere_is_removed(kili_media, tmp_path):
    assets, warned = _assets(kili_media, tmp_path, project_id="m-textempty", fields=["id", "externalId", "content"])
    assert [list(a) for a in assets] == [["id", "externalId", "content"]]
    assert ADDED not in warned


def test_video_frames_downloaded_content_skipped(kili_media, media, tmp_path):
    assets, warned = _assets(kili_media, tmp_path, project_id="m-vid", fields=["id", "externalId", "content"])
    assert list(assets[0])[0] == "jsonContent"
    assert [p.rsplit("/", 1)[-1] for p in assets[0]["jsonContent"]] == ["vid_1.jpg", "vid_2.jpg", "vid_3.jpg"]
    assert assets[0]["content"] == f"{media.base}/img/vid-content"
    assert media.hits.get(("GET", "/img/vid-content"), 0) == 0
    assert ADDED in warned


def test_geospatial_json_content_url_skips_content(kili_media, media, tmp_path):
    assets, _ = _assets(kili_media, tmp_path, project_id="m-geo", fields=["id", "externalId", "content", "jsonContent"])
    assert assets[0]["content"] == f"{media.base}/img/geo-1"
    assert assets[0]["jsonContent"] == f"{media.base}/text/geo-1.json"
    assert media.hits.get(("GET", "/img/geo-1"), 0) == 0


def test_video_legacy_json_content_url_is_not_implemented(kili_media, tmp_path):
    with pytest.raises(NotImplementedError, match="VIDEO_LEGACY"):
        _assets(kili_media, tmp_path, project_id="m-vleg", fields=["id", "externalId", "content", "jsonContent"])


def test_label_path_needs_only_external_id(kili_media, tmp_path):
    assets, _ = _assets(kili_media, tmp_path, project_id="m-img", fields=["id", "externalId", "labels.jsonResponse"])
    assert assets[0]["content"] == str((tmp_path / "img-1.png").resolve())


def test_missing_external_id_raises_at_the_first_batch_only(kili_media, tmp_path):
    # kili-native refuses before any request in both cases (docs/FIDELITY.md)
    with pytest.raises(MissingPropertyError, match="externalId"):
        _assets(kili_media, tmp_path, project_id="m-img", fields=["id", "content"])
    assets, _ = _assets(kili_media, tmp_path, project_id="m-img", fields=["id", "content"],
                        external_id_strictly_in=["no-such-asset"])
    assert assets == []
