"""Inspection plans (issue 3): each operating enterprise due as many inspections a year as its supervision
grade says, assigned to a squad or a township officer; coverage per township and per squad; who is behind
the pro-rata schedule."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouye.accounts.models import Organisation
from shouye.audit.models import AuditEvent
from shouye.enterprises.models import SupervisionGrade
from shouye.inspections import services
from shouye.inspections.models import InspectionPlan
from tests.conftest import api_as
from tests.inspections.helpers import finished

pytestmark = pytest.mark.django_db

URL = "/api/v1/inspection-plans/"
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: 2 July 2026 is day 183 of 365: a plan of 2 a year expects ⌊2 × 183 / 365⌋ = 1 by then, one of 12 expects 6.
MID_YEAR = datetime(2026, 7, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def plans(cast):
    """The three enterprises of the cast: 马山 ``inside`` (grade B, 2 a year), 孝里 ``building`` (B) and
    ``outside`` (graded D, 12 a year)."""
    cast["outside"].supervision_grade = SupervisionGrade.objects.get(code="D")
    cast["outside"].save()
    services.generate_plans(actor=cast["users"]["bureau_staff"], year=2026)
    return {key: InspectionPlan.objects.get(year=2026, enterprise=cast[key])
            for key in ("inside", "building", "outside")}


def test_plans_follow_the_supervision_grade_and_generating_again_adds_nothing(cast, plans):
    assert {key: plan.inspections_due for key, plan in plans.items()} == {"inside": 2, "building": 2, "outside": 12}
    assert plans["inside"].township_id == cast["inside"].township_id
    assert services.generate_plans(actor=cast["users"]["bureau_staff"], year=2026) == 0
    assert AuditEvent.objects.filter(verb="inspection_plan.generate").count() == 2


def test_a_township_officer_plans_its_own_township_only(cast):
    response = api_as(cast["users"]["township_officer"]).post(f"{URL}generate/", {"year": 2027}, format="json")
    assert response.status_code == 201 and response.json() == {"year": 2027, "created": 1}
    assert list(InspectionPlan.objects.values_list("enterprise", flat=True)) == [cast["inside"].pk]
    assert api_as(cast["users"]["leader"]).post(f"{URL}generate/", {"year": 2027}, format="json").status_code == 403


def test_coverage_by_township_and_squad_and_who_is_overdue(cast, plans):
    staff = cast["users"]["bureau_staff"]
    squad = Organisation.objects.get(name="执法一中队")
    services.update_plan(actor=staff, plan=plans["building"], inspections_due=2, squad=squad)
    services.update_plan(actor=staff, plan=plans["inside"], inspections_due=2,
                         officer=cast["users"]["township_officer"])
    with time_machine.travel(MID_YEAR, tick=False):
        earlier = finished(staff, cast["inside"], non_compliant=(1,))
        services.finish_inspection(actor=staff, inspection=_reinspection(staff, cast, earlier))
        client = api_as(cast["users"]["leader"])
        coverage = client.get(f"{URL}coverage/", {"year": 2026}).json()
        rows = {row["enterprise_name"]: row for row in client.get(URL, {"year": 2026}).json()["results"]}
        overdue = {row["enterprise_name"] for row in client.get(URL, {"year": 2026, "overdue": "true"})
                   .json()["results"]}
    townships = {row["label"]: row for row in coverage["by_township"]}
    assert (townships["马山镇"]["planned"], townships["马山镇"]["covered"], townships["马山镇"]["overdue"]) == (1, 1, 0)
    assert (townships["孝里街道"]["planned"], townships["孝里街道"]["covered"],
            townships["孝里街道"]["overdue"]) == (2, 0, 2)
    assert townships["马山镇"]["coverage_percent"] == 100 and townships["孝里街道"]["coverage_percent"] == 0
    squads = {row["key"]: row for row in coverage["by_squad"]}
    assert squads[str(squad.pk)]["label"] == "执法一中队" and squads[str(squad.pk)]["overdue"] == 1
    assert squads["officers"]["covered"] == 1 and squads["unassigned"]["planned"] == 1
    assert coverage["total"]["planned"] == 3 and coverage["total"]["covered"] == 1
    inside = rows[cast["inside"].name]
    assert (inside["done"], inside["expected"], inside["overdue"]) == (1, 1, False)
    assert (rows[cast["outside"].name]["expected"], rows[cast["outside"].name]["overdue"]) == (6, True)
    assert overdue == {cast["building"].name, cast["outside"].name}


def _reinspection(staff, cast, earlier):
    """A re-inspection of ``earlier``, marked compliant: it does not count towards the plan."""
    inspection = services.start_inspection(actor=staff, enterprise=cast["inside"], kind="reinspection",
                                           inspected_at=MID_YEAR, inspectors=[staff], reinspection_of=earlier)
    services.record_results(actor=staff, inspection=inspection, results=[
        {"item": item.pk, "result": "compliant"} for item in inspection.items.all()])
    return inspection


def test_assigning_a_plan(cast, plans):
    client = api_as(cast["users"]["bureau_staff"])
    squad = Organisation.objects.get(name="执法二中队")
    plan = plans["inside"]
    response = client.patch(f"{URL}{plan.pk}/", {"squad": squad.pk, "inspections_due": 3}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["squad_name"], response.json()["inspections_due"]) == ("执法二中队", 3)
    before = list(InspectionPlan.objects.values_list("id", "squad", "officer", "inspections_due"))
    both = client.patch(f"{URL}{plan.pk}/", {"officer": "township_officer"}, format="json")
    assert both.status_code == 400 and "officer" in both.json()
    not_a_squad = client.patch(f"{URL}{plan.pk}/", {"squad": Organisation.objects.get(kind="bureau").pk},
                               format="json")
    assert not_a_squad.status_code == 400
    wrong_township = client.patch(f"{URL}{plans['outside'].pk}/", {"officer": "township_officer"}, format="json")
    assert wrong_township.status_code == 400 and "officer" in wrong_township.json()
    assert list(InspectionPlan.objects.values_list("id", "squad", "officer", "inspections_due")) == before
    response = client.patch(f"{URL}{plan.pk}/", {"squad": None, "officer": "township_officer"}, format="json")
    assert response.status_code == 200 and response.json()["officer"] == "township_officer"
    assert AuditEvent.objects.filter(verb="inspection_plan.update").count() == 2


def test_plans_are_scoped(cast, plans):
    client = api_as(cast["users"]["township_officer"])
    names = {row["enterprise_name"] for row in client.get(URL, {"year": 2026}).json()["results"]}
    assert names == {cast["inside"].name}
    assert client.get(f"{URL}{plans['outside'].pk}/").status_code == 404
    assert client.patch(f"{URL}{plans['outside'].pk}/", {"inspections_due": 1}, format="json").status_code == 404
    assert api_as(cast["users"]["enterprise_user"]).get(URL).status_code == 403


def test_the_plan_page_shows_coverage_and_the_overdue(cast, plans, signed_in):
    with time_machine.travel(MID_YEAR, tick=False):
        page = signed_in("bureau_staff").get("/inspections/plans/", {"year": 2026}).content.decode()
        overdue_only = signed_in("bureau_staff").get("/inspections/plans/", {"year": 2026, "overdue": "true"})
    assert 'data-testid="coverage-township"' in page and 'data-testid="coverage-squad"' in page
    assert cast["outside"].name in page and "table-danger" in page
    assert cast["inside"].name in overdue_only.content.decode()
    mashan = signed_in("township_officer").get("/inspections/plans/", {"year": 2026}).content.decode()
    assert cast["inside"].name in mashan and cast["outside"].name not in mashan


def test_changing_a_plan_on_its_page(cast, plans, signed_in):
    client = signed_in("township_officer")
    url = f"/inspections/plans/{plans['inside'].pk}/"
    assert client.get(url).status_code == 200
    officer = cast["users"]["township_officer"]
    response = client.post(url, {"inspections_due": 4, "officer": officer.pk})
    assert response.status_code == 302
    plans["inside"].refresh_from_db()
    assert (plans["inside"].inspections_due, plans["inside"].officer_id) == (4, officer.pk)
    assert client.get(f"/inspections/plans/{plans['outside'].pk}/").status_code == 404
    assert signed_in("leader").get(url).status_code == 403
