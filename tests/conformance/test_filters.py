"""assets()/count_assets() filters: each case's expected result is computed from fixture.json."""
import pytest

FX = __import__("json").loads((__import__("pathlib").Path(__file__).parent / "fixture.json").read_text())
ASSETS = {a["id"]: a for a in FX["assets"]}
USERS = {u["id"]: u for u in FX["users"]}
LABELS = FX["labels"]
ISSUES = FX["issues"]
STEPS = {s["id"]: s for p in FX["projects"] for s in p.get("steps", [])}


def labels_of(a):
    return [l for l in LABELS if l["asset_id"] == a["id"]]


def author(l):
    return USERS[l["author_id"]]


def count(resp, job, cat):
    return sum(1 for an in resp.get(job, {}).get("annotations", []) if any(c["name"] == cat for c in an["categories"]))


def day(ts):
    return ts[:10]


def meta(a):
    return a.get("json_metadata", {})


def step_of(a):
    return a.get("current_step") or {}


CASES = {
    "no filter": ({}, lambda a: True),
    "asset_id": ({"asset_id": "a03"}, lambda a: a["id"] == "a03"),
    "asset_id_in": ({"asset_id_in": ["a01", "a05", "a09"]}, lambda a: a["id"] in ("a01", "a05", "a09")),
    "asset_id_not_in": ({"asset_id_not_in": ["a01", "a02"]}, lambda a: a["id"] not in ("a01", "a02")),
    "external_id_strictly_in": ({"external_id_strictly_in": ["img-01", "img-11"]}, lambda a: a["external_id"] in ("img-01", "img-11")),
    "external_id_in (substring)": ({"external_id_in": ["img-1"]}, lambda a: "img-1" in a["external_id"]),
    "status_in one": ({"status_in": ["LABELED"]}, lambda a: a["status"] == "LABELED"),
    "status_in several": ({"status_in": ["TODO", "ONGOING"]}, lambda a: a["status"] in ("TODO", "ONGOING")),
    "skipped": ({"skipped": True}, lambda a: a["skipped"]),
    "consensus_mark_gte": ({"consensus_mark_gte": 0.5}, lambda a: a["consensus_mark"] >= 0.5),
    "consensus_mark range": ({"consensus_mark_gte": 0.25, "consensus_mark_lte": 0.5}, lambda a: 0.25 <= a["consensus_mark"] <= 0.5),
    "honeypot_mark_gte": ({"honeypot_mark_gte": 0.5}, lambda a: a["honeypot_mark"] is not None and a["honeypot_mark"] >= 0.5),
    "inference_mark_lte": ({"inference_mark_lte": 0.2}, lambda a: a["inference_mark"] <= 0.2),
    "created_at_gte date": ({"created_at_gte": "2024-01-05"}, lambda a: day(a["created_at"]) >= "2024-01-05"),
    "created_at_lte date is inclusive": ({"created_at_lte": "2024-01-03"}, lambda a: day(a["created_at"]) <= "2024-01-03"),
    "created_at_gte ISO": ({"created_at_gte": "2024-01-10T08:00:00.000Z"}, lambda a: a["created_at"] >= "2024-01-10T08:00:00.000Z"),
    "metadata equality": ({"metadata_where": {"split": "train"}}, lambda a: meta(a).get("split") == "train"),
    "metadata any-of": ({"metadata_where": {"split": ["train", "val"]}}, lambda a: meta(a).get("split") in ("train", "val")),
    "metadata numeric range": ({"metadata_where": {"score": [3, 6]}}, lambda a: 3 <= meta(a).get("score", -1) <= 6),
    "metadata two keys": ({"metadata_where": {"split": "test", "tag": "even"}}, lambda a: meta(a).get("split") == "test" and meta(a).get("tag") == "even"),
    "assignee_in": ({"assignee_in": ["bob@example.com"]}, lambda a: "u-bob" in a["assigned_to"]),
    "assignee_not_in": ({"assignee_not_in": ["bob@example.com"]}, lambda a: "u-bob" not in a["assigned_to"]),
    "label_type_in": ({"label_type_in": ["REVIEW"]}, lambda a: any(l["label_type"] == "REVIEW" for l in labels_of(a))),
    "label_author_in first name": ({"label_author_in": ["Carol"]}, lambda a: any(author(l)["firstname"] == "Carol" for l in labels_of(a))),
    "label_author_in full name": ({"label_author_in": ["Bob Jones"]}, lambda a: any(l["author_id"] == "u-bob" for l in labels_of(a))),
    "label_created_at (that day)": ({"label_created_at": "2024-02-05"}, lambda a: any(day(l["created_at"]) == "2024-02-05" for l in labels_of(a))),
    "label_created_at range": (
        {"label_created_at_gte": "2024-02-03", "label_created_at_lte": "2024-02-06"},
        lambda a: any("2024-02-03" <= day(l["created_at"]) <= "2024-02-06" for l in labels_of(a)),
    ),
    "label_consensus_mark_gte": ({"label_consensus_mark_gte": 0.8}, lambda a: any((l.get("consensus_mark") or 0) >= 0.8 for l in labels_of(a))),
    "same label: type + consensus": (
        {"label_type_in": ["DEFAULT"], "label_consensus_mark_gte": 0.8},
        lambda a: any(l["label_type"] == "DEFAULT" and (l.get("consensus_mark") or 0) >= 0.8 for l in labels_of(a)),
    ),
    "same label: REVIEW by Bob matches nothing": (
        {"label_type_in": ["REVIEW"], "label_author_in": ["Bob"]},
        lambda a: any(l["label_type"] == "REVIEW" and l["author_id"] == "u-bob" for l in labels_of(a)),
    ),
    "category search count": (
        {"label_category_search": "JOB.CAR.count >= 2"},
        lambda a: any(count(l["json_response"], "JOB", "CAR") >= 2 for l in labels_of(a)),
    ),
    "category search AND/OR": (
        {"label_category_search": "(JOB.CAR.count == 1 AND JOB.PERSON.count == 1) OR JOB.CAR.count > 1"},
        lambda a: any(
            (count(l["json_response"], "JOB", "CAR") == 1 and count(l["json_response"], "JOB", "PERSON") == 1)
            or count(l["json_response"], "JOB", "CAR") > 1
            for l in labels_of(a)
        ),
    ),
    "label_labeler_in": ({"label_labeler_in": ["bob@example.com"]}, lambda a: any(l["author_id"] == "u-bob" and l["label_type"] != "REVIEW" for l in labels_of(a))),
    "label_reviewer_in": ({"label_reviewer_in": ["carol@example.com"]}, lambda a: any(l["author_id"] == "u-carol" and l["label_type"] == "REVIEW" for l in labels_of(a))),
    "label_reviewer_not_in": ({"label_reviewer_not_in": ["carol@example.com"]}, lambda a: not any(l["author_id"] == "u-carol" and l["label_type"] == "REVIEW" for l in labels_of(a))),
    "issue_type": ({"issue_type": "QUESTION"}, lambda a: any(i["asset_id"] == a["id"] and i["type"] == "QUESTION" for i in ISSUES)),
    "issue_type + issue_status on one issue": (
        {"issue_type": "ISSUE", "issue_status": "OPEN"},
        lambda a: any(i["asset_id"] == a["id"] and i["type"] == "ISSUE" and i["status"] == "OPEN" for i in ISSUES),
    ),
    "status + metadata combined": (
        {"status_in": ["LABELED", "REVIEWED"], "metadata_where": {"tag": "odd"}},
        lambda a: a["status"] in ("LABELED", "REVIEWED") and meta(a)["tag"] == "odd",
    ),
}

