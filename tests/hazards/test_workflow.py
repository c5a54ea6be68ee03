"""The transition table (issue 3), exhaustively: every (state, action) pair, in the table itself, through
the services and through the API. An allowed action moves the hazard to the table's state and writes
exactly one audit event; any other is refused (InvalidTransition; via the API 409 naming the current state
and the allowed actions) and changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition
from shouye.hazards import services, totals, workflow
from shouye.hazards.choices import HazardLevel, HazardState
from shouye.hazards.models import Hazard
from tests.conftest import api_as

from .conftest import COMPLETE_PLAN, make_hazard, pending_extension, photo, snapshot

pytestmark = pytest.mark.django_db

S = HazardState
#: The table as issue 3 states it, written out by hand: the code must match it exactly.
EXPECTED = {
    (S.REPORTED, "assign"): S.RECTIFYING,
    (S.REPORTED, "close-on-spot"): S.CLOSED,
    (S.RECTIFYING, "submit"): S.SUBMITTED,
    (S.RECTIFYING, "request-extension"): S.RECTIFYING,
    (S.RECTIFYING, "approve-extension"): S.RECTIFYING,
    (S.SUBMITTED, "expert-verify"): S.SUBMITTED,
    (S.SUBMITTED, "verify"): S.CLOSED,
    (S.SUBMITTED, "reject"): S.RECTIFYING,
}
#: Acts on a major hazard outside the table: allowed until rectification is submitted, state unchanged.
PLAN_ACTIONS = {"governance-plan", "listed-supervision"}
ALL_ACTIONS = sorted(set(workflow.ACTIONS) | PLAN_ACTIONS)
PAIRS = [(state, action) for state in S.values for action in ALL_ACTIONS]
MAJOR_ACTIONS = {"expert-verify", *PLAN_ACTIONS}


def expected_state(state, action):
    if action in PLAN_ACTIONS:
        return state if state in (S.REPORTED, S.RECTIFYING) else None
    return EXPECTED.get((state, action))


def test_the_table_is_exactly_the_issues():
    assert workflow.TRANSITIONS == EXPECTED
    assert set(workflow.ACTIONS) == {action for _state, action in EXPECTED}


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", workflow.ACTIONS)
def test_ensure_allowed_for_every_pair(state, action):
    if (state, action) in EXPECTED:
        assert workflow.ensure_allowed(state, action) == EXPECTED[(state, action)]
        assert action in workflow.allowed_actions(state)
    else:
        with pytest.raises(InvalidTransition) as refused:
            workflow.ensure_allowed(state, action)
        assert refused.value.state == state
        assert refused.value.allowed == sorted(a for (s, a) in EXPECTED if s == state)
        assert action not in workflow.allowed_actions(state)


def setup(cast, root, state, action):
    """A hazard in ``state`` on which ``action`` could only be refused for its state: major where the action
    needs a major hazard, with a passed expert verification where closing needs one, with a pending
    extension to approve."""
    level = HazardLevel.MAJOR if action in MAJOR_ACTIONS else HazardLevel.ORDINARY
    hazard = make_hazard(cast["inside"], state=state, level=level)
    extension = pending_extension(hazard, cast["users"]["enterprise_user"]) if action == "approve-extension" \
        else None
    return hazard, extension


def call_service(action, hazard, extension, actor):
    today = timezone.localdate()
    if action == "assign":
        return services.assign_rectification(actor=actor, hazard=hazard, deadline=today + timedelta(days=10),
                                             responsible_person="王五", measures="加装紧急切断阀")
    if action == "close-on-spot":
        return services.close_on_spot(actor=actor, hazard=hazard, note="当场整改", photos=[photo()])
    if action == "submit":
        return services.submit_rectification(actor=actor, hazard=hazard, note="已加装", photos=[photo()])
    if action == "request-extension":
        return services.request_extension(actor=actor, hazard=hazard, reason="设备到货延迟",
                                          requested_deadline=(hazard.deadline or today) + timedelta(days=30))
    if action == "approve-extension":
        return services.approve_extension(actor=actor, extension=extension)
    if action == "expert-verify":
        return services.expert_verify(actor=actor, hazard=hazard, passed=True, opinion="整改到位")
    if action == "verify":
        return services.verify_rectification(actor=actor, hazard=hazard, passed=True, note="复查合格")
    if action == "reject":
        return services.reject_rectification(actor=actor, hazard=hazard, reason="照片不清晰")
    if action == "governance-plan":
        return services.save_governance_plan(actor=actor, hazard=hazard, **COMPLETE_PLAN)
    if action == "listed-supervision":
        return services.list_for_supervision(actor=actor, hazard=hazard, supervising_leader="刘局长")
    raise AssertionError(action)


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_every_pair_through_the_services(cast, root, state, action):
    hazard, extension = setup(cast, root, state, action)
    before = snapshot(hazard)
    target = expected_state(state, action)
    if target is None:
        with pytest.raises(InvalidTransition) as refused:
            call_service(action, hazard, extension, root)
        assert refused.value.state == state
        assert refused.value.allowed == workflow.allowed_actions(state)
        assert snapshot(hazard) == before
    else:
        call_service(action, hazard, extension, root)
        assert Hazard.objects.get(pk=hazard.pk).state == target
        events = list(AuditEvent.objects.order_by("id")[before["audit"]:])
        hazard_events = [event for event in events if event.verb.startswith("hazard.")]
        assert [event.verb for event in hazard_events] == [f"hazard.{action}"]
        assert hazard_events[0].target_id == str(hazard.pk)
        # A re-inspection decided on the hazard is also recorded as a re-inspection inspection (issue 10).
        assert [event.verb for event in events if event not in hazard_events] == (
            ["inspection.reinspect"] if action in ("verify", "reject") else [])
    assert totals.differences() == []


def api_request(action, hazard, extension):
    """(path, data, format) of the API call for ``action``."""
    today = timezone.localdate()
    if action == "assign":
        return "assign/", {"deadline": str(today + timedelta(days=10)), "responsible_person": "王五",
                           "measures": "加装紧急切断阀"}, "json"
    if action in ("close-on-spot", "submit"):
        return f"{action}/", {"note": "已整改", "photos": [photo()]}, "multipart"
    if action == "request-extension":
        return "request-extension/", {"requested_deadline": str((hazard.deadline or today) + timedelta(days=30)),
                                      "reason": "设备到货延迟"}, "json"
    if action == "approve-extension":
        return "approve-extension/", {"extension": extension.pk if extension else 0}, "json"
    if action == "expert-verify":
        return "expert-verify/", {"passed": True, "opinion": "整改到位"}, "json"
    if action == "verify":
        return "verify/", {"note": "复查合格"}, "json"
    if action == "reject":
        return "reject/", {"reason": "照片不清晰"}, "json"
    if action == "governance-plan":
        return "governance-plan/", COMPLETE_PLAN, "json"
    return "listed-supervision/", {"supervising_leader": "刘局长"}, "json"


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_every_pair_through_the_api(cast, root, state, action):
    hazard, extension = setup(cast, root, state, action)
    before = snapshot(hazard)
    path, data, fmt = api_request(action, hazard, extension)
    response = api_as(root).post(f"/api/v1/hazards/{hazard.pk}/{path}", data, format=fmt)
    target = expected_state(state, action)
    if target is None:
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["state"] == state
        assert body["allowed_actions"] == workflow.allowed_actions(state)
        assert body["detail"]
        assert snapshot(hazard) == before
    else:
        assert response.status_code == 200, response.content
        assert response.json()["state"] == target
        # One event of the act, and the re-inspection inspection's for a re-inspection (issue 10).
        assert AuditEvent.objects.count() == before["audit"] + (2 if action in ("verify", "reject") else 1)
