"""Row A.7 of "[fidelity] Same answers as the seed": what the official SDK answers, against the
emulator, for the import and update cases that kili-native matches or deliberately differs on
(tests/fidelity_mutations.rs, docs/FIDELITY.md)."""
import json
from pathlib import Path

import pytest
import requests
from kili.exceptions import GraphQLError
from kili.services.asset_import.exceptions import ImportValidationError

from conftest import FIXTURE, Emulator

TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64
RICH = [{"children": [{"text": "h\u00e9"}], "type": "p"}]


@pytest.fixture()
def no_local_upload_emulator(tmp_path):
    """A fresh emulator whose organization's licence forbids uploading local data."""
    fx = json.loads(FIXTURE.read_text())
    for org in fx["organizations"]:
        org["upload_local_data"] = False
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(fx))
    emu = Emulator(path)
    yield emu
    emu.stop()


def test_rich_text_makes_no_licence_check(no_local_upload_emulator):
    kili = no_local_upload_emulator.client()
    out = kili.append_many_to_dataset(
        project_id="proj-text", json_content_array=[RICH], external_id_array=["rich-1"], id_array=["crich1"]
    )
    assert out == {"id": "proj-text", "asset_ids": ["crich1"]}
    # The uploaded text is `json.dumps` of the value (", " / ": " separators, ASCII only).
    url = kili.assets(project_id="proj-text", fields=["jsonContent"], external_id_in=["rich-1"])[0]["jsonContent"]
    assert requests.get(url, timeout=10).text == '[{"children": [{"text": "h\\u00e9"}], "type": "p"}]'
    # Raw text is local data: refused by the same licence.
    with pytest.raises(Exception, match="Cannot upload content from local data"):
        kili.append_many_to_dataset(project_id="proj-text", content_array=["raw"], external_id_array=["raw-1"])


def test_rich_text_call_refuses_any_content(rw_kili):
    with pytest.raises(ImportValidationError, match="Cannot import content when importing a Rich Text asset"):
        rw_kili.append_many_to_dataset(
            project_id="proj-text", content_array=["plain text", ""], json_content_array=[None, RICH],
            external_id_array=["raw", "rich"],
        )
    assert rw_kili.count_assets(project_id="proj-text") == 0


def test_duplicated_external_ids_do_not_count_as_existing(rw_kili):
    out = rw_kili.append_many_to_dataset(
        project_id="proj-img",
        content_array=["https://h/a.png", "https://h/b.png", "https://h/c.png"],
        external_id_array=["img-01", "d", "d"],
    )
    assert out == {"id": "proj-img", "asset_ids": []}
    assert rw_kili.count_assets(project_id="proj-img") == 12


def test_async_import_ids(rw_kili, tmp_path):
    p = tmp_path / "big.tif"
    p.write_bytes(TIFF)
    waited = rw_kili.append_many_to_dataset(
        project_id="proj-append", content_array=[str(p)], external_id_array=["tif-1"], wait_until_availability=True
    )
    assert waited == {"id": "proj-append", "asset_ids": []}
    not_waited = rw_kili.append_many_to_dataset(
        project_id="proj-append", content_array=[str(p)], external_id_array=["tif-2"], wait_until_availability=False
    )
    assert not_waited == {"id": "proj-append", "asset_ids": ["id"]}


def test_import_stops_at_a_graphql_error(rw_kili):
    rw_kili.append_many_to_dataset(
        project_id="proj-append", content_array=["https://h/0.png"], external_id_array=["first"], id_array=["cexisting"]
    )
    n = 101
    with pytest.raises(GraphQLError):
        rw_kili.append_many_to_dataset(
            project_id="proj-append",
            content_array=[f"https://h/{i}.png" for i in range(n)],
            external_id_array=[f"e{i}" for i in range(n)],
            id_array=["cexisting"] + [f"cnew{i}" for i in range(1, n)],
        )
    # The second batch (one asset) was never sent.
    assert rw_kili.count_assets(project_id="proj-append") == 1


def test_update_with_no_property_returns_the_server_answer(rw_kili):
    assert rw_kili.update_properties_in_assets(asset_ids=["a01", "a02"]) == [{"id": "a01"}, {"id": "a02"}]


def test_update_stops_at_a_graphql_error(rw_kili):
    with pytest.raises(GraphQLError, match="index 0"):
        rw_kili.update_properties_in_assets(asset_ids=["nope"] * 100 + ["a03"], priorities=[2] * 101)
    prio = {a["id"]: a["priority"] for a in rw_kili.assets(project_id="proj-img", fields=["id", "priority"])}
    assert prio["a03"] == 0, "the second batch was never sent"