STEP_CASES = {
    "V2 step_name_in": ("proj-v2", {"step_name_in": ["Review"]}, lambda a: STEPS[step_of(a)["step_id"]]["name"] == "Review"),
    "V2 step_status_in": ("proj-v2", {"step_status_in": ["DONE"]}, lambda a: step_of(a)["status"] == "DONE"),
    "V2 step_name_and_status_in": (
        "proj-v2",
        {"step_name_and_status_in": [("Labeling", "DONE")]},
        lambda a: step_of(a) == {"step_id": "st-label", "status": "DONE"},
    ),
    "V2 step_status_not_in": ("proj-v2", {"step_status_not_in": ["TO_DO"]}, lambda a: step_of(a)["status"] != "TO_DO"),
    "V3 group_name_in": ("proj-v3", {"group_name_in": ["QA"]}, lambda a: STEPS[step_of(a)["step_id"]]["step_group_name"] == "QA"),
    "V3 step_status_in IN_PROGRESS": ("proj-v3", {"step_status_in": ["IN_PROGRESS"]}, lambda a: step_of(a)["status"] == "IN_PROGRESS"),
}


def expected(project, pred):
    rows = [a for a in FX["assets"] if a["project_id"] == project and pred(a)]
    rows.sort(key=lambda a: (a["created_at"], a["id"]))
    return [a["id"] for a in rows]


@pytest.mark.parametrize("name", list(CASES))
def test_filter(kili, name):
    kwargs, pred = CASES[name]
    want = expected("proj-img", pred)
    got = [a["id"] for a in kili.assets(project_id="proj-img", fields=["id"], **kwargs)]
    assert got == want, name
    assert kili.count_assets(project_id="proj-img", **kwargs) == len(want), name


@pytest.mark.parametrize("name", list(STEP_CASES))
def test_step_filter(kili, name):
    project, kwargs, pred = STEP_CASES[name]
    want = expected(project, pred)
    got = [a["id"] for a in kili.assets(project_id=project, fields=["id"], **kwargs)]
    assert got == want, name
    assert kili.count_assets(project_id=project, **kwargs) == len(want), name


def test_cases_are_not_trivial():
    # Every case keeps some assets and drops others, so a missing filter would be caught.
    for name, (kwargs, pred) in CASES.items():
        if not kwargs or "matches nothing" in name:
            continue
        n = len(expected("proj-img", pred))
        assert 0 < n < 12, f"{name}: expected {n} assets, the case does not discriminate"
