"""Who is told about an alarm (issue 13, the level rules' notify and escalate roles — [U] REGULATIONS-2 §B.5), once
however often the task runs, and the escalation of missed acknowledgements with a frozen clock."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from shouye.audit.models import AuditEvent
from shouye.monitoring import rulebook, tasks
from shouye.monitoring.choices import AlarmLevel, AlarmState
from shouye.monitoring.models import Alarm
from shouye.notifications.models import Notification

from . import kit
from .kit_lifecycle import site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rules():
    rulebook.forget()
    yield
    rulebook.forget()


def told(verb="alarm.raised") -> set[str]:
    return set(Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True))


def test_a_red_alarm_tells_the_enterprise_the_installation_the_township_and_the_bureau(cast):
    where = site(cast)
    alarm = kit.alarm(camera_row=where.camera, scenario="open_flame")  # red
    assert alarm.level == AlarmLevel.RED
    tasks.announce_alarms.delay([alarm.pk])
    assert told() == {"enterprise_user", "tank-farm-principal", "township_officer", "bureau_staff"}
    link = Notification.objects.filter(verb="alarm.raised").values_list("link", flat=True).first()
    assert link == f"/monitoring/alarms/{alarm.pk}/"


def test_a_yellow_alarm_tells_only_the_enterprise_and_the_installation(cast):
    alarm = kit.alarm(camera_row=site(cast).camera, scenario="phone_use")  # yellow
    tasks.announce_alarms.delay([alarm.pk])
    assert told() == {"enterprise_user", "tank-farm-principal"}


def test_an_alarm_is_announced_once_however_often_the_task_runs(cast):
    alarm = kit.alarm(camera_row=site(cast).camera, scenario="open_flame")
    tasks.announce_alarms.delay([alarm.pk])
    tasks.announce_alarms.delay([alarm.pk])
    assert Notification.objects.filter(verb="alarm.raised").count() == 4


def test_a_responsible_person_who_left_is_not_told(cast):
    where = site(cast)
    where.installation.persons.update(ended_on=timezone.localdate())
    tasks.announce_alarms.delay([kit.alarm(camera_row=where.camera, scenario="phone_use").pk])
    assert told() == {"enterprise_user"}


def test_a_missed_acknowledgement_is_escalated_once_to_the_rules_roles(cast, django_capture_on_commit_callbacks):
    where = site(cast)
    alarm = kit.alarm(camera_row=where.camera, scenario="phone_use")  # yellow: 30 minutes, then the township
    acknowledged = kit.alarm(camera_row=where.camera, scenario="phone_use", state=AlarmState.ACKNOWLEDGED)
    with time_machine.travel(alarm.ack_due_by - timedelta(seconds=30), tick=False):
        assert tasks.escalate_alarms.delay().get() == 0
    with time_machine.travel(alarm.ack_due_by + timedelta(seconds=30), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert tasks.escalate_alarms.delay().get() == 1
        assert tasks.escalate_alarms.delay().get() == 0
    alarm.refresh_from_db()
    assert alarm.escalated_at is not None and alarm.changed_at == alarm.escalated_at
    assert Alarm.objects.get(pk=acknowledged.pk).escalated_at is None
    assert told("alarm.escalated") == {"township_officer"}
    event = AuditEvent.objects.get(verb="alarm.escalate")
    assert (event.target_id, event.actor_id, event.actor_name) == (str(alarm.pk), None, "system")


def test_the_escalation_runs_every_minute():
    task = PeriodicTask.objects.get(name="monitoring-escalate")
    assert (task.task, task.crontab.minute, task.crontab.hour) == ("shouye.monitoring.tasks.escalate_alarms", "*",
                                                                   "*")
