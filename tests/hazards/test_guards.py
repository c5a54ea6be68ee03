"""Every service's guards (issue 3), each leaving the data exactly as it was (the rows, the audit trail,
the notifications): out of scope (404), wrong role (403), a major hazard without its complete governance
plan or listed supervision, closing one without a passed expert verification, the extension limit, and the
other input checks. Each is checked through the API, as a user meets it, and at the service."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouye.core.exceptions import NotInScope
from shouye.hazards import services
from shouye.hazards.choices import ExtensionState, HazardLevel, HazardSource, HazardState
from shouye.hazards.models import ExpertVerification, GovernancePlan, Hazard, ListedSupervision
from tests.conftest import api_as

from .conftest import COMPLETE_PLAN, complete_plan, listed, make_hazard, pending_extension, photo, snapshot

pytestmark = pytest.mark.django_db

S = HazardState
TODAY = timezone.localdate
ASSIGN = {"deadline": "2099-01-31", "responsible_person": "王五", "measures": "加装紧急切断阀"}


def post(user, hazard, path, data=None, fmt="json"):
    return api_as(user).post(f"/api/v1/hazards/{hazard.pk}/{path}", data or {}, format=fmt)


# --- out of scope: 404, as if the hazard did not exist ------------------------------------------------

#: (role, action, state, payload): each role acting, with a permission it has, on a hazard of an
#: enterprise outside its scope (``outside`` is in 孝里街道, industry and trade).
OUT_OF_SCOPE = [
    ("township_officer", "assign/", S.REPORTED, ASSIGN),
    ("township_officer", "close-on-spot/", S.REPORTED, None),
    ("township_officer", "verify/", S.SUBMITTED, {}),
    ("township_officer", "reject/", S.SUBMITTED, {"reason": "不合格"}),
    ("department_officer", "assign/", S.REPORTED, ASSIGN),
    ("enterprise_user", "submit/", S.RECTIFYING, None),
    ("enterprise_user", "request-extension/", S.RECTIFYING, {"requested_deadline": "2099-12-31", "reason": "x"}),
    ("expert", "expert-verify/", S.SUBMITTED, {"passed": True, "opinion": "合格"}),
]


@pytest.mark.parametrize(("role", "path", "state", "payload"), OUT_OF_SCOPE)
def test_acting_outside_the_scope_answers_404_and_changes_nothing(cast, role, path, state, payload):
    level = HazardLevel.MAJOR if path == "expert-verify/" else HazardLevel.ORDINARY
    hazard = make_hazard(cast["outside"], state=state, level=level)
    before = snapshot(hazard)
    fmt = "multipart" if payload is None else "json"
    data = {"note": "已整改", "photos": [photo()]} if payload is None else payload
    response = post(cast["users"][role], hazard, path, data, fmt)
    assert response.status_code == 404
    assert "储罐区" not in response.content.decode()
    assert snapshot(hazard) == before


def test_reading_outside_the_scope_answers_404(cast):
    hazard = make_hazard(cast["outside"])
    assert api_as(cast["users"]["township_officer"]).get(f"/api/v1/hazards/{hazard.pk}/").status_code == 404
    assert api_as(cast["users"]["bureau_staff"]).get(f"/api/v1/hazards/{hazard.pk}/").status_code == 200


def test_services_refuse_outside_the_scope(cast):
    hazard = make_hazard(cast["outside"])
    before = snapshot(hazard)
    with pytest.raises(NotInScope):
        services.assign_rectification(actor=cast["users"]["township_officer"], hazard=hazard,
                                      deadline=TODAY() + timedelta(days=5), responsible_person="王五", measures="x")
    with pytest.raises(NotInScope):
        services.report_hazard(actor=cast["users"]["township_officer"], enterprise=cast["outside"],
                               description="x", source=HazardSource.INSPECTION)
    assert snapshot(hazard) == before


def test_reporting_for_an_enterprise_outside_the_scope_is_refused_as_unknown(cast):
    before = snapshot()
    response = api_as(cast["users"]["township_officer"]).post("/api/v1/hazards/", {
        "enterprise": cast["outside"].pk, "description": "消防通道堵塞", "source": "inspection"}, format="json")
    assert response.status_code == 400
    assert "enterprise" in response.json()
    assert snapshot() == before


# --- wrong role: 403 ------------------------------------------------------------------------------------

WRONG_ROLE = [
    ("enterprise_user", "assign/", S.REPORTED, HazardLevel.ORDINARY, ASSIGN),
    ("enterprise_user", "close-on-spot/", S.REPORTED, HazardLevel.ORDINARY, None),
    ("enterprise_user", "verify/", S.SUBMITTED, HazardLevel.ORDINARY, {}),
    ("enterprise_user", "reject/", S.SUBMITTED, HazardLevel.ORDINARY, {"reason": "x"}),
    ("enterprise_user", "expert-verify/", S.SUBMITTED, HazardLevel.MAJOR, {"passed": True, "opinion": "x"}),
    ("enterprise_user", "listed-supervision/", S.REPORTED, HazardLevel.MAJOR, {"supervising_leader": "刘"}),
    ("leader", "assign/", S.REPORTED, HazardLevel.ORDINARY, ASSIGN),
    ("leader", "submit/", S.RECTIFYING, HazardLevel.ORDINARY, None),
    ("leader", "governance-plan/", S.REPORTED, HazardLevel.MAJOR, COMPLETE_PLAN),
    ("expert", "verify/", S.SUBMITTED, HazardLevel.ORDINARY, {}),
    ("expert", "submit/", S.RECTIFYING, HazardLevel.ORDINARY, None),
    ("township_officer", "expert-verify/", S.SUBMITTED, HazardLevel.MAJOR, {"passed": True, "opinion": "x"}),
]


@pytest.mark.parametrize(("role", "path", "state", "level", "payload"), WRONG_ROLE)
def test_a_role_without_the_permission_gets_403_and_changes_nothing(cast, role, path, state, level, payload):
    hazard = make_hazard(cast["inside"], state=state, level=level)
    before = snapshot(hazard)
    fmt = "multipart" if payload is None else "json"
    data = {"note": "已整改", "photos": [photo()]} if payload is None else payload
    response = post(cast["users"][role], hazard, path, data, fmt)
    assert response.status_code == 403
    assert snapshot(hazard) == before


def test_approving_an_extension_needs_an_officer(cast):
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    extension = pending_extension(hazard, cast["users"]["enterprise_user"])
    before = snapshot(hazard)
    response = post(cast["users"]["enterprise_user"], hazard, "approve-extension/", {"extension": extension.pk})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve_extension(actor=cast["users"]["enterprise_user"], extension=extension)
    assert snapshot(hazard) == before


def test_a_user_without_any_role_reads_nothing(cast):
    make_hazard(cast["inside"])
    assert api_as(cast["users"]["nobody"]).get("/api/v1/hazards/").status_code == 403


def test_an_enterprise_user_reports_only_its_own_self_inspection(cast):
    user = cast["users"]["enterprise_user"]
    before = snapshot()
    response = api_as(user).post("/api/v1/hazards/", {
        "enterprise": cast["inside"].pk, "description": "安全阀未投用", "source": "inspection"}, format="json")
    assert response.status_code == 400
    assert "source" in response.json()
    assert snapshot() == before
    ok = api_as(user).post("/api/v1/hazards/", {
        "enterprise": cast["inside"].pk, "description": "安全阀未投用", "source": "self_inspection"}, format="json")
    assert ok.status_code == 201
    assert ok.json()["found_by"] == str(user)


# --- major hazards ------------------------------------------------------------------------------------


def test_assigning_a_major_hazard_without_a_governance_plan_or_listing_is_refused(cast):
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"], level=HazardLevel.MAJOR)
    before = snapshot(hazard)
    response = post(officer, hazard, "assign/", ASSIGN)
    assert response.status_code == 400
    body = response.json()
    assert "governance_plan" in body and "listed_supervision" in body
    assert snapshot(hazard) == before


def test_an_incomplete_governance_plan_names_the_missing_parts(cast):
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"], level=HazardLevel.MAJOR)
    listed(hazard, officer)
    response = post(cast["users"]["enterprise_user"], hazard, "governance-plan/",
                    {"objectives": "消除隐患", "methods": "加装切断阀"})
    assert response.status_code == 200
    assert response.json()["governance_plan"]["missing_parts"] == [
        "funds_and_materials", "organisation", "time_limit", "safety_measures"]
    before = snapshot(hazard)
    refused = post(officer, hazard, "assign/", ASSIGN)
    assert refused.status_code == 400
    message = refused.json()["governance_plan"][0]
    for part in ("funds_and_materials", "organisation", "time_limit", "safety_measures"):
        assert str(GovernancePlan._meta.get_field(part).verbose_name) in message
    assert "objectives" not in refused.json()
    assert snapshot(hazard) == before
    with pytest.raises(ValidationError):
        services.assign_rectification(actor=officer, hazard=hazard, deadline=TODAY(), responsible_person="王五",
                                      measures="x")
    assert snapshot(hazard) == before


def test_a_complete_plan_without_listing_is_still_refused(cast):
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"], level=HazardLevel.MAJOR)
    complete_plan(hazard, officer)
    before = snapshot(hazard)
    response = post(officer, hazard, "assign/", ASSIGN)
    assert response.status_code == 400
    assert list(response.json()) == ["listed_supervision"]
    assert snapshot(hazard) == before
    listed(hazard, officer)
    assert post(officer, hazard, "assign/", ASSIGN).json()["state"] == S.RECTIFYING


def test_governance_plan_and_listing_are_for_major_hazards_only(cast):
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"])
    before = snapshot(hazard)
    assert post(officer, hazard, "governance-plan/", COMPLETE_PLAN).status_code == 400
    assert post(officer, hazard, "listed-supervision/", {"supervising_leader": "刘局长"}).status_code == 400
    assert snapshot(hazard) == before


def test_a_put_governance_plan_replaces_all_six_parts(cast):
    user = cast["users"]["enterprise_user"]
    hazard = make_hazard(cast["inside"], level=HazardLevel.MAJOR)
    assert api_as(user).put(f"/api/v1/hazards/{hazard.pk}/governance-plan/", COMPLETE_PLAN,
                            format="json").json()["governance_plan"]["missing_parts"] == []
    response = api_as(user).put(f"/api/v1/hazards/{hazard.pk}/governance-plan/", {"objectives": "新目标"},
                                format="json")
    assert response.json()["governance_plan"]["objectives"] == "新目标"
    assert len(response.json()["governance_plan"]["missing_parts"]) == 5


def major_submitted(cast):
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"], state=S.SUBMITTED, level=HazardLevel.MAJOR)
    complete_plan(hazard, officer)
    listed(hazard, officer)
    return hazard


def test_closing_a_major_hazard_needs_a_passed_expert_verification(cast):
    officer, expert = cast["users"]["township_officer"], cast["users"]["expert"]
    hazard = major_submitted(cast)
    before = snapshot(hazard)
    response = post(officer, hazard, "verify/", {"note": "复查合格"})
    assert response.status_code == 400
    assert "expert_verification" in response.json()
    assert snapshot(hazard) == before

    assert post(expert, hazard, "expert-verify/", {"passed": False, "opinion": "切断阀未联调"}).status_code == 200
    before = snapshot(hazard)
    assert post(officer, hazard, "verify/", {"note": "复查合格"}).status_code == 400
    assert snapshot(hazard) == before

    response = post(expert, hazard, "expert-verify/", {"passed": True, "opinion": "联调合格"})
    assert [v["passed"] for v in response.json()["expert_verifications"]] == [True, False]
    closed = post(officer, hazard, "verify/", {"note": "复查合格"})
    assert closed.status_code == 200
    assert closed.json()["state"] == S.CLOSED
    assert closed.json()["listed_supervision"]["lifted_at"] is not None


def test_an_expert_verification_before_the_latest_submission_does_not_count(cast):
    officer, expert = cast["users"]["township_officer"], cast["users"]["expert"]
    hazard = major_submitted(cast)
    ExpertVerification.objects.create(hazard=hazard, expert=expert, passed=True, opinion="上一轮合格")
    Hazard.objects.filter(pk=hazard.pk).update(submitted_at=timezone.now() + timedelta(seconds=5))
    before = snapshot(hazard)
    assert post(officer, hazard, "verify/", {}).status_code == 400
    assert snapshot(hazard) == before


def test_expert_verification_is_for_major_hazards_only(cast):
    hazard = make_hazard(cast["inside"], state=S.SUBMITTED)
    before = snapshot(hazard)
    response = post(cast["users"]["expert"], hazard, "expert-verify/", {"passed": True, "opinion": "合格"})
    assert response.status_code == 400
    assert snapshot(hazard) == before


def test_a_major_hazard_cannot_be_closed_on_the_spot(cast):
    hazard = make_hazard(cast["inside"], level=HazardLevel.MAJOR)
    before = snapshot(hazard)
    response = post(cast["users"]["township_officer"], hazard, "close-on-spot/",
                    {"note": "当场整改", "photos": [photo()]}, "multipart")
    assert response.status_code == 400
    assert "level" in response.json()
    assert snapshot(hazard) == before


# --- input checks ----------------------------------------------------------------------------------------


def test_assign_needs_its_fields_with_chinese_messages(cast):
    hazard = make_hazard(cast["inside"])
    before = snapshot(hazard)
    response = post(cast["users"]["township_officer"], hazard, "assign/", {})
    assert response.status_code == 400
    assert response.json()["deadline"] == ["该字段是必填项。"]
    assert set(response.json()) == {"deadline", "responsible_person", "measures"}
    assert snapshot(hazard) == before


def test_a_deadline_in_the_past_is_refused(cast):
    hazard = make_hazard(cast["inside"])
    before = snapshot(hazard)
    response = post(cast["users"]["township_officer"], hazard, "assign/",
                    {**ASSIGN, "deadline": str(TODAY() - timedelta(days=1))})
    assert response.status_code == 400
    assert "deadline" in response.json()
    assert snapshot(hazard) == before


def test_negative_funds_are_refused(cast):
    hazard = make_hazard(cast["inside"])
    before = snapshot(hazard)
    response = post(cast["users"]["township_officer"], hazard, "assign/", {**ASSIGN, "funds": "-1"})
    assert response.status_code == 400
    assert "funds" in response.json()
    assert snapshot(hazard) == before


@pytest.mark.parametrize("path", ["submit/", "close-on-spot/"])
def test_rectification_needs_an_after_photo(cast, path):
    state = S.RECTIFYING if path == "submit/" else S.REPORTED
    hazard = make_hazard(cast["inside"], state=state)
    before = snapshot(hazard)
    response = post(cast["users"]["township_officer"], hazard, path, {"note": "已整改"}, "multipart")
    assert response.status_code == 400
    assert "photos" in response.json()
    assert snapshot(hazard) == before


def test_a_rejection_needs_a_reason(cast):
    hazard = make_hazard(cast["inside"], state=S.SUBMITTED)
    before = snapshot(hazard)
    response = post(cast["users"]["township_officer"], hazard, "reject/", {"reason": " "})
    assert response.status_code == 400
    assert "reason" in response.json()
    with pytest.raises(ValidationError):
        services.verify_rectification(actor=cast["users"]["township_officer"], hazard=hazard, passed=False,
                                      note="")
    assert snapshot(hazard) == before


# --- extensions ------------------------------------------------------------------------------------------


def ask(cast, hazard, days=10, user="enterprise_user"):
    deadline = hazard.deadline + timedelta(days=days)
    return post(cast["users"][user], hazard, "request-extension/",
                {"requested_deadline": str(deadline), "reason": "设备到货延迟"})


def test_the_extension_limit(cast, settings):
    settings.SHOUYE_HAZARD_MAX_EXTENSIONS = 2
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    for round_ in range(2):
        response = ask(cast, Hazard.objects.get(pk=hazard.pk), days=10)
        assert response.status_code == 200, response.content
        pending = [e for e in response.json()["extensions"] if e["state"] == ExtensionState.PENDING]
        assert "request-extension" not in response.json()["allowed_actions"]
        approved = post(officer, hazard, "approve-extension/", {"extension": pending[0]["id"]})
        assert approved.json()["extension_count"] == round_ + 1
    hazard.refresh_from_db()
    assert hazard.deadline == TODAY() + timedelta(days=27)
    before = snapshot(hazard)
    refused = ask(cast, hazard)
    assert refused.status_code == 400
    assert "requested_deadline" in refused.json()
    assert snapshot(hazard) == before
    detail = api_as(cast["users"]["enterprise_user"]).get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert "request-extension" not in detail["allowed_actions"]


def test_one_pending_request_at_a_time_and_a_later_deadline(cast):
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    before = snapshot(hazard)
    assert ask(cast, hazard, days=0).status_code == 400
    assert snapshot(hazard) == before
    assert ask(cast, hazard).status_code == 200
    before = snapshot(hazard)
    assert ask(cast, hazard, days=20).status_code == 400
    assert snapshot(hazard) == before


def test_a_refused_extension_keeps_the_deadline_and_needs_a_reason(cast):
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    extension = pending_extension(hazard, cast["users"]["enterprise_user"])
    before = snapshot(hazard)
    assert post(officer, hazard, "approve-extension/", {"extension": extension.pk, "approved": False}
                ).status_code == 400
    assert snapshot(hazard) == before
    response = post(officer, hazard, "approve-extension/",
                    {"extension": extension.pk, "approved": False, "note": "理由不充分"})
    assert response.status_code == 200
    assert response.json()["deadline"] == str(hazard.deadline)
    assert response.json()["extension_count"] == 0
    assert response.json()["extensions"][0]["state"] == ExtensionState.REFUSED
    before = snapshot(hazard)
    again = post(officer, hazard, "approve-extension/", {"extension": extension.pk})
    assert again.status_code == 400
    assert snapshot(hazard) == before


def test_an_extension_of_another_hazard_is_unknown(cast):
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    other = make_hazard(cast["inside"], state=S.RECTIFYING)
    extension = pending_extension(other, cast["users"]["enterprise_user"])
    before = snapshot(hazard)
    response = post(officer, hazard, "approve-extension/", {"extension": extension.pk})
    assert response.status_code == 400
    assert "extension" in response.json()
    assert snapshot(hazard) == before


def test_listing_again_changes_the_leader(cast):
    officer = cast["users"]["township_officer"]
    hazard = make_hazard(cast["inside"], level=HazardLevel.MAJOR)
    post(officer, hazard, "listed-supervision/", {"supervising_leader": "刘局长", "document_number": "长应急督〔2026〕3号"})
    response = post(officer, hazard, "listed-supervision/", {"supervising_leader": "陈副局长"})
    assert response.json()["listed_supervision"]["supervising_leader"] == "陈副局长"
    assert ListedSupervision.objects.filter(hazard=hazard).count() == 1
