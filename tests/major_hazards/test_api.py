"""The installations API (/api/v1/major-hazard-installations/): list and detail within scope, registering
with the inventory, each act as a POST with the same refusals as the pages (404, 403, 409, 400)."""

import pytest

from shouye.audit.models import AuditEvent
from shouye.major_hazards.models import MajorHazardInstallation
from tests.conftest import api_as

from .conftest import appoint_all, snapshot

pytestmark = pytest.mark.django_db
BASE = "/api/v1/major-hazard-installations/"


def test_register_with_inventory_and_grade(owner, cast):
    response = api_as(owner).post(BASE, {
        "enterprise": cast["inside"].pk, "name": "二氧化硫库", "kind": "warehouse", "exposed_population": 60,
        "substances": [{"name": "二氧化硫", "quantity_t": "200"}]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    # REGULATIONS.md §1.6 example 1: R = 1.5 × 2 × 200/20 = 30 → 三级
    assert body["is_major"] is True and body["grade"] == 3 and body["r_value"] == "30.0000"
    assert body["inputs"]["substances"] == [{"name": "二氧化硫", "quantity_t": "200"}]
    assert body["substances"][0]["critical_quantity_t"] == "20.000"


def test_register_refuses_an_enterprise_out_of_scope_and_bad_input(owner, cast):
    before = snapshot()
    client = api_as(owner)
    response = client.post(BASE, {"enterprise": cast["outside"].pk, "name": "x", "kind": "warehouse"}, format="json")
    assert response.status_code == 400 and "enterprise" in response.json()
    response = client.post(BASE, {"enterprise": cast["inside"].pk, "name": "x", "kind": "warehouse",
                                  "substances": [{"name": "无此物", "quantity_t": "1"}]}, format="json")
    assert response.status_code == 400 and "substances" in response.json()
    assert snapshot() == before


def test_scope_of_list_and_detail(cast, installation):
    assert [row["id"] for row in api_as(cast["users"]["township_officer"]).get(BASE).json()["results"]] == [
        installation.pk]
    assert api_as(cast["users"]["department_officer"]).get(BASE).json()["results"] == []
    assert api_as(cast["users"]["department_officer"]).get(f"{BASE}{installation.pk}/").status_code == 404


def test_acts_through_the_api(owner, cast, installation):
    client = api_as(owner)
    response = client.post(f"{BASE}{installation.pk}/add-substance/", {"name": "二氧化硫", "quantity_t": "200"},
                           format="json")
    assert response.status_code == 200 and response.json()["grade"] == 3
    line = MajorHazardInstallation.objects.get(pk=installation.pk).substances.get(name="二氧化硫")
    response = client.post(f"{BASE}{installation.pk}/remove-substance/", {"substance": line.pk}, format="json")
    assert response.status_code == 200 and response.json()["grade"] == 4
    response = client.post(f"{BASE}{installation.pk}/appoint/", {
        "role": "technical", "name": "张工", "post": "总工", "phone": "13900001111", "appointed_on": "2026-01-05"},
        format="json")
    assert response.status_code == 200
    rows = client.get(f"{BASE}{installation.pk}/duty-tasks/").json()
    assert [row["number"] for row in rows] == list(range(1, 10))
    assert {row["role"] for row in rows} == {"technical"} and rows[4]["before_key_periods"] is True
    response = client.post(f"{BASE}{installation.pk}/filing/", {"filing_number": "备2026-1", "filed_on": "2026-01-10"},
                           format="json")
    assert response.status_code == 200 and response.json()["state"] == "filed"
    assert client.post(f"{BASE}{installation.pk}/filing/", {"filing_number": "2", "filed_on": "2026-01-10"},
                       format="json").status_code == 409


def test_refusals_change_nothing(cast, owner, installation):
    appoint_all(owner, installation)
    before = snapshot()
    officer = api_as(cast["users"]["township_officer"])
    assert officer.post(f"{BASE}{installation.pk}/cancel/", {"reason": "x"}, format="json").status_code == 403
    assert api_as(cast["users"]["department_officer"]).post(
        f"{BASE}{installation.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    response = api_as(owner).post(f"{BASE}{installation.pk}/appoint/", {"role": "boss", "name": "x"}, format="json")
    assert response.status_code == 400
    assert snapshot() == before
    assert not AuditEvent.objects.filter(verb="major-hazard.cancel").exists()


def test_phones_masked_in_the_api(cast, owner, installation):
    appoint_all(owner, installation)
    persons = api_as(cast["users"]["township_officer"]).get(f"{BASE}{installation.pk}/").json()["persons"]
    assert {p["phone"] for p in persons} == {"138****5678"}
    persons = api_as(owner).get(f"{BASE}{installation.pk}/").json()["persons"]
    assert {p["phone"] for p in persons} == {"13812345678"}


ACTS = {
    "edit": {"name": "改名", "kind": "tank_farm"},
    "add-substance": {"name": "甲醇", "quantity_t": "10"},
    "remove-substance": None,
    "appoint": {"role": "principal", "name": "甲", "post": "总经理", "phone": "13800000000",
                "appointed_on": "2026-01-02"},
    "filing": {"filing_number": "备-1", "filed_on": "2026-01-03"},
    "cancel": {"reason": "拆除"},
}
ALLOWED = {"draft": set(ACTS), "filed": set(ACTS) - {"filing"}, "cancelled": set()}


@pytest.mark.parametrize("state", list(ALLOWED))
@pytest.mark.parametrize("act", list(ACTS))
def test_every_state_and_act(owner, cast, state, act):
    """The workflow table through the API: an act the state allows is done; any other is 409 and changes
    nothing."""
    from shouye.major_hazards import services
    from shouye.major_hazards.models import ResponsiblePerson

    from .conftest import make_installation

    installation = make_installation(owner, cast["inside"])
    ResponsiblePerson.objects.create(installation=installation, role="technical", name="乙", post="x",
                                     phone="13900000000", appointed_on="2026-01-01")
    if state == "filed":
        services.file_installation(actor=owner, installation=installation, filing_number="备-0",
                                   filed_on=installation.created_at.date())
    elif state == "cancelled":
        services.cancel_installation(actor=owner, installation=installation, reason="停用")
    body = ACTS[act]
    if act == "remove-substance":
        body = {"substance": installation.substances.get().pk}
    before = snapshot()
    response = api_as(owner).post(f"{BASE}{installation.pk}/{act}/", body, format="json")
    if act in ALLOWED[state]:
        assert response.status_code == 200, response.json()
    else:
        assert response.status_code == 409 and snapshot() == before


def test_appointing_links_a_user_account_of_the_enterprise_only(cast, owner, installation):
    """The API accepts the person's user account, checked in scope: another enterprise's account, or an id
    that is no account, is refused alike (400) and nothing changes."""
    from shouye.risks.models import InvestigationTask
    from tests.factories import UserFactory, member

    stranger = UserFactory(username="stranger")
    member(stranger, "enterprise_user", enterprise=cast["outside"])
    body = {"role": "operational", "name": "赵班长", "post": "罐区班长", "phone": "13900002222",
            "appointed_on": "2026-01-05"}
    client = api_as(owner)
    before = snapshot()
    for refused in (stranger.pk, 987654):
        response = client.post(f"{BASE}{installation.pk}/appoint/", {**body, "user": refused}, format="json")
        assert response.status_code == 400 and "user" in response.json()
    assert snapshot() == before
    response = client.post(f"{BASE}{installation.pk}/appoint/", {**body, "user": owner.pk}, format="json")
    assert response.status_code == 200
    tasks = InvestigationTask.objects.filter(duty__person__installation=installation)
    assert tasks.count() == 10 and set(tasks.values_list("assignee", flat=True)) == {owner.pk}


def test_an_appointment_before_2000_is_refused_by_name_and_opens_no_task(owner, installation):
    """A duty task starts at the appointment: a year typed as 1164 would open centuries of windows (found by the
    API fuzz test), so it is refused (400, naming the field) and nothing changes."""
    body = {"role": "operational", "name": "赵班长", "post": "罐区班长", "phone": "13900002222",
            "appointed_on": "1164-01-30"}
    before = snapshot()
    response = api_as(owner).post(f"{BASE}{installation.pk}/appoint/", body, format="json")
    assert response.status_code == 400 and "2000" in response.json()["appointed_on"][0]
    assert snapshot() == before
