"""The incident's services: intake graded by the rules, its clocks (across midnight into a holiday), re-grading
that keeps met clocks, reports meeting clocks, the scheduled job, and every (state, act) pair."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition
from shouye.incidents import services
from shouye.incidents.choices import AccidentKind, ClockState, EntryKind, IncidentKind, IncidentState
from shouye.incidents.models import Incident, IncidentClock, TimelineEntry
from shouye.incidents.workflow import WORKFLOW
from shouye.notifications.models import Notification

from .conftest import NOW, SHANGHAI, intake


def clocks(incident):
    return {c.kind: c for c in IncidentClock.objects.filter(incident=incident)}


def test_intake_grades_and_starts_every_clock_across_midnight(accident, cast):
    accident.refresh_from_db()
    assert accident.grade == "ordinary" and accident.township == cast["inside"].township
    assert accident.enterprise == cast["inside"] and accident.industry == cast["inside"].industry
    got = {kind: c.due_at.astimezone(SHANGHAI) for kind, c in clocks(accident).items()}
    occurred = NOW - timedelta(minutes=10)
    assert got == {
        "enterprise_head": occurred + timedelta(hours=1),  # 00:30 on National Day
        "report_county": occurred + timedelta(hours=1),
        "report_city": occurred + timedelta(hours=3),
        "direct_report": NOW + timedelta(minutes=30),  # 00:10, counted from the receipt
        "supplement": datetime(2026, 10, 31, tzinfo=SHANGHAI),  # holidays are not skipped: calendar days
        "investigation": datetime(2026, 11, 30, tzinfo=SHANGHAI),  # 60 days after 09-30, to the day's end
    }
    assert "written_report" not in got
    assert all(c.state == ClockState.OPEN for c in clocks(accident).values())
    entry = TimelineEntry.objects.get(incident=accident)
    assert entry.kind == EntryKind.INTAKE
    assert AuditEvent.objects.filter(verb="incident.report", target_id=str(accident.pk)).count() == 1


def test_a_large_accident_adds_the_written_report_and_the_province(cast, staff):
    incident = services.report_incident(actor=staff, enterprise=cast["inside"], **intake(deaths=3))
    assert incident.grade == "large"
    got = clocks(incident)
    assert got["written_report"].due_at == NOW + timedelta(hours=1)
    assert got["report_province"].due_at == NOW - timedelta(minutes=10) + timedelta(hours=5)


def test_road_traffic_and_fire_have_seven_days_of_supplement(cast, staff):
    incident = services.report_incident(actor=staff, enterprise=cast["inside"],
                                        **intake(accident_kind=AccidentKind.FIRE))
    assert clocks(incident)["supplement"].due_at == datetime(2026, 10, 8, tzinfo=SHANGHAI)


def test_regrading_keeps_met_clocks_and_adds_the_new_ones(accident, staff, clock):
    services.record_report(actor=staff, incident=accident, report_kind="first", recipient="区政府",
                           text="快报", clocks=["direct_report", "report_county"])
    clock.shift(timedelta(minutes=5))
    updated = services.update_situation(actor=staff, incident=accident, deaths=3, note="两人送医后死亡")
    assert updated.grade == "large"
    got = clocks(accident)
    assert got["direct_report"].state == ClockState.MET and got["direct_report"].met_at == NOW
    assert got["report_county"].state == ClockState.MET
    assert {"written_report", "report_province"} <= set(got)
    event = AuditEvent.objects.get(verb="incident.update", target_id=str(accident.pk))
    assert event.changes["grade"] == ["ordinary", "large"] and "written_report" in event.changes["added"]
    # Back down: the clocks the lower grade does not start go, unless met.
    services.update_situation(actor=staff, incident=accident, deaths=2, note="核实为2人")
    assert "written_report" not in clocks(accident) and "report_province" not in clocks(accident)
    assert clocks(accident)["direct_report"].state == ClockState.MET


def test_a_late_report_is_recorded_as_missed(accident, staff, clock):
    clock.shift(timedelta(minutes=45))  # past the direct report's 30 minutes
    services.record_report(actor=staff, incident=accident, report_kind="first", recipient="省安委办",
                           text="直报", clocks=["direct_report"])
    direct = clocks(accident)["direct_report"]
    assert direct.state == ClockState.MISSED and direct.met_at == NOW + timedelta(minutes=45)
    with pytest.raises(ValidationError) as refused:
        services.record_report(actor=staff, incident=accident, report_kind="follow_up", recipient="省安委办",
                               text="再报", clocks=["direct_report"])
    assert "clocks" in refused.value.message_dict


def test_the_job_warns_once_before_and_marks_missed_after(accident, cast, clock):
    clock.shift(timedelta(minutes=16))  # direct report due at 00:10: 14 minutes left
    assert services.warn_clocks() == 1
    assert services.warn_clocks() == 0
    recipients = set(Notification.objects.filter(verb="incident.clock").values_list("recipient__username",
                                                                                       flat=True))
    assert recipients == {"bureau_staff", "bureau_admin"}
    assert services.mark_missed_clocks() == 0
    clock.shift(timedelta(minutes=15))  # 00:11 on National Day
    assert services.mark_missed_clocks() == 1
    assert clocks(accident)["direct_report"].state == ClockState.MISSED
    assert services.mark_missed_clocks() == 0
    assert AuditEvent.objects.filter(verb="incident.clock-missed").count() == 1


def test_forest_fire_is_graded_by_its_own_rule_and_starts_no_accident_clock(cast, staff):
    fire = services.report_incident(actor=staff, township=cast["inside"].township,
                                    **intake(kind=IncidentKind.FOREST_FIRE, title="山林火情",
                                             burnt_area_ha=Decimal("120")))
    assert fire.grade == "major" and fire.report_to_national and "第四十条" in fire.grade_basis
    assert fire.enterprise is None and not clocks(fire)


@pytest.mark.parametrize(("fields", "field"), [
    ({"occurred_at": NOW + timedelta(minutes=1)}, "occurred_at"),
    ({"received_at": NOW - timedelta(minutes=20)}, "occurred_at"),
    ({"latitude": Decimal("36.5")}, "longitude"),
    ({"occurred_at": datetime(1999, 12, 31, 23, 0, tzinfo=SHANGHAI)}, "occurred_at"),
])
def test_intake_refuses_bad_input_naming_the_field(cast, staff, fields, field):
    with pytest.raises(ValidationError) as refused:
        services.report_incident(actor=staff, enterprise=cast["inside"], **intake(**fields))
    assert field in refused.value.message_dict
    assert not Incident.objects.exists()


def test_intake_outside_the_officers_township_or_by_a_reader_is_refused(cast, xiaoli):
    with pytest.raises(PermissionDenied):
        services.report_incident(actor=cast["users"]["township_officer"], township=xiaoli, **intake())
    assert not Incident.objects.exists()


ACTS = {
    "situation": lambda actor, incident: services.update_situation(actor=actor, incident=incident, note="更新"),
    "entry": lambda actor, incident: services.add_entry(actor=actor, incident=incident, kind="note", text="记"),
    "report": lambda actor, incident: services.record_report(actor=actor, incident=incident, report_kind="final",
                                                             recipient="区政府", text="终报"),
    "command-post": lambda actor, incident: services.set_command_post(actor=actor, incident=incident,
                                                                      command_post="园区门口", commander="李四"),
    "close": lambda actor, incident: services.close_incident(actor=actor, incident=incident, summary="处置完毕"),
}


@pytest.mark.parametrize("state", list(IncidentState.values))
@pytest.mark.parametrize("act", list(ACTS))
def test_every_state_and_act(accident, staff, state, act):
    Incident.objects.filter(pk=accident.pk).update(state=state)
    accident.refresh_from_db()
    allowed = state in WORKFLOW.steps[act].sources
    entries, events = TimelineEntry.objects.count(), AuditEvent.objects.count()
    if allowed:
        ACTS[act](staff, accident)
        assert TimelineEntry.objects.count() == entries + 1
        assert AuditEvent.objects.count() == events + 1
        target = WORKFLOW.steps[act].target
        assert Incident.objects.get(pk=accident.pk).state == (target or state)
    else:
        with pytest.raises(InvalidTransition):
            ACTS[act](staff, accident)
        assert (TimelineEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)
        assert Incident.objects.get(pk=accident.pk).state == state


def test_roles_that_may_not_act_are_refused(accident, cast):
    officer, reader = cast["users"]["township_officer"], cast["users"]["department_officer"]
    services.update_situation(actor=officer, incident=accident, note="现场：明火已扑灭")
    with pytest.raises(PermissionDenied):
        ACTS["report"](officer, accident)
    with pytest.raises(PermissionDenied):
        ACTS["report"](cast["users"]["leader"], accident)
    ACTS["close"](cast["users"]["leader"], accident)
    assert reader.has_perm("incidents.view_incident") and not reader.has_perm("incidents.record_incident")
