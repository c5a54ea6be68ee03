"""The alarm's lifecycle through the services (issue 13): every (state, act) pair of the table, the guards (scope,
role, clearing while the value is out of limits, the disposition), the audit events and the board's cursor, and
reporting a hazard from an alarm once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition
from shouye.hazards.choices import HazardLevel, HazardSource
from shouye.hazards.models import Hazard
from shouye.monitoring import rulebook, services
from shouye.monitoring.choices import AlarmLevel, AlarmState, ClearCondition, Condition
from shouye.monitoring.models import Alarm, AlarmRule
from shouye.regions.scoping import NotInScope

from . import kit
from .kit_lifecycle import ACTS, STATES, back_to_normal, jpeg, out_of_limits, site, snapshot

pytestmark = pytest.mark.django_db

#: The table as issue 13 states it (written out, not read from the workflow): the acts each state allows and the
#: state each leads to (None: the state stays).
ALLOWED = {
    "raised": {"acknowledge": "acknowledged", "handle": "handling", "clear": "cleared", "report-hazard": None},
    "acknowledged": {"handle": "handling", "clear": "cleared", "report-hazard": None},
    "handling": {"record": None, "clear": "cleared", "report-hazard": None},
    "cleared": {"close": "closed", "report-hazard": None},
    "closed": {"report-hazard": None},
}


@pytest.fixture(autouse=True)
def _fresh_rules():
    rulebook.forget()
    yield
    rulebook.forget()


def act(name, actor, alarm):
    if name == "acknowledge":
        return services.acknowledge_alarm(actor=actor, alarm=alarm)
    if name == "handle":
        return services.start_handling(actor=actor, alarm=alarm, cause="阀门泄漏", measures="关闭阀门")
    if name == "record":
        return services.record_handling(actor=actor, alarm=alarm, measures="更换垫片")
    if name == "clear":
        return services.clear_alarm(actor=actor, alarm=alarm)
    if name == "close":
        return services.close_alarm(actor=actor, alarm=alarm, disposition="real", note="已处置")
    return services.report_hazard_from_alarm(actor=actor, alarm=alarm)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", ACTS)
def test_every_state_and_act_of_the_table(cast, state, name):
    user = cast["users"]["enterprise_user"]
    where = site(cast)
    alarm = kit.alarm(camera_row=where.camera, state=state)
    before, events = snapshot(alarm)
    if name in ALLOWED[state]:
        act(name, user, alarm)
        alarm.refresh_from_db()
        assert alarm.state == (ALLOWED[state][name] or state)
        assert alarm.changed_at > before["changed_at"]
        verb = "alarm.report_hazard" if name == "report-hazard" else f"alarm.{name}"
        assert AuditEvent.objects.filter(verb=verb, target_id=str(alarm.pk)).count() == 1
    else:
        with pytest.raises(InvalidTransition):
            act(name, user, alarm)
        assert snapshot(alarm) == (before, events)


def test_handling_acknowledges_a_raised_alarm_and_keeps_what_was_found(cast):
    user = cast["users"]["enterprise_user"]
    alarm = kit.alarm(point_row=site(cast).point)
    services.start_handling(actor=user, alarm=alarm, cause="阀门泄漏", measures="关闭阀门", photos=[jpeg()])
    services.record_handling(actor=user, alarm=alarm, measures="更换垫片", photos=[jpeg("b.jpg")])
    alarm.refresh_from_db()
    assert (alarm.state, alarm.acknowledged_by, alarm.handled_by) == (AlarmState.HANDLING, user, user)
    assert alarm.measures == "关闭阀门\n更换垫片"
    assert alarm.photos.count() == 2


def test_handling_needs_a_cause_or_a_measure_and_refuses_bad_photos(cast):
    user = cast["users"]["enterprise_user"]
    alarm = kit.alarm(point_row=site(cast).point)
    before = snapshot(alarm)
    with pytest.raises(ValidationError) as refused:
        services.start_handling(actor=user, alarm=alarm, cause=" ", measures="")
    assert "measures" in refused.value.message_dict
    from django.core.files.uploadedfile import SimpleUploadedFile
    with pytest.raises(ValidationError):
        services.start_handling(actor=user, alarm=alarm, measures="关阀",
                                photos=[SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")])
    assert snapshot(alarm) == before


def test_a_sensor_alarm_clears_by_hand_only_when_its_value_is_back(cast):
    user = cast["users"]["enterprise_user"]
    where = site(cast)
    alarm = kit.alarm(point_row=where.point, condition=Condition.HIGH_HIGH)  # orange: clears automatically
    out_of_limits(where.point)
    assert rulebook.rule_for(alarm.level).clear_condition == ClearCondition.AUTOMATIC
    before = snapshot(alarm)
    with pytest.raises(ValidationError, match="out of limits|超出限值"):
        services.clear_alarm(actor=user, alarm=alarm)
    assert snapshot(alarm) == before
    back_to_normal(where.point)
    services.clear_alarm(actor=user, alarm=alarm)
    alarm.refresh_from_db()
    assert (alarm.state, alarm.cleared_by) == (AlarmState.CLEARED, user)


def test_a_level_that_clears_by_hand_clears_while_the_value_is_out(cast):
    AlarmRule.objects.filter(level=AlarmLevel.ORANGE).update(clear_condition=ClearCondition.MANUAL)
    rulebook.forget()
    where = site(cast)
    alarm = kit.alarm(point_row=where.point, condition=Condition.HIGH_HIGH)
    out_of_limits(where.point)
    services.clear_alarm(actor=cast["users"]["enterprise_user"], alarm=alarm)
    assert Alarm.objects.get(pk=alarm.pk).state == AlarmState.CLEARED


def test_closing_needs_a_disposition(cast):
    alarm = kit.alarm(camera_row=site(cast).camera, state=AlarmState.CLEARED)
    before = snapshot(alarm)
    with pytest.raises(ValidationError) as refused:
        services.close_alarm(actor=cast["users"]["enterprise_user"], alarm=alarm, disposition="")
    assert "disposition" in refused.value.message_dict
    assert snapshot(alarm) == before


@pytest.mark.parametrize("role", ["bureau_staff", "leader", "township_officer", "expert"])
def test_only_the_enterprise_handles_its_alarms(cast, role):
    alarm = kit.alarm(camera_row=site(cast).camera)
    before = snapshot(alarm)
    with pytest.raises(PermissionDenied):
        services.acknowledge_alarm(actor=cast["users"][role], alarm=alarm)
    assert snapshot(alarm) == before


def test_an_alarm_of_another_enterprise_is_out_of_scope(cast):
    other = kit.alarm(camera_row=kit.camera(kit.vendor("other"), cast["outside"], device_id="x"))
    before = snapshot(other)
    with pytest.raises(NotInScope):
        services.acknowledge_alarm(actor=cast["users"]["enterprise_user"], alarm=other)
    assert snapshot(other) == before


def test_a_hazard_is_reported_from_an_alarm_once_with_what_the_alarm_says(cast):
    where = site(cast)
    officer = cast["users"]["township_officer"]
    for days in (3, 2):
        kit.alarm(point_row=where.point, state=AlarmState.CLOSED, raised_at=timezone.now() - timedelta(days=days))
    alarm = kit.alarm(point_row=where.point, state=AlarmState.CLEARED)
    hazard = services.report_hazard_from_alarm(actor=officer, alarm=alarm, note="请企业排查密封")
    assert (hazard.source, hazard.level, hazard.enterprise) == (HazardSource.ALARM, HazardLevel.ORDINARY,
                                                                cast["inside"])
    assert "测点PT-101" in hazard.description and "3" in hazard.description and "请企业排查密封" in hazard.description
    assert hazard.location.startswith("一号罐区")
    assert Alarm.objects.get(pk=alarm.pk).hazard == hazard
    assert AuditEvent.objects.filter(verb="hazard.report", target_id=str(hazard.pk)).exists()
    before = snapshot(alarm)
    with pytest.raises(ValidationError):
        services.report_hazard_from_alarm(actor=officer, alarm=alarm)
    assert snapshot(alarm) == before
    assert Hazard.objects.count() == 1


def test_a_leader_watches_but_does_not_report_hazards(cast):
    alarm = kit.alarm(camera_row=site(cast).camera)
    with pytest.raises(PermissionDenied):
        services.report_hazard_from_alarm(actor=cast["users"]["leader"], alarm=alarm)
    assert Hazard.objects.count() == 0


def test_a_video_alarms_snapshot_becomes_the_hazards_photo(cast):
    from shouye.core.attachments import check_photos, save_photos
    from shouye.monitoring.models import AlarmPhoto

    alarm = kit.alarm(camera_row=site(cast).camera, scenario="smoking")
    save_photos(AlarmPhoto, {"alarm": alarm, "is_snapshot": True}, check_photos([jpeg()]), cast["users"]["enterprise_user"])
    hazard = services.report_hazard_from_alarm(actor=cast["users"]["enterprise_user"], alarm=alarm)
    assert hazard.photos.count() == 1
    assert "吸烟" in hazard.description and hazard.category == "behaviour"
