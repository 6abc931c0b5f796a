"""The six mutation methods of the official SDK against a fresh emulator per test."""
import base64
import json
from pathlib import Path

import pytest
import requests

FX = json.loads((Path(__file__).parent / "fixture.json").read_text())

# A valid 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
# A little-endian TIFF header (the SDK routes TIFFs through the asynchronous import).
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64


def by_external_id(kili, project, fields=("id", "externalId", "content", "jsonContent", "jsonMetadata", "isHoneypot")):
    return {a["externalId"]: a for a in kili.assets(project_id=project, fields=list(fields))}


def fetch(url):
    r = requests.get(url, timeout=10)
    r.raise_for_status()
    return r


def test_append_raw_text_uploads_through_signed_urls(rw_kili):
    out = rw_kili.append_many_to_dataset(
        project_id="proj-text", content_array=["hello world", "second text"], external_id_array=["t-a", "t-b"]
    )
    assert out["id"] == "proj-text" and len(out["asset_ids"]) == 2
    assets = by_external_id(rw_kili, "proj-text")
    assert set(assets) == {"t-a", "t-b"}
    assert [assets["t-a"]["id"], assets["t-b"]["id"]] == out["asset_ids"]
    assert fetch(assets["t-a"]["content"]).text == "hello world"
    assert fetch(assets["t-b"]["content"]).text == "second text"


def test_append_urls_with_metadata_and_honeypot(rw_kili):
    out = rw_kili.append_many_to_dataset(
        project_id="proj-append",
        content_array=["https://example.com/a.png", "https://example.com/b.jpg"],
        external_id_array=["u-a", "u-b"],
        json_metadata_array=[{"k": 1}, {"k": 2}],
        is_honeypot_array=[True, False],
    )
    assert len(out["asset_ids"]) == 2
    assets = by_external_id(rw_kili, "proj-append")
    assert assets["u-a"]["content"] == "https://example.com/a.png"
    assert assets["u-a"]["jsonMetadata"] == {"k": 1} and assets["u-b"]["jsonMetadata"] == {"k": 2}
    assert assets["u-a"]["isHoneypot"] is True and assets["u-b"]["isHoneypot"] is False
    # Import order is kept.
    assert [a["externalId"] for a in rw_kili.assets(project_id="proj-append", fields=["externalId"])] == ["u-a", "u-b"]


def test_append_local_image_files(rw_kili, tmp_path):
    paths = []
    for name in ("one.png", "two.png"):
        p = tmp_path / name
        p.write_bytes(PNG)
        paths.append(str(p))
    out = rw_kili.append_many_to_dataset(project_id="proj-append", content_array=paths, external_id_array=["f-1", "f-2"])
    assert len(out["asset_ids"]) == 2
    assets = by_external_id(rw_kili, "proj-append")
    r = fetch(assets["f-1"]["content"])
    assert r.content == PNG
    assert r.headers["content-type"].startswith("image/png")


def test_append_local_tiff_goes_async_and_waits_for_success(rw_kili, tmp_path):
    p = tmp_path / "big.tif"
    p.write_bytes(TIFF)
    rw_kili.append_many_to_dataset(
        project_id="proj-append", content_array=[str(p)], external_id_array=["tif-1"], wait_until_availability=True
    )
    assets = by_external_id(rw_kili, "proj-append")
    assert fetch(assets["tif-1"]["content"]).content == TIFF


def test_append_json_content_rich_text(rw_kili):
    rich = [{"children": [{"text": "Rich text"}], "type": "p"}]
    rw_kili.append_many_to_dataset(project_id="proj-text", json_content_array=[rich], external_id_array=["rich-1"])
    a = by_external_id(rw_kili, "proj-text")["rich-1"]
    assert a["content"] == ""
    assert json.loads(fetch(a["jsonContent"]).text) == rich


def test_append_from_csv(rw_kili, tmp_path):
    csv = tmp_path / "assets.csv"
    csv.write_text("content,externalId\nfirst row text,csv-1\nhttps://example.com/x.txt,csv-2\n")
    # One row is a URL, one raw text: the SDK refuses mixing, so import the raw one only first.
    csv.write_text("content,externalId\nfirst row text,csv-1\nsecond row text,csv-2\n")
    rw_kili.append_many_to_dataset(project_id="proj-text", from_csv=str(csv))
    assets = by_external_id(rw_kili, "proj-text")
    assert set(assets) == {"csv-1", "csv-2"}
    assert fetch(assets["csv-2"]["content"]).text == "second row text"


def test_append_is_retry_safe_with_client_ids(rw_emulator):
    # A client that lost the answer re-sends the same appendManyAssets (same client ids): the
    # emulator must not create duplicates. (The SDK itself would skip the existing external id.)
    doc = "mutation appendManyAssets($data: AppendManyAssetsData!, $where: ProjectWhere!) { data: appendManyAssets(data: $data, where: $where) { id } }"
    variables = {"data": {"contentArray": ["https://example.com/r.png"], "externalIDArray": ["retry-1"],
                          "idArray": ["cretry000000000000000001"], "jsonMetadataArray": ["{}"]},
                 "where": {"id": "proj-append"}}
    for _ in range(2):
        r = requests.post(rw_emulator.endpoint, json={"query": doc, "variables": variables},
                          headers={"Authorization": "X-API-Key: alice-key"}, timeout=10)
        assert r.json() == {"data": {"data": [{"id": "cretry000000000000000001"}]}}
    assert rw_emulator.client().count_assets(project_id="proj-append") == 1


