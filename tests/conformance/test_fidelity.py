"""Behaviours kili-native copies from the official SDK (tests/fidelity_seed.rs checks the Rust
side), shown here with the unmodified SDK against the emulator."""
import pytest


def assignees(kili, ids):
    rows = kili.assets(project_id="proj-img", asset_id_in=ids, fields=["id", "assignedTo.email"])
    return {a["id"]: sorted(u["email"] for u in a["assignedTo"] or []) for a in rows}


def test_to_be_labeled_by_none_clears_the_assignment(rw_kili):
    # a03 starts assigned to bob; the docstring's own example shape: [[...], None].
    assert assignees(rw_kili, ["a01", "a03"]) == {"a01": [], "a03": ["bob@example.com"]}
    rw_kili.update_properties_in_assets(
        asset_ids=["a01", "a03"],
        to_be_labeled_by_array=[["carol@example.com"], None],
    )
    assert assignees(rw_kili, ["a01", "a03"]) == {"a01": ["carol@example.com"], "a03": []}


# On V2/V3, status_in is refused with these step filters...
REFUSED_WITH_STATUS_IN = {
    "step_status_in": ["DONE"],
    "step_id_in": ["st-review"],
    "step_id_not_in": ["st-review"],
    "step_id_and_status_in": [("st-review", "DONE")],
    "step_id_and_status_not_in": [("st-review", "DONE")],
    "step_name_in": ["Review"],
}
# ... and sent alongside these ones.
ACCEPTED_WITH_STATUS_IN = {
    "step_status_not_in": ["DONE"],
    "step_name_not_in": ["Review"],
    "step_name_and_status_in": [("Review", "DONE")],
    "step_name_and_status_not_in": [("Review", "DONE")],
}


@pytest.mark.parametrize("name", list(REFUSED_WITH_STATUS_IN))
def test_status_in_refused_with_step_filter(kili, name):
    kwargs = {"status_in": ["TODO"], name: REFUSED_WITH_STATUS_IN[name]}
    with pytest.raises(ValueError):
        kili.assets(project_id="proj-v2", fields=["id"], **kwargs)
    with pytest.raises(ValueError):
        kili.count_assets(project_id="proj-v2", **kwargs)


@pytest.mark.parametrize("name", list(ACCEPTED_WITH_STATUS_IN))
def test_status_in_accepted_with_step_filter(kili, name):
    kwargs = {"status_in": ["TODO"], name: ACCEPTED_WITH_STATUS_IN[name]}
    got = kili.assets(project_id="proj-v2", fields=["id"], **kwargs)
    assert kili.count_assets(project_id="proj-v2", **kwargs) == len(got)


def test_step_id_and_status_tuples(kili):
    got = kili.assets(project_id="proj-v2", fields=["id"], step_id_and_status_not_in=[("st-review", "TO_DO")])
    assert [a["id"] for a in got] == ["t1", "t2", "t4"]
