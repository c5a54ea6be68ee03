"""The permits API: a permit pushed by an enterprise's own system is recorded as sent and what violates the
rules becomes problem flags; lists are scoped and filtered; the schema documents the push; reads stay within a
fixed number of queries."""

from datetime import date, timedelta

import pytest

from shouye.permits.choices import PermitSource
from shouye.permits.models import SpecialOperationPermit
from shouye.workcalendar.choices import PeriodRuleAction
from tests.conftest import api_as

from .conftest import NOW, PEOPLE, make_permit, operator
from .helpers import approve, gas_test, measures_body, ok, prepare, sign_until_approval, url
from .test_rules import period, post


def codes(data):
    return sorted(p["code"] for p in data["problems"])


def test_a_pushed_permit_is_recorded_as_sent_with_its_problems(client_of, cast):
    data = ok(post(client_of, cast, source=PermitSource.EXTERNAL, number="ERP-2026-0001", grade="2",
                   details={"method": "电焊", "on_pipe_rack": True}, planned_end=NOW + timedelta(hours=9),
                   people=[*PEOPLE, operator(certificate_issued_on=date(2019, 1, 1))]), 201)
    assert data["number"] == "ERP-2026-0001" and data["grade"] == "2" and data["source"] == "external"
    assert codes(data) == ["certificate_expired", "grade_too_low", "validity_exceeded"]
    assert data["problem_count"] == 3 and all(p["detail"] for p in data["problems"])


def test_a_pushed_permits_acts_add_problems_instead_of_refusals(client_of, cast):
    data = ok(post(client_of, cast, source=PermitSource.EXTERNAL), 201)
    permit = SpecialOperationPermit.objects.get(pk=data["id"])
    ok(client_of.post(url(permit, "identify"), {"risk_identification": "风险"}, format="json"))
    ok(client_of.post(url(permit, "confirm-measures"), measures_body(permit), format="json"))
    ok(client_of.post(url(permit, "brief"), {"briefed_by": "乙", "briefed_to": ["甲"]}, format="json"))
    sign_until_approval(client_of, permit)
    ok(approve(client_of, permit, level=""), 201)
    assert codes(ok(client_of.get(url(permit)))) == ["approver_below_level", "gas_test_missing"]


def test_a_pushed_permit_in_a_prohibiting_period_is_flagged(client_of, cast):
    period(cast, PeriodRuleAction.PROHIBIT)
    assert codes(ok(post(client_of, cast, source=PermitSource.EXTERNAL), 201)) == ["prohibited"]


def test_a_pushed_number_is_unique_per_enterprise(client_of, cast):
    ok(post(client_of, cast, source=PermitSource.EXTERNAL, number="X1"), 201)
    assert post(client_of, cast, source=PermitSource.EXTERNAL, number="X1").status_code == 400


def test_the_list_is_scoped_and_filtered(owner, cast):
    inside = make_permit(owner, cast["inside"])
    make_permit(owner, cast["inside"], kind="work_at_height", details={"height_m": "3"})
    users = cast["users"]
    assert [p["id"] for p in ok(api_as(users["township_officer"]).get("/api/v1/permits/?kind=hot_work"))["results"]] \
        == [inside.pk]
    assert ok(api_as(users["department_officer"]).get("/api/v1/permits/"))["count"] == 0
    assert api_as(users["department_officer"]).get(url(inside)).status_code == 404
    assert ok(api_as(users["bureau_staff"]).get("/api/v1/permits/?with_problems=false"))["count"] == 2
    assert api_as(users["bureau_staff"]).get("/api/v1/permits/?kind=nuclear").status_code == 400
    assert api_as(users["nobody"]).get("/api/v1/permits/").status_code == 403


def test_only_the_enterprise_acts_on_its_permits(owner, cast):
    permit = make_permit(owner, cast["inside"])
    response = api_as(cast["users"]["bureau_staff"]).post(url(permit, "identify"), {"risk_identification": "x"},
                                                        format="json")
    assert response.status_code == 403
    assert api_as(cast["users"]["bureau_staff"]).post("/api/v1/permits/", {}, format="json").status_code in (400, 403)


def test_malformed_ids_are_404(client_of):
    assert client_of.get("/api/v1/permits/abc/").status_code == 404
    assert client_of.post("/api/v1/permits/99999/start/", {}, format="json").status_code == 404


def test_reads_use_a_fixed_number_of_queries(owner, cast, client_of, django_assert_max_num_queries):
    permits = [make_permit(owner, cast["inside"]) for _ in range(5)]
    with django_assert_max_num_queries(12):
        ok(client_of.get("/api/v1/permits/"))
    with django_assert_max_num_queries(16):
        ok(client_of.get(url(permits[0])))


@pytest.mark.filterwarnings("ignore")
def test_the_schema_documents_the_push(client_of):
    schema = client_of.get("/api/schema/?format=json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/permits/{id}/signatures/" in text and "problems" in text and "external" in text


def test_a_pushed_permits_acts_carry_their_own_times(client_of, cast, clock):
    data = ok(post(client_of, cast, source=PermitSource.EXTERNAL), 201)
    permit = SpecialOperationPermit.objects.get(pk=data["id"])
    ok(client_of.post(url(permit, "identify"), {"risk_identification": "风险"}, format="json"))
    ok(gas_test(client_of, permit, minutes_before_now=0), 201)
    ok(client_of.post(url(permit, "confirm-measures"), measures_body(permit), format="json"))
    ok(client_of.post(url(permit, "brief"), {"briefed_by": "乙", "briefed_to": ["甲"]}, format="json"))
    clock.shift(timedelta(hours=5))
    sign_until_approval(client_of, permit)
    approved_at = (NOW + timedelta(minutes=10)).isoformat()
    ok(approve(client_of, permit, signed_at=approved_at), 201)
    ok(client_of.post(url(permit, "signatures"), {"name": "班长", "signed_at": approved_at}, format="json"), 201)
    late = ok(client_of.post(url(permit, "start"), {"started_at": (NOW + timedelta(hours=3)).isoformat()},
                             format="json"))
    assert late["state"] == "in_progress" and codes(late) == ["gas_test_stale", "validity_exceeded"]
    assert late["approved_at"].startswith("2026-12-08T09:10")


def test_a_shouye_permit_takes_the_servers_time(client_of, permit):
    prepare(client_of, permit)
    response = client_of.post(url(permit, "signatures"), {"name": "甲", "signed_at": NOW.isoformat()}, format="json")
    assert response.status_code == 400 and "signed_at" in response.json()
