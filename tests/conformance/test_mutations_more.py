"""The rest of the asset module of the official SDK (set_assets_priority,
assign_assets_to_labelers, update_asset_consensus, add_metadata, set_metadata,
skip_or_unskip) against a fresh emulator per test. The expected values follow the SDK's own
code: the outcome dicts are the server's lists merged, add/set_metadata return what
update_properties_in_assets returns, skip_or_unskip returns the asset id, and
update_asset_consensus returns the server's boolean."""
import pytest
import requests
from kili.exceptions import GraphQLError


def fields_of(kili, project, ids, fields):
    return {a["id"]: a for a in kili.assets(project_id=project, asset_id_in=ids, fields=["id", *fields])}


def load_fixture(emulator, fixture):
    r = requests.post(emulator.base_url + "/emulator/fixtures", json=fixture,
                      headers={"x-emulator-admin-token": "admin"}, timeout=10)
    r.raise_for_status()


def test_set_assets_priority(rw_kili):
    # a01 is TODO and a03 ONGOING (waiting for work), a04 is LABELED (done).
    out = rw_kili.set_assets_priority(priority=8, asset_ids=["a01", "a03", "a04"])
    assert [s["assetId"] for s in out["succeeded"]] == ["a01", "a03"]
    assert out["declined"] == [{"assetId": "a04", "externalId": "img-04"}]
    assert out["failed"] == []
    got = fields_of(rw_kili, "proj-img", ["a01", "a03", "a04"], ["priority"])
    assert (got["a01"]["priority"], got["a03"]["priority"], got["a04"]["priority"]) == (8, 8, 1)
    by_ext = rw_kili.set_assets_priority(priority=3, external_ids=["img-10", "img-09"], project_id="proj-img")
    # a09 is skipped: declined.
    assert [s["externalId"] for s in by_ext["succeeded"]] == ["img-10"]
    assert [d["externalId"] for d in by_ext["declined"]] == ["img-09"]


def test_assign_assets_to_labelers(rw_kili):
    out = rw_kili.assign_assets_to_labelers(
        asset_ids=["a01", "a02", "a03"],
        to_be_labeled_by_array=[["u-bob"], ["u-bob", "u-carol"], ["u-bob"]],
    )
    # Grouped by labeler list: a01 and a03 share one request, a02 has its own.
    assert [s["assetId"] for s in out["succeeded"]] == ["a01", "a03", "a02"]
    assert out["declined"] == [] and out["failed"] == []
    got = fields_of(rw_kili, "proj-img", ["a01", "a02"], ["assignedTo.id"])
    assert [u["id"] for u in got["a01"]["assignedTo"]] == ["u-bob"]
    assert sorted(u["id"] for u in got["a02"]["assignedTo"]) == ["u-bob", "u-carol"]
    rw_kili.assign_assets_to_labelers(asset_ids=["a01"], to_be_labeled_by_array=[[]])
    assert fields_of(rw_kili, "proj-img", ["a01"], ["assignedTo.id"])["a01"]["assignedTo"] == []


def test_update_asset_consensus(rw_emulator, rw_kili):
    load_fixture(rw_emulator, {
        "projects": [{"id": "proj-cons", "title": "Consensus", "input_type": "TEXT", "workflow_version": "V2",
                      "organization_id": "org-1", "consensus_tot_coverage": 100,
                      "members": [{"user_id": "u-alice", "role": "ADMIN"}],
                      "steps": [{"id": "c-label", "name": "Labeling", "type": "DEFAULT"},
                                {"id": "c-review", "name": "Review", "type": "REVIEW"}]}],
        "assets": [{"id": "c1", "project_id": "proj-cons", "external_id": "cons-1",
                    "current_step": {"step_id": "c-label", "status": "TO_DO"}}],
    })
    assert rw_kili.update_asset_consensus(project_id="proj-cons", is_consensus=True, asset_id="c1") is True
    assert fields_of(rw_kili, "proj-cons", ["c1"], ["isUsedForConsensus"])["c1"]["isUsedForConsensus"] is True
    assert rw_kili.update_asset_consensus(project_id="proj-cons", is_consensus=False, external_id="cons-1") is False
    assert fields_of(rw_kili, "proj-cons", ["c1"], ["isUsedForConsensus"])["c1"]["isUsedForConsensus"] is False
    # Legacy workflow: the server refuses.
    with pytest.raises(GraphQLError):
        rw_kili.update_asset_consensus(project_id="proj-img", is_consensus=True, asset_id="a01")


def test_add_metadata(rw_kili):
    out = rw_kili.add_metadata(json_metadata=[{"new": "x", "score": 100}], project_id="proj-img", asset_ids=["a01"])
    assert out == [{"id": "a01"}]
    meta = fields_of(rw_kili, "proj-img", ["a01"], ["jsonMetadata"])["a01"]["jsonMetadata"]
    assert meta == {"split": "test", "score": 100, "tag": "odd", "new": "x"}


def test_set_metadata_keeps_kili_keys(rw_kili):
    rw_kili.add_metadata(json_metadata=[{"text": "kept"}], project_id="proj-img", external_ids=["img-02"])
    out = rw_kili.set_metadata(json_metadata=[{"only": 1}], project_id="proj-img", external_ids=["img-02"])
    assert out == [{"id": "a02"}]
    meta = fields_of(rw_kili, "proj-img", ["a02"], ["jsonMetadata"])["a02"]["jsonMetadata"]
    assert meta == {"text": "kept", "only": 1}


def test_skip_or_unskip(rw_kili):
    assert rw_kili.skip_or_unskip(action="skip", asset_id="a01", project_id="proj-img", reason="blurry") == "a01"
    assert fields_of(rw_kili, "proj-img", ["a01"], ["skipped"])["a01"]["skipped"] is True
    assert rw_kili.skip_or_unskip(action="unskip", asset_id="a01", project_id="proj-img") == "a01"
    assert fields_of(rw_kili, "proj-img", ["a01"], ["skipped"])["a01"]["skipped"] is False
    # V2: the step status follows.
    rw_kili.skip_or_unskip(action="skip", asset_id="t1", project_id="proj-v2", reason="off-topic")
    got = rw_kili.assets(project_id="proj-v2", asset_id_in=["t1"], fields=["skipped", "currentStep.status"])
    assert got == [{"skipped": True, "currentStep": {"status": "SKIPPED"}}]
