"""Listing and counting behaviours kili-native copies from the official SDK (the Rust side is
checked by tests/fidelity_seed.rs), shown here with the unmodified SDK against the emulator:
unknown or invisible projects, `skipped` alone in count_assets, and the V3 default fields."""
import warnings

import pytest
from kili.exceptions import NotFound

# proj-mallory exists but alice is not a member; the other id does not exist at all.
NOT_VISIBLE = ["proj-mallory", "no-such-project"]


@pytest.mark.parametrize("project_id", NOT_VISIBLE)
def test_assets_with_plain_fields_raise_not_found(kili, project_id):
    with pytest.raises(NotFound, match="does not exist or you do not have access"):
        kili.assets(project_id=project_id, fields=["id", "externalId"])


@pytest.mark.parametrize("project_id", NOT_VISIBLE)
def test_count_assets_with_status_in_raises_not_found(kili, project_id):
    with pytest.raises(NotFound, match="does not exist or you do not have access"):
        kili.count_assets(project_id=project_id, status_in=["TODO"])


@pytest.mark.parametrize("project_id", NOT_VISIBLE)
@pytest.mark.parametrize("skipped", [True, False])
def test_count_assets_with_skipped_alone_counts_without_lookup(kili, project_id, skipped):
    # No projects lookup for `skipped` alone: the server's count of what the key can see.
    assert kili.count_assets(project_id=project_id, skipped=skipped) == 0
    assert kili.count_assets(project_id=project_id) == 0


def test_count_assets_with_skipped_alone_does_not_warn(kili):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kili.count_assets(project_id="proj-v2", skipped=False)
    assert not [w for w in caught if "skipped" in str(w.message)]
    # assets() always looks the project up and warns.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kili.assets(project_id="proj-v2", skipped=False, fields=["id"])
    assert [w for w in caught if "skipped" in str(w.message)]


def test_v3_default_fields_put_step_group_first(kili):
    got = kili.assets(project_id="proj-v3", first=1)
    assert list(got[0]["currentStep"].keys()) == ["stepGroupName", "name", "status"]