def test_update_properties_in_assets(rw_kili):
    res = rw_kili.update_properties_in_assets(
        asset_ids=["a01", "a02"],
        priorities=[5, 7],
        json_metadatas=[{"new": "meta"}, {"other": 2}],
        consensus_marks=[0.11, 0.22],
        is_honeypot_array=[True, False],
        resolution_array=[{"width": 640, "height": 480}, {"width": 10, "height": 20}],
    )
    assert sorted(r["id"] for r in res) == ["a01", "a02"]
    got = {a["id"]: a for a in rw_kili.assets(project_id="proj-img", asset_id_in=["a01", "a02"],
                                              fields=["id", "priority", "jsonMetadata", "consensusMark", "isHoneypot", "resolution.width"])}
    assert got["a01"]["priority"] == 5 and got["a02"]["priority"] == 7
    assert got["a01"]["jsonMetadata"] == {"new": "meta"}
    assert got["a02"]["consensusMark"] == 0.22
    assert got["a01"]["isHoneypot"] is True
    assert got["a01"]["resolution"] == {"width": 640}


def test_update_properties_by_external_ids(rw_kili):
    rw_kili.update_properties_in_assets(external_ids=["img-03"], project_id="proj-img", priorities=[9])
    a = rw_kili.assets(project_id="proj-img", external_id_strictly_in=["img-03"], fields=["priority"])
    assert a == [{"priority": 9}]


def test_change_asset_external_ids(rw_kili):
    rw_kili.change_asset_external_ids(new_external_ids=["renamed-1", "renamed-2"], asset_ids=["a01", "a02"])
    assets = by_external_id(rw_kili, "proj-img")
    assert assets["renamed-1"]["id"] == "a01" and assets["renamed-2"]["id"] == "a02"
    assert "img-01" not in assets


def test_delete_many_from_dataset(rw_kili):
    out = rw_kili.delete_many_from_dataset(asset_ids=["a01", "a02"])
    assert sorted(s["assetId"] for s in out["succeeded"]) == ["a01", "a02"]
    assert out["declined"] == [] and out["failed"] == []
    assert rw_kili.count_assets(project_id="proj-img") == 10
    # Deleting again (a retry) reports success and changes nothing.
    again = rw_kili.delete_many_from_dataset(asset_ids=["a01"])
    assert [s["assetId"] for s in again["succeeded"]] == ["a01"]
    assert rw_kili.count_assets(project_id="proj-img") == 10


def test_delete_by_external_ids(rw_kili):
    out = rw_kili.delete_many_from_dataset(external_ids=["img-05"], project_id="proj-img")
    assert [s["externalId"] for s in out["succeeded"]] == ["img-05"]
    assert rw_kili.count_assets(project_id="proj-img", external_id_strictly_in=["img-05"]) == 0


def test_add_to_review(rw_kili):
    # a04 is LABELED, a01 is TODO (no label).
    out = rw_kili.add_to_review(asset_ids=["a04", "a01"])
    assert [s["assetId"] for s in out["succeeded"]] == ["a04"]
    assert [d["assetId"] for d in out["declined"]] == ["a01"]
    status = {a["id"]: a["status"] for a in rw_kili.assets(project_id="proj-img", asset_id_in=["a01", "a04"], fields=["id", "status"])}
    assert status == {"a01": "TODO", "a04": "TO_REVIEW"}


def test_add_to_review_v2_moves_to_review_step(rw_kili):
    out = rw_kili.add_to_review(asset_ids=["t2", "t1"])
    assert [s["assetId"] for s in out["succeeded"]] == ["t2"]
    assert [d["assetId"] for d in out["declined"]] == ["t1"]
    a = rw_kili.assets(project_id="proj-v2", asset_id_in=["t2"], fields=["currentStep.name", "currentStep.status"])
    assert a == [{"currentStep": {"name": "Review", "status": "TO_DO"}}]


def test_send_back_to_queue(rw_kili):
    # a05 is LABELED (priority 2), a02 is TODO.
    out = rw_kili.send_back_to_queue(asset_ids=["a05", "a02"])
    assert [s["assetId"] for s in out["succeeded"]] == ["a05"]
    assert [d["assetId"] for d in out["declined"]] == ["a02"]
    a = rw_kili.assets(project_id="proj-img", asset_id_in=["a05"], fields=["status", "priority"])
    assert a == [{"status": "ONGOING", "priority": 3}]


def test_mutations_on_foreign_assets_do_nothing(rw_emulator):
    mallory = rw_emulator.client(key="mallory-key")
    out = mallory.delete_many_from_dataset(asset_ids=["a01"])
    assert out["succeeded"] == [] and [f["assetId"] for f in out["failed"]] == ["a01"]
    assert rw_emulator.client().count_assets(project_id="proj-img", asset_id_in=["a01"]) == 1
    from kili.exceptions import NotFound

    with pytest.raises(NotFound):
        mallory.append_many_to_dataset(project_id="proj-img", content_array=["https://example.com/x.png"])
