"""The rules applied while a permit is filled in, each at its boundaries, through the API (and the page's form
for the hot-work grade): a Shouye permit is refused with a Chinese message on the field, nothing written."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from shouye.notifications.models import Notification
from shouye.permits.choices import PermitKind, PermitState
from shouye.permits.models import SpecialOperationPermit
from shouye.workcalendar.choices import PeriodRuleAction, SpecialPeriodKind
from shouye.workcalendar.models import SpecialPeriod, SpecialPeriodRule

from .conftest import NOW, PEOPLE, SHANGHAI, body, make_permit, operator
from .helpers import approve, gas_test, measures_body, ok, prepare, sign, sign_until_approval, url


def post(client, cast, **fields):
    data = body(**fields)
    data = {**data, "enterprise": cast["inside"].pk, "planned_start": data["planned_start"].isoformat(),
            "planned_end": data["planned_end"].isoformat(),
            "people": [{**p, **({"certificate_issued_on": p["certificate_issued_on"].isoformat()}
                                if p.get("certificate_issued_on") else {})} for p in data["people"]]}
    return client.post("/api/v1/permits/", data, format="json")


def refused(response, field):
    assert response.status_code == 400, response.content.decode()
    assert field in response.content.decode(), response.content.decode()
    assert not SpecialOperationPermit.objects.exists()


# --- the hot-work grade (5.1) ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("details", "grade"), [
    ({}, "2"),
    ({"on_pipe_rack": True}, "1"),
    ({"fire_explosion_area": True}, "1"),
    ({"fire_explosion_area": True, "on_operating_equipment": True}, "special"),
    ({"in_mhi_tank_farm_dike": True}, "special"),
    ({"fire_explosion_area": True, "on_operating_equipment": True, "shut_down_and_isolated": True}, "2"),
    ({"wind_force": 4}, "2"),
    ({"wind_force": 5}, "1"),
    ({"wind_force": 5, "outdoor": False}, "2"),
])
def test_hot_work_grade_from_the_place(client_of, cast, details, grade):
    data = ok(post(client_of, cast, details={"method": "电焊", **details}), 201)
    assert data["grade"] == grade and data["grade_basis"].startswith("GB 30871-2022")


@pytest.mark.parametrize(("hour", "minute", "grade"), [(19, 59, "2"), (20, 0, "1"), (5, 59, "1"), (6, 0, "2")])
def test_night_raises_hot_work_one_grade(client_of, cast, clock, hour, minute, grade):
    start = datetime(2026, 12, 9, hour, minute, tzinfo=SHANGHAI)
    data = ok(post(client_of, cast, planned_start=start, planned_end=start + timedelta(hours=1)), 201)
    assert data["grade"] == grade and data["situation_grade"] == "2"


def test_a_rest_day_raises_hot_work_one_grade(client_of, cast):
    saturday = datetime(2026, 12, 12, 10, 0, tzinfo=SHANGHAI)
    data = ok(post(client_of, cast, planned_start=saturday, planned_end=saturday + timedelta(hours=1)), 201)
    assert data["grade"] == "1" and "节假日" in data["grade_raised_by"][0]


def test_a_grade_lower_than_the_rules_is_refused_a_higher_one_kept(client_of, cast):
    refused(post(client_of, cast, details={"method": "电焊", "on_pipe_rack": True}, grade="2"), "grade")
    data = ok(post(client_of, cast, details={"method": "电焊", "on_pipe_rack": True}, grade="special"), 201)
    assert data["grade"] == "special" and data["video_required"] is True


def test_the_pages_form_refuses_a_lower_grade_on_its_field(owner, cast, client):
    client.force_login(owner)
    start = timezone.localtime(NOW + timedelta(minutes=5))
    response = client.post("/permits/new/?kind=hot_work", {
        "enterprise": cast["inside"].pk, "applicant_unit": "一车间", "work_unit": "检修班", "content": "动火",
        "location": "管廊", "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
        "planned_end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "grade": "2",
        "details-method": "电焊", "details-on_pipe_rack": "on", "watchperson": "监护人",
        "person-0-role": "operator", "person-0-name": "动火人", "person-0-certificate_number": "T1",
        "person-0-certificate_issued_on": "2025-01-01"})
    assert response.status_code == 400
    assert "5.1.3" in response.content.decode()
    assert not SpecialOperationPermit.objects.exists()


# --- validity (5.1.5, 6.10, 8.2.11) -------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "details", "hours"), [
    (PermitKind.HOT_WORK, {"method": "电焊", "on_pipe_rack": True}, 8),
    (PermitKind.HOT_WORK, {"method": "电焊"}, 72),
    (PermitKind.CONFINED_SPACE, {"space_name": "T-101", "original_medium": "甲苯"}, 24),
    (PermitKind.WORK_AT_HEIGHT, {"height_m": "4"}, 7 * 24),
])
def test_validity_at_its_boundary(client_of, cast, kind, details, hours):
    start = NOW + timedelta(minutes=5)
    data = ok(post(client_of, cast, kind=kind, details=details, planned_start=start,
                   planned_end=start + timedelta(hours=hours)), 201)
    assert data["max_validity_hours"] == hours
    SpecialOperationPermit.objects.all().delete()
    refused(post(client_of, cast, kind=kind, details=details, planned_start=start,
                 planned_end=start + timedelta(hours=hours, minutes=1)), "planned_end")


# --- height and lifting grades (8.1, 9.1) -------------------------------------------------------------------------


@pytest.mark.parametrize(("height", "hazards", "grade"), [("2", [], "I"), ("5", [], "I"), ("5.01", [], "II"),
                                                          ("15", ["gust"], "III"), ("30.5", [], "IV")])
def test_height_grade(client_of, cast, height, hazards, grade):
    data = ok(post(client_of, cast, kind=PermitKind.WORK_AT_HEIGHT,
                   details={"height_m": height, "objective_hazards": hazards}), 201)
    assert data["grade"] == grade


def test_below_two_metres_is_not_work_at_height(client_of, cast):
    refused(post(client_of, cast, kind=PermitKind.WORK_AT_HEIGHT, details={"height_m": "1.99"}), "details.height_m")


@pytest.mark.parametrize(("mass", "grade", "level"), [("9.9", "3", "professional_dept"), ("39.9", "3", "professional_dept"),
                                                      ("40", "2", "professional_dept"), ("100", "2", "professional_dept"),
                                                      ("100.1", "1", "plant_head")])
def test_lifting_grade_and_its_approver(client_of, cast, mass, grade, level):
    data = ok(post(client_of, cast, kind=PermitKind.LIFTING, details={"rigging": "吊带", "load": "塔", "mass_t": mass}),
              201)
    assert data["grade"] == grade and data["required_approver_level"] == level
    if mass == "9.9":
        assert "小于10 t可不办理" in data["grade_basis"]


def test_unknown_and_missing_form_fields_are_refused(client_of, cast):
    refused(post(client_of, cast, details={"colour": "red"}), "details.colour")
    refused(post(client_of, cast, details={}), "details.method")
    refused(post(client_of, cast, kind=PermitKind.WORK_AT_HEIGHT, details={"height_m": "3",
                                                                          "objective_hazards": ["rain"]}),
            "details.objective_hazards")


# --- certificates (4.9, 30号令) ------------------------------------------------------------------------------------


def test_the_operators_certificate_is_required_valid_and_not_due_for_review(client_of, cast):
    refused(post(client_of, cast, people=[*PEOPLE, operator(certificate_number="")]), "certificate")
    # Reviewed every 3 years from issue: due on the day three years on, refused the day after.
    due_today = date(2023, 12, 8)
    ok(post(client_of, cast, people=[*PEOPLE, operator(certificate_issued_on=due_today)]), 201)
    SpecialOperationPermit.objects.all().delete()
    refused(post(client_of, cast, people=[*PEOPLE, operator(certificate_issued_on=date(2023, 12, 7))]),
            "certificate")


# --- approval (Table B.1, gas test 5.3.1 c), video 5.2.11) --------------------------------------------------------


def test_the_approver_level_must_reach_table_b1(client_of, cast, owner):
    permit = make_permit(owner, cast["inside"], details={"method": "电焊", "on_pipe_rack": True})
    assert permit.required_approver_level == "safety_dept"
    prepare(client_of, permit)
    sign_until_approval(client_of, permit)
    response = approve(client_of, permit, level="base_unit")
    assert response.status_code == 400 and "level" in response.json()
    assert permit.signatures.count() == 3
    assert ok(approve(client_of, permit, level="safety_dept"), 201)["level"] == "safety_dept"


@pytest.mark.parametrize(("minutes", "approved"), [(30, True), (31, False)])
def test_the_gas_sample_must_be_at_most_30_minutes_old_at_approval(client_of, cast, owner, clock, minutes, approved):
    permit = make_permit(owner, cast["inside"], planned_start=NOW + timedelta(hours=1),
                         planned_end=NOW + timedelta(hours=2))
    ok(client_of.post(url(permit, "identify"), {"risk_identification": "风险"}, format="json"))
    clock.shift(timedelta(minutes=55))
    ok(gas_test(client_of, permit, minutes_before_now=0), 201)
    ok(client_of.post(url(permit, "confirm-measures"), measures_body(permit), format="json"))
    ok(client_of.post(url(permit, "brief"), {"briefed_by": "乙", "briefed_to": ["甲"]}, format="json"))
    sign_until_approval(client_of, permit)
    clock.shift(timedelta(minutes=minutes))
    response = approve(client_of, permit)
    assert response.status_code == (201 if approved else 400), response.content.decode()
    if not approved:
        assert "gas_test" in response.json()


def test_a_failing_gas_test_does_not_allow_approval(client_of, cast, owner):
    permit = make_permit(owner, cast["inside"])
    ok(client_of.post(url(permit, "identify"), {"risk_identification": "风险"}, format="json"))
    data = ok(gas_test(client_of, permit, result="0.51"), 201)
    assert data["passed"] is False and "0.5%" in data["failures"][0]
    ok(gas_test(client_of, permit, result="0.5", lel_percent="4"), 201)
    assert [t.passed for t in permit.gas_tests.order_by("id")] == [False, True]


def test_special_hot_work_needs_the_video_measure_and_link(client_of, cast, owner):
    permit = make_permit(owner, cast["inside"], details={"method": "电焊", "in_mhi_tank_farm_dike": True},
                         planned_end=NOW + timedelta(hours=7))
    ok(client_of.post(url(permit, "identify"), {"risk_identification": "风险"}, format="json"))
    ok(gas_test(client_of, permit), 201)
    measures = measures_body(permit)
    measures["measures"][13]["involved"] = False
    ok(client_of.post(url(permit, "confirm-measures"), measures, format="json"))
    ok(client_of.post(url(permit, "brief"), {"briefed_by": "乙", "briefed_to": ["甲"]}, format="json"))
    sign_until_approval(client_of, permit)
    response = approve(client_of, permit)
    assert response.status_code == 400 and "measures" in response.json()


def test_accepting_special_hot_work_needs_the_video_link(client_of, cast, owner):
    permit = make_permit(owner, cast["inside"], details={"method": "电焊", "in_mhi_tank_farm_dike": True})
    prepare(client_of, permit)
    sign_until_approval(client_of, permit)
    ok(approve(client_of, permit), 201)
    ok(sign(client_of, permit), 201)
    ok(client_of.post(url(permit, "start"), {}, format="json"))
    response = sign(client_of, permit)
    assert response.status_code == 400 and "video_url" in response.json()
    ok(sign(client_of, permit, video_url="https://video.example.cn/rec/1"), 201)
    permit.refresh_from_db()
    assert permit.state == PermitState.COMPLETED and permit.video_url.endswith("/rec/1")


# --- special periods (decision 0011) ------------------------------------------------------------------------------


def period(cast, action, *, hours=None, kind=PermitKind.HOT_WORK, township=None):
    declared = SpecialPeriod.objects.create(name="两会", kind=SpecialPeriodKind.MEETING, starts_on=date(2026, 12, 7),
                                            ends_on=date(2026, 12, 10), created_by=cast["users"]["bureau_admin"])
    if township is not None:
        declared.townships.add(township)
    SpecialPeriodRule.objects.create(period=declared, permit_kind=kind, action=action, filing_hours_before=hours)
    return declared


def test_a_prohibiting_period_refuses_the_permit_in_its_township_only(client_of, cast, xiaoli):
    period(cast, PeriodRuleAction.PROHIBIT, township=xiaoli)
    ok(post(client_of, cast), 201)
    SpecialOperationPermit.objects.all().delete()
    period(cast, PeriodRuleAction.PROHIBIT)
    refused(post(client_of, cast), "planned_start")


def test_a_raising_period_raises_one_more_step_after_the_standard(client_of, cast):
    period(cast, PeriodRuleAction.RAISE_GRADE)
    data = ok(post(client_of, cast, details={"method": "电焊", "on_pipe_rack": True}), 201)
    assert data["situation_grade"] == "1" and data["grade"] == "special"
    assert "两会" in data["grade_raised_by"][-1] and data["required_approver_level"] == "plant_head"
    height = ok(post(client_of, cast, kind=PermitKind.WORK_AT_HEIGHT, details={"height_m": "3"}), 201)
    assert height["grade"] == "I"


def test_a_filing_period_sets_the_deadline_and_filing_reaches_the_bureau(client_of, cast, owner,
                                                                         django_capture_on_commit_callbacks):
    period(cast, PeriodRuleAction.REQUIRE_FILING, hours=24)
    permit = make_permit(owner, cast["inside"])
    assert permit.filing_due_by == permit.planned_start - timedelta(hours=24)
    prepare(client_of, permit)
    sign_until_approval(client_of, permit)
    response = approve(client_of, permit)
    assert response.status_code == 400 and "filing" in response.json()
    with django_capture_on_commit_callbacks(execute=True):
        data = ok(client_of.post(url(permit, "file"), {"note": "已电话报告"}, format="json"))
    assert data["filed_at"] and [p["code"] for p in data["problems"]] == ["filed_late"]
    assert Notification.objects.filter(recipient=cast["users"]["bureau_staff"], verb="permit.filed").exists()
    assert Notification.objects.filter(recipient=cast["users"]["township_officer"], verb="permit.filed").exists()
    assert not Notification.objects.filter(recipient=owner, verb="permit.filed").exists()
    ok(approve(client_of, permit), 201)


def test_filing_is_refused_without_a_filing_period(client_of, permit):
    assert client_of.post(url(permit, "file"), {}, format="json").status_code == 400


def test_temporary_power_in_a_hazard_area_needs_a_gas_test_before_approval(client_of, cast, owner):
    fields = {"power_point": "配电室3号柜 20 kW", "voltage": "380 V", "equipment": "电焊机 15 kW"}
    elsewhere = make_permit(owner, cast["inside"], kind=PermitKind.TEMPORARY_POWER, details=fields)
    hazardous = make_permit(owner, cast["inside"], kind=PermitKind.TEMPORARY_POWER,
                            details={**fields, "in_hazard_area": True})
    for permit in (elsewhere, hazardous):
        prepare(client_of, permit)
        sign_until_approval(client_of, permit)
    ok(approve(client_of, elsewhere, level="power_supply"), 201)
    response = approve(client_of, hazardous, level="power_supply")
    assert response.status_code == 400 and "gas_test" in response.json()
    ok(gas_test(client_of, hazardous), 201)
    ok(approve(client_of, hazardous, level="power_supply"), 201)


@pytest.mark.parametrize("height", ["1e999999999", "NaN", "abc", "4.0000001"])
def test_numbers_in_the_forms_fields_are_bounded(client_of, cast, height):
    refused(post(client_of, cast, kind=PermitKind.WORK_AT_HEIGHT, details={"height_m": height}), "details.height_m")
