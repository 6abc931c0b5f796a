"""assets(): default fields, dotted fields, pagination, as_generator, count_assets."""
import json
from pathlib import Path

FX = json.loads((Path(__file__).parent / "fixture.json").read_text())
IMG = sorted([a for a in FX["assets"] if a["project_id"] == "proj-img"], key=lambda a: (a["created_at"], a["id"]))


def test_default_fields_v1(kili):
    assets = kili.assets(project_id="proj-img")
    assert [a["id"] for a in assets] == [a["id"] for a in IMG]
    a3 = assets[2]
    for key in ("content", "createdAt", "externalId", "id", "isHoneypot", "jsonMetadata", "labels", "skipped", "status"):
        assert key in a3, key
    assert a3["externalId"] == "img-03"
    assert a3["status"] == "ONGOING"
    assert a3["jsonMetadata"] == IMG[2]["json_metadata"] == {"split": "train", "score": 3, "tag": "odd"}
    label = a3["labels"][0]
    assert label["author"] == {"id": "u-bob", "email": "bob@example.com"}
    want = next(l for l in FX["labels"] if l["id"] == label["id"])
    assert label["jsonResponse"] == want["json_response"]
    assert assets[0]["labels"] == []


def test_default_fields_v2_have_current_step(kili):
    assets = kili.assets(project_id="proj-v2")
    assert [a["currentStep"] for a in assets] == [
        {"name": "Labeling", "status": "TO_DO"},
        {"name": "Labeling", "status": "DONE"},
        {"name": "Review", "status": "TO_DO"},
        {"name": "Review", "status": "DONE"},
    ]
    assert "status" not in assets[0]


def test_default_fields_v3_have_group(kili):
    assets = kili.assets(project_id="proj-v3")
    assert [a["currentStep"]["stepGroupName"] for a in assets] == ["Annotate", "Annotate", "QA"]


def test_dotted_fields(kili):
    assets = kili.assets(
        project_id="proj-img",
        fields=["id", "externalId", "labels.author.email", "labels.labelType", "latestLabel.id", "assignedTo.email", "issues.type"],
        asset_id_in=["a06", "a09"],
    )
    by_id = {a["id"]: a for a in assets}
    assert sorted(l["labelType"] for l in by_id["a06"]["labels"]) == ["DEFAULT", "REVIEW"]
    assert sorted(l["author"]["email"] for l in by_id["a06"]["labels"]) == ["bob@example.com", "carol@example.com"]
    assert by_id["a06"]["latestLabel"]["id"] == "r06"
    assert by_id["a09"]["latestLabel"] is None
    assert by_id["a09"]["assignedTo"] == [{"email": "bob@example.com"}]
    assert by_id["a09"]["issues"] == [{"type": "ISSUE"}]


def test_first_and_skip_are_exact(kili):
    got = [a["externalId"] for a in kili.assets(project_id="proj-img", fields=["externalId"], first=4, skip=5)]
    assert got == [a["external_id"] for a in IMG[5:9]]
    got = [a["id"] for a in kili.assets(project_id="proj-img", fields=["id"], skip=10)]
    assert got == [a["id"] for a in IMG[10:]]


def test_as_generator(kili):
    gen = kili.assets(project_id="proj-img", fields=["id", "jsonMetadata"], as_generator=True)
    assert not isinstance(gen, list)
    items = list(gen)
    assert [a["id"] for a in items] == [a["id"] for a in IMG]
    assert items[0]["jsonMetadata"]["score"] == 1


def test_count_assets(kili):
    assert kili.count_assets(project_id="proj-img") == 12
    assert kili.count_assets(project_id="proj-v2") == 4
    assert kili.count_assets(project_id="proj-text") == 0
    assert kili.count_assets(project_id="proj-img", status_in=["TODO"]) == sum(a["status"] == "TODO" for a in IMG)


def test_projects_lookup(kili):
    p = kili.projects(project_id="proj-v2", fields=["id", "title", "inputType", "workflowVersion", "steps.name"])
    assert p == [{"id": "proj-v2", "title": "Texts V2", "inputType": "TEXT", "workflowVersion": "V2",
                  "steps": [{"name": "Labeling"}, {"name": "Review"}]}]
    ids = {p["id"] for p in kili.projects(fields=["id"])}
    assert "proj-mallory" not in ids and {"proj-img", "proj-v2", "proj-v3"} <= ids
