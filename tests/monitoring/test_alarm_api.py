"""The alarms API (issue 13): the list and the page of an alarm in the caller's scope, every (state, act) pair of
the table as ``POST /api/v1/alarms/<pk>/<act>/`` (refused pairs answer 409 and change nothing), and the refusals
a user meets: 404 out of scope, 403 for a role that does not handle alarms, 400 for a missing disposition or a
value still out of limits."""

import pytest
from django.urls import reverse

from shouye.hazards.models import Hazard
from shouye.monitoring import rulebook
from shouye.monitoring.choices import AlarmState
from tests.conftest import api_as

from . import kit
from .kit_lifecycle import ACTS, STATES, jpeg, out_of_limits, site, snapshot
from .test_lifecycle import ALLOWED

pytestmark = pytest.mark.django_db

BODIES = {"handle": {"cause": "阀门泄漏", "measures": "关闭阀门"}, "record": {"measures": "更换垫片"},
          "close": {"disposition": "false", "note": "误报"}}


@pytest.fixture(autouse=True)
def _fresh_rules():
    rulebook.forget()
    yield
    rulebook.forget()


def url(alarm, act=None):
    if act is None:
        return reverse("alarm-detail", kwargs={"pk": alarm.pk})
    return reverse(f"alarm-{act}", kwargs={"pk": alarm.pk})


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("act", ACTS)
def test_every_state_and_act_through_the_api(cast, state, act):
    alarm = kit.alarm(camera_row=site(cast).camera, state=state)
    before = snapshot(alarm)
    answer = api_as(cast["users"]["enterprise_user"]).post(url(alarm, act), BODIES.get(act, {}), format="json")
    if act in ALLOWED[state]:
        assert answer.status_code == 200, answer.content
        assert answer.json()["state"] == (ALLOWED[state][act] or state)
    else:
        assert answer.status_code == 409
        assert snapshot(alarm) == before


def test_the_list_and_the_page_show_the_callers_alarms_only(cast):
    mine = kit.alarm(camera_row=site(cast).camera)
    other = kit.alarm(camera_row=kit.camera(kit.vendor("other"), cast["outside"], device_id="x"))
    user = api_as(cast["users"]["enterprise_user"])
    ids = [row["id"] for row in user.get(reverse("alarm-list")).json()["results"]]
    assert mine.pk in ids and other.pk not in ids
    page = user.get(url(mine)).json()
    assert page["allowed_actions"] == ["acknowledge", "clear", "handle", "report-hazard"]
    assert page["repeats"] == 1 and page["proposes_hazard"] is False
    assert user.get(url(other)).status_code == 404
    assert user.post(url(other, "acknowledge"), {}, format="json").status_code == 404


def test_the_list_filters_by_state_and_refuses_a_bad_filter(cast):
    where = site(cast)
    raised = kit.alarm(camera_row=where.camera)
    kit.alarm(camera_row=where.camera, state=AlarmState.CLOSED)
    user = api_as(cast["users"]["bureau_staff"])
    rows = user.get(reverse("alarm-list"), {"state": "raised"}).json()["results"]
    assert [row["id"] for row in rows] == [raised.pk]
    assert user.get(reverse("alarm-list"), {"state": "burning"}).status_code == 400


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer", "leader"])
def test_the_bureau_watches_but_does_not_acknowledge(cast, role):
    alarm = kit.alarm(camera_row=site(cast).camera)
    before = snapshot(alarm)
    assert api_as(cast["users"][role]).post(url(alarm, "acknowledge"), {}, format="json").status_code == 403
    assert snapshot(alarm) == before


def test_closing_without_a_disposition_is_refused(cast):
    alarm = kit.alarm(camera_row=site(cast).camera, state=AlarmState.CLEARED)
    before = snapshot(alarm)
    answer = api_as(cast["users"]["enterprise_user"]).post(url(alarm, "close"), {}, format="json")
    assert answer.status_code == 400 and "disposition" in answer.json()
    assert snapshot(alarm) == before


def test_clearing_a_value_still_out_of_limits_is_refused(cast):
    where = site(cast)
    alarm = kit.alarm(point_row=where.point)
    out_of_limits(where.point)
    before = snapshot(alarm)
    answer = api_as(cast["users"]["enterprise_user"]).post(url(alarm, "clear"), {}, format="json")
    assert answer.status_code == 400
    assert snapshot(alarm) == before


def test_handling_with_a_photo_from_the_phone(cast):
    alarm = kit.alarm(camera_row=site(cast).camera)
    answer = api_as(cast["users"]["enterprise_user"]).post(
        url(alarm, "handle"), {"measures": "已劝离吸烟人员", "photos": [jpeg()]}, format="multipart")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["state"] == "handling" and body["measures"] == "已劝离吸烟人员" and len(body["photos"]) == 1


def test_a_hazard_is_reported_once_through_the_api(cast):
    alarm = kit.alarm(camera_row=site(cast).camera)
    officer = api_as(cast["users"]["township_officer"])
    first = officer.post(url(alarm, "report-hazard"), {}, format="json")
    assert first.status_code == 200 and first.json()["hazard"] == Hazard.objects.get().pk
    assert officer.post(url(alarm, "report-hazard"), {}, format="json").status_code == 400
    assert Hazard.objects.count() == 1
    assert api_as(cast["users"]["leader"]).post(url(alarm, "report-hazard"), {}, format="json").status_code == 403
