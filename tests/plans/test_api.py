"""The plans API: a plan's life through its acts (the same services as the pages), a drill with a problem that
becomes a hazard, the refusals (400 naming the field, 403 role, 404 scope, 409 state) changing nothing, the
units with their clocks and the statistics."""

from datetime import date

import pytest

from shouye.hazards.models import Hazard
from shouye.plans.models import Drill, EmergencyPlan, PlanUnit
from tests.conftest import api_as

from .conftest import document

pytestmark = pytest.mark.django_db


def test_a_plan_from_draft_to_revision(cast, owner):
    api = api_as(owner)
    created = api.post("/api/v1/emergency-plans/", {"enterprise": cast["inside"].pk, "kind": "on_site",
                                                     "title": "罐区泄漏现场处置方案"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["state"] == "draft" and created.json()["state_display"] == "草稿"
    published = api.post(f"/api/v1/emergency-plans/{pk}/publish/", {"published_on": "2026-03-02"}, format="json")
    assert published.status_code == 200
    assert published.json()["filing_due_on"] == "2026-03-30" and published.json()["drill_due_on"] == "2026-09-02"
    again = api.post(f"/api/v1/emergency-plans/{pk}/publish/", {"published_on": "2026-03-02"}, format="json")
    assert again.status_code == 409
    unfiled = api.post(f"/api/v1/emergency-plans/{pk}/file/", {"filed_on": "2026-03-20", "filing_number": "备-01"},
                       format="json")
    assert unfiled.status_code == 400 and "预案文本" in unfiled.json()["non_field_errors"][0]
    attached = api.post(f"/api/v1/emergency-plans/{pk}/attach/", {"kind": "plan_text", "files": [document()]},
                        format="multipart")
    assert attached.status_code == 200, attached.json()
    filed = api.post(f"/api/v1/emergency-plans/{pk}/file/", {"filed_on": "2026-03-20", "filing_number": "备-01"},
                     format="json")
    assert filed.json()["state"] == "filed"
    bad = api.post(f"/api/v1/emergency-plans/{pk}/revise/", {"trigger": "whim", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "trigger" in bad.json()
    revised = api.post(f"/api/v1/emergency-plans/{pk}/revise/", {"trigger": "law_changed", "reason": "新标准"},
                       format="json")
    assert revised.status_code == 200 and revised.json()["version"] == 2 and revised.json()["previous"] == pk
    assert EmergencyPlan.objects.get(pk=pk).state == "under_revision"
    unit = api.get(f"/api/v1/plan-units/{created.json()['unit']}/").json()
    assert unit["category"] == "high_risk" and unit["any_drill_due_on"] == "2026-09-02"


def test_refusals_change_nothing(cast, owner, plan):
    before = EmergencyPlan.objects.filter(pk=plan.pk).values().get()
    url = f"/api/v1/emergency-plans/{plan.pk}/evaluate/"
    body = {"evaluated_on": "2026-09-01", "conclusion": "适用"}
    assert api_as(cast["users"]["bureau_staff"]).post(url, body, format="json").status_code == 403
    outsider = api_as(cast["users"]["department_officer"])
    assert outsider.post(url, body, format="json").status_code == 404
    assert outsider.get(f"/api/v1/emergency-plans/{plan.pk}/").status_code == 404
    future = api_as(owner).post(url, {**body, "evaluated_on": "2026-09-16"}, format="json")
    assert future.status_code == 400 and "evaluated_on" in future.json()
    assert EmergencyPlan.objects.filter(pk=plan.pk).values().get() == before
    stranger = api_as(cast["users"]["township_officer"]).post(
        "/api/v1/emergency-plans/", {"enterprise": cast["outside"].pk, "kind": "special", "title": "x"}, format="json")
    assert stranger.status_code == 400 and "enterprise" in stranger.json()


def test_a_drill_held_finds_a_hazard(cast, owner, plan, onsite):
    api = api_as(owner)
    created = api.post("/api/v1/drills/", {"unit": plan.unit_id, "title": "综合演练", "kind": "full_scale",
                                           "planned_on": "2026-09-10", "plans": [plan.pk, onsite.pk]}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    held = api.post(f"/api/v1/drills/{pk}/hold/", {"held_on": "2026-09-10", "participants": 0, "evaluation": "好"},
                    format="json")
    assert held.status_code == 400 and "participants" in held.json()
    held = api.post(f"/api/v1/drills/{pk}/hold/", {"held_on": "2026-09-10", "participants": 45, "evaluation": "好"},
                    format="json")
    assert held.json()["state"] == "held"
    problem = api.post(f"/api/v1/drills/{pk}/problem/", {"description": "喷淋泵未启动", "outcome": "hazard"},
                       format="json")
    assert problem.status_code == 200
    hazard = Hazard.objects.get(pk=problem.json()["problems"][0]["hazard"])
    assert hazard.enterprise_id == cast["inside"].pk
    assert PlanUnit.objects.get(pk=plan.unit_id).any_drill_due_on == date(2027, 3, 10)
    other = api.post(f"/api/v1/drills/{pk}/problem/", {"description": "x", "outcome": "revision", "plan": 10**6},
                     format="json")
    assert other.status_code == 400 and "plan" in other.json()
    assert Drill.objects.get(pk=pk).problems.count() == 1


def test_the_bureau_sets_a_category_and_reads_the_statistics(cast, plan):
    staff = api_as(cast["users"]["bureau_staff"])
    answer = staff.post(f"/api/v1/plan-units/{plan.unit_id}/set-category/", {"category": "other"}, format="json")
    assert answer.status_code == 200 and answer.json()["category"] == "other"
    assert answer.json()["any_drill_due_on"] == "2027-03-02"
    owner = api_as(cast["users"]["enterprise_user"])
    assert owner.post(f"/api/v1/plan-units/{plan.unit_id}/set-category/", {"category": ""},
                      format="json").status_code == 403
    rows = staff.get("/api/v1/emergency-plans/statistics/").json()
    mashan = next(r for r in rows if r["kind"] == "enterprise" and r["township"] == "马山镇")
    assert mashan["live"] == 1 and mashan["units"] == 1 and mashan["overdue"] == 1  # the filing is overdue
    assert owner.get("/api/v1/emergency-plans/statistics/").status_code == 403
