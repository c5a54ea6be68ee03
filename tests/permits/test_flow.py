"""The permit's flow (decision 0012): the transition table exhaustively, a hot-work permit from draft to the
archive through the API, signatures in the form's order only, a signed permit unchangeable, the watchperson's
acts, the hourly expiry and the audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition
from shouye.permits import services
from shouye.permits.choices import PermitKind, PermitState
from shouye.permits.models import SpecialOperationPermit
from shouye.permits.workflow import WORKFLOW

from .conftest import make_permit
from .helpers import approve, gas_test, ok, prepare, sign, sign_until_approval, to_in_progress, url

S = PermitState
PREPARING = (S.DRAFT, S.IDENTIFIED, S.MEASURES_CONFIRMED, S.BRIEFED)
OPEN = (S.APPROVED, S.READY, S.IN_PROGRESS, S.SUSPENDED)
#: The table as the standard's signature order gives it (REGULATIONS-2 §C.2), written out independently.
EXPECTED = {
    **{(S.DRAFT, "identify"): S.IDENTIFIED, (S.IDENTIFIED, "confirm-measures"): S.MEASURES_CONFIRMED,
       (S.MEASURES_CONFIRMED, "brief"): S.BRIEFED},
    **{(state, "sign"): S.SIGNING for state in (S.BRIEFED, S.SIGNING)},
    **{(state, "approve"): S.APPROVED for state in (S.BRIEFED, S.SIGNING)},
    (S.APPROVED, "check"): S.READY,
    **{(state, "start"): S.IN_PROGRESS for state in (S.APPROVED, S.READY)},
    (S.IN_PROGRESS, "suspend"): S.SUSPENDED, (S.SUSPENDED, "resume"): S.IN_PROGRESS,
    **{(state, "revoke"): S.REVOKED for state in (S.IN_PROGRESS, S.SUSPENDED)},
    **{(state, "accept"): S.COMPLETED for state in (S.IN_PROGRESS, S.SUSPENDED)},
    (S.COMPLETED, "archive"): S.ARCHIVED,
    **{(state, "cancel"): S.CANCELLED for state in (*PREPARING, S.SIGNING, S.APPROVED, S.READY)},
    **{(state, "expire"): S.EXPIRED for state in OPEN},
}


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", sorted({a for _s, a in EXPECTED}))
def test_transition_table_is_exhaustively_the_standards_order(state, action):
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(InvalidTransition):
            WORKFLOW.ensure_allowed(state, action)
    else:
        assert WORKFLOW.ensure_allowed(state, action) == expected


def test_closed_permits_are_never_reopened():
    for state in (S.ARCHIVED, S.CANCELLED, S.REVOKED, S.EXPIRED):
        assert WORKFLOW.allowed_actions(state) == []


def test_hot_work_from_draft_to_archive_by_four_signers_in_order(permit, client_of):
    assert permit.number == "DH20261208001" and permit.state == S.DRAFT and permit.grade == "2"
    assert ok(client_of.get(url(permit)))["next_signature"]["step"] == "work_leader"
    prepare(client_of, permit)
    sign_until_approval(client_of, permit)
    data = ok(approve(client_of, permit, level="base_unit"), 201)
    assert data["step"] == "approver" and data["level"] == "base_unit" and data["latitude"] == "36.500000"
    ok(sign(client_of, permit, name="班长庚"), 201)
    permit.refresh_from_db()
    assert permit.state == S.READY
    for act, state in (("start", S.IN_PROGRESS), ("suspend", S.SUSPENDED), ("resume", S.IN_PROGRESS)):
        assert ok(client_of.post(url(permit, act), {}, format="json"))["state"] == state
    ok(sign(client_of, permit, name="验收人辛"), 201)
    assert ok(client_of.post(url(permit, "archive"), {}, format="json"))["state"] == S.ARCHIVED
    detail = ok(client_of.get(url(permit)))
    assert [s["step"] for s in detail["signatures"]] == ["work_leader", "unit", "safety_dept", "approver",
                                                        "shift_leader", "acceptance"]
    assert detail["next_signature"] is None and detail["completed_at"]
    verbs = list(AuditEvent.objects.filter(target_id=str(permit.pk)).values_list("verb", flat=True))
    assert {"permit.create", "permit.approve", "permit.check", "permit.accept", "permit.archive"} <= set(verbs)


def test_a_signature_out_of_order_is_refused_naming_the_next(permit, client_of):
    prepare(client_of, permit)
    response = sign(client_of, permit, step="safety_dept")
    assert response.status_code == 400
    assert "step" in response.content.decode()
    assert not permit.signatures.exists()
    ok(sign(client_of, permit, step="work_leader"), 201)
    assert client_of.post(url(permit, "approve"), {"name": "审批人", "level": "plant_head"},
                          format="json").status_code == 400
    assert permit.signatures.count() == 1


def test_signing_before_the_briefing_is_a_conflict(permit, client_of):
    assert sign(client_of, permit).status_code == 409
    assert not permit.signatures.exists()


def test_a_signed_permit_cannot_be_edited(permit, client_of):
    prepare(client_of, permit)
    ok(sign(client_of, permit), 201)
    response = client_of.post(url(permit, "edit"), {"applicant_unit": "改", "work_unit": "改", "content": "改",
                                                    "location": "改", "planned_start": permit.planned_start,
                                                    "planned_end": permit.planned_end}, format="json")
    assert response.status_code == 409
    permit.refresh_from_db()
    assert permit.applicant_unit == "一车间"


def test_a_draft_is_edited_and_decided_again(permit, client_of):
    data = ok(client_of.post(url(permit, "edit"), {
        "applicant_unit": "二车间", "work_unit": "检修班", "content": "动火", "location": "装置区",
        "planned_start": permit.planned_start, "planned_end": permit.planned_end,
        "details": {"method": "气割", "fire_explosion_area": True},
        "people": [{"role": "watchperson", "name": "监护人"}]}, format="json"))
    assert data["applicant_unit"] == "二车间" and data["grade"] == "1" and data["required_approver_level"] == \
        "safety_dept"
    assert [p["role"] for p in data["people"]] == ["watchperson"]


def test_measures_need_each_decision_and_the_confirmer(permit, client_of):
    ok(client_of.post(url(permit, "identify"), {"risk_identification": "风险"}, format="json"))
    response = client_of.post(url(permit, "confirm-measures"), {"measures": [{"number": 1, "involved": True}],
                                                                "other_measures": "其他", "other_author": ""},
                              format="json")
    assert response.status_code == 400
    text = response.content.decode()
    assert "measures[1]" in text and "measures[2]" in text and "other_author" in text
    assert permit.measures.filter(confirmed_at__isnull=False).count() == 0


def test_the_watchperson_takes_the_permit_back_with_a_reason(permit, client_of):
    permit = to_in_progress(client_of, permit)
    assert client_of.post(url(permit, "revoke"), {"reason": ""}, format="json").status_code == 400
    data = ok(client_of.post(url(permit, "revoke"), {"reason": "发现可燃气体报警"}, format="json"))
    assert data["state"] == S.REVOKED and data["close_reason"] == "发现可燃气体报警"
    assert client_of.post(url(permit, "resume"), {}, format="json").status_code == 409


def test_work_does_not_start_without_a_fresh_gas_sample(permit, client_of, clock):
    prepare(client_of, permit)
    sign_until_approval(client_of, permit)
    ok(approve(client_of, permit), 201)
    ok(sign(client_of, permit), 201)
    clock.shift(timedelta(minutes=26))
    response = client_of.post(url(permit, "start"), {}, format="json")
    assert response.status_code == 400 and "gas_test" in response.content.decode()
    ok(gas_test(client_of, permit, minutes_before_now=1), 201)
    assert ok(client_of.post(url(permit, "start"), {}, format="json"))["state"] == S.IN_PROGRESS


def test_re_tests_during_work_are_recorded_as_such(permit, client_of):
    permit = to_in_progress(client_of, permit)
    data = ok(gas_test(client_of, permit, minutes_before_now=0, result="0.6"), 201)
    assert data["during_work"] is True and data["passed"] is False and data["failures"]
    tests = ok(client_of.get(url(permit, "gas-tests")))
    assert [t["during_work"] for t in tests] == [False, True]


def test_hot_work_does_not_start_before_the_shift_leaders_check(permit, client_of):
    prepare(client_of, permit)
    sign_until_approval(client_of, permit)
    ok(approve(client_of, permit), 201)
    response = client_of.post(url(permit, "start"), {}, format="json")
    assert response.status_code == 400
    permit.refresh_from_db()
    assert permit.state == S.APPROVED


def test_the_hourly_job_expires_open_permits_whose_time_ran_out(permit, client_of, owner, cast, clock):
    permit = to_in_progress(client_of, permit)
    draft = make_permit(owner, cast["inside"])
    clock.shift(timedelta(hours=3))
    assert services.expire_permits() == {"expired": 1}
    assert services.expire_permits() == {"expired": 0}
    permit.refresh_from_db()
    draft.refresh_from_db()
    assert permit.state == S.EXPIRED and permit.closed_at == timezone.now() and draft.state == S.DRAFT
    assert AuditEvent.objects.filter(verb="permit.expire", target_id=str(permit.pk)).exists()


def test_the_expiry_job_is_scheduled_hourly(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="permits-expire")
    assert task.task == "shouye.permits.tasks.expire_permits" and task.crontab.hour == "*"


def test_numbers_run_per_enterprise_kind_and_day(owner, cast):
    first = make_permit(owner, cast["inside"])
    second = make_permit(owner, cast["inside"])
    height = make_permit(owner, cast["inside"], kind=PermitKind.WORK_AT_HEIGHT)
    assert (first.number, second.number, height.number) == ("DH20261208001", "DH20261208002", "GC20261208001")
    assert SpecialOperationPermit.objects.count() == 3


def test_confined_space_is_approved_by_its_unit_and_needs_no_shift_check(owner, cast, client_of):
    permit = make_permit(owner, cast["inside"], kind=PermitKind.CONFINED_SPACE,
                         planned_end=timezone.now() + timedelta(hours=20))
    prepare(client_of, permit)
    ok(sign(client_of, permit), 201)
    ok(approve(client_of, permit, level="base_unit"), 201)
    assert ok(client_of.post(url(permit, "start"), {}, format="json"))["state"] == S.IN_PROGRESS


def test_the_work_does_not_start_before_the_permits_time(owner, cast, client_of, clock):
    permit = make_permit(owner, cast["inside"], kind=PermitKind.WORK_AT_HEIGHT, details={"height_m": "4"},
                         planned_start=timezone.now() + timedelta(hours=1),
                         planned_end=timezone.now() + timedelta(hours=3))
    prepare(client_of, permit)
    sign_until_approval(client_of, permit)
    ok(approve(client_of, permit), 201)
    response = client_of.post(url(permit, "start"), {}, format="json")
    assert response.status_code == 400 and "planned_start" in response.json()
    clock.shift(timedelta(hours=1))
    assert ok(client_of.post(url(permit, "start"), {}, format="json"))["state"] == S.IN_PROGRESS
