"""Client construction and authentication against the emulator."""
import pytest
from kili.exceptions import AuthenticationFailed, NotFound


def test_kili_construction_runs_the_full_init_sequence(read_emulator):
    k = read_emulator.client()
    # The schema cache file was written (version endpoint + introspection worked).
    import glob
    import os

    cached = glob.glob(os.path.join(os.environ["HOME"], ".cache", "kili", "graphql", "*.graphql"))
    assert cached, "no schema cache written: /version or introspection failed"
    assert k.count_assets(project_id="proj-img") == 12


def test_bad_api_key_is_rejected(read_emulator):
    with pytest.raises(AuthenticationFailed):
        read_emulator.client(key="not-a-key")


def test_unknown_project_is_not_found(kili):
    with pytest.raises(NotFound):
        kili.assets(project_id="no-such-project")


def test_other_users_project_is_invisible(kili, read_emulator):
    with pytest.raises(NotFound):
        kili.assets(project_id="proj-mallory")
    mallory = read_emulator.client(key="mallory-key")
    assert [a["externalId"] for a in mallory.assets(project_id="proj-mallory", fields=["externalId"])] == ["secret"]
    with pytest.raises(NotFound):
        mallory.assets(project_id="proj-img")


def test_count_of_foreign_project_is_zero(read_emulator):
    mallory = read_emulator.client(key="mallory-key")
    assert mallory.count_assets(project_id="proj-img") == 0


def test_graphql_errors_carry_a_code(read_emulator):
    import requests

    r = requests.post(read_emulator.endpoint, json={"query": "{ viewer { id email } }"}, timeout=10)
    assert r.status_code == 401
    body = r.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    r = requests.post(
        read_emulator.endpoint,
        json={"query": "{ nope }"},
        headers={"Authorization": "X-API-Key: alice-key"},
        timeout=10,
    )
    assert r.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
