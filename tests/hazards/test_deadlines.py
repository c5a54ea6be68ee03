"""The daily deadline job (issue 3) with a frozen clock: overdue hazards are marked and the enterprise's
users and the township officer told in-app, once; after SHOUYE_HAZARD_ESCALATE_AFTER_DAYS the bureau staff
are told; reminders go out three days before a deadline. A second run the same day changes and sends
nothing. Celery beat runs it at 01:00 Asia/Shanghai."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from config.celery import app as celery_app
from shouye.audit.models import AuditEvent
from shouye.hazards import services, tasks
from shouye.hazards.choices import HazardState
from shouye.hazards.models import Hazard
from shouye.notifications.models import Notification

from .conftest import make_hazard, pending_extension

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = date(2026, 6, 10)


def at(day: date, hour: int = 1):
    """The clock at ``hour`` o'clock in Shanghai on ``day`` (beat runs the job at 01:00)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def inbox(user, verb=None):
    qs = Notification.objects.filter(recipient=user)
    return list(qs.filter(verb=verb) if verb else qs)


@pytest.fixture
def rectifying(cast):
    with at(DEADLINE - timedelta(days=20)):
        return make_hazard(cast["inside"], state=HazardState.RECTIFYING, deadline=DEADLINE)


def test_nothing_happens_on_the_deadline_itself(cast, rectifying):
    counts = services.mark_overdue_and_notify(today=DEADLINE)
    assert counts["overdue"] == 0
    rectifying.refresh_from_db()
    assert rectifying.overdue_since is None
    assert not inbox(cast["users"]["township_officer"])


def test_the_day_after_the_deadline_marks_and_notifies_once(cast, rectifying):
    users = cast["users"]
    day = DEADLINE + timedelta(days=1)
    with at(day):
        counts = tasks.daily_deadlines()
    assert counts["overdue"] == 1 and counts["escalated"] == 0
    rectifying.refresh_from_db()
    assert rectifying.overdue_since == day
    assert rectifying.escalated_at is None
    for role in ("enterprise_user", "township_officer"):
        [notice] = inbox(users[role], "hazard.overdue")
        assert cast["inside"].name in notice.title
        assert notice.link.endswith(f"/{rectifying.pk}/")
    for role in ("bureau_staff", "department_officer", "expert", "leader"):
        assert not inbox(users[role])
    audit_events = AuditEvent.objects.count()

    with at(day, hour=13):
        again = tasks.daily_deadlines()
    assert again == {"overdue": 0, "escalated": 0, "notifications": 0, "reminded": 0}
    assert len(inbox(users["township_officer"], "hazard.overdue")) == 1
    assert len(inbox(users["enterprise_user"], "hazard.overdue")) == 1
    assert AuditEvent.objects.count() == audit_events
    rectifying.refresh_from_db()
    assert rectifying.overdue_since == day


def test_the_run_is_audited_once(cast, rectifying):
    before = AuditEvent.objects.count()
    services.mark_overdue_and_notify(today=DEADLINE + timedelta(days=1))
    [event] = AuditEvent.objects.order_by("id")[before:]
    assert event.verb == "hazard.mark-overdue"
    assert event.changes["overdue"] == [rectifying.pk]


def test_escalation_to_the_bureau_after_the_configured_days(cast, rectifying, settings):
    settings.SHOUYE_HAZARD_ESCALATE_AFTER_DAYS = 5
    staff = cast["users"]["bureau_staff"]
    for offset in range(1, 5):
        services.mark_overdue_and_notify(today=DEADLINE + timedelta(days=offset))
        assert not inbox(staff)
    rectifying.refresh_from_db()
    assert rectifying.escalated_at is None
    with at(DEADLINE + timedelta(days=5)):
        counts = tasks.daily_deadlines()
    assert counts["escalated"] == 1
    rectifying.refresh_from_db()
    assert rectifying.escalated_at is not None
    [notice] = inbox(staff, "hazard.escalated")
    assert "5" in notice.title
    services.mark_overdue_and_notify(today=DEADLINE + timedelta(days=6))
    assert len(inbox(staff)) == 1
    assert len(inbox(cast["users"]["township_officer"], "hazard.overdue")) == 1


def test_a_missed_run_still_escalates(cast, rectifying, settings):
    """Beat did not run for ten days: the first run marks and escalates at once."""
    settings.SHOUYE_HAZARD_ESCALATE_AFTER_DAYS = 7
    counts = services.mark_overdue_and_notify(today=DEADLINE + timedelta(days=10))
    assert counts == {**counts, "overdue": 1, "escalated": 1}
    assert inbox(cast["users"]["bureau_staff"], "hazard.escalated")


def test_reminders_three_days_before(cast, settings):
    settings.SHOUYE_HAZARD_REMINDER_DAYS = 3
    user = cast["users"]["enterprise_user"]
    today = date(2026, 6, 1)
    soon = make_hazard(cast["inside"], state=HazardState.RECTIFYING, deadline=today + timedelta(days=3))
    later = make_hazard(cast["inside"], state=HazardState.RECTIFYING, deadline=today + timedelta(days=4))
    make_hazard(cast["inside"], state=HazardState.SUBMITTED, deadline=today + timedelta(days=2))
    counts = services.mark_overdue_and_notify(today=today)
    assert counts["reminded"] == 1
    [notice] = inbox(user, "hazard.deadline_soon")
    assert notice.link.endswith(f"/{soon.pk}/")
    assert str(soon.deadline) in notice.title
    assert not inbox(cast["users"]["township_officer"])

    services.mark_overdue_and_notify(today=today)
    assert len(inbox(user, "hazard.deadline_soon")) == 1
    services.mark_overdue_and_notify(today=today + timedelta(days=1))
    assert sorted(n.link for n in inbox(user, "hazard.deadline_soon")) == sorted(
        [notice.link, notice.link.replace(f"/{soon.pk}/", f"/{later.pk}/")])


def test_submitted_and_closed_hazards_are_not_overdue(cast):
    for state in (HazardState.SUBMITTED, HazardState.CLOSED):
        make_hazard(cast["inside"], state=state, deadline=DEADLINE)
    counts = services.mark_overdue_and_notify(today=DEADLINE + timedelta(days=30))
    assert counts["overdue"] == 0
    assert not Notification.objects.exists()


def test_an_approved_extension_clears_the_mark_and_watches_the_new_deadline(cast, rectifying):
    users = cast["users"]
    with at(DEADLINE + timedelta(days=1)):
        tasks.daily_deadlines()
        extension = pending_extension(Hazard.objects.get(pk=rectifying.pk), users["enterprise_user"], days=10)
        services.approve_extension(actor=users["township_officer"], extension=extension)
    rectifying.refresh_from_db()
    assert rectifying.overdue_since is None and rectifying.deadline == DEADLINE + timedelta(days=10)
    assert services.mark_overdue_and_notify(today=DEADLINE + timedelta(days=2))["overdue"] == 0
    counts = services.mark_overdue_and_notify(today=DEADLINE + timedelta(days=11))
    assert counts["overdue"] == 1
    assert len(inbox(users["township_officer"], "hazard.overdue")) == 2


def test_only_the_officers_of_the_hazards_township_are_told(cast):
    make_hazard(cast["building"], state=HazardState.RECTIFYING, deadline=DEADLINE)
    services.mark_overdue_and_notify(today=DEADLINE + timedelta(days=1))
    assert not inbox(cast["users"]["township_officer"])
    assert not inbox(cast["users"]["enterprise_user"])


def test_the_command_runs_the_job_for_a_given_day(cast, rectifying, capsys):
    call_command("hazards_daily", "--date", str(DEADLINE + timedelta(days=1)))
    assert "1 newly overdue" in capsys.readouterr().out
    rectifying.refresh_from_db()
    assert rectifying.overdue_since == DEADLINE + timedelta(days=1)


def test_beat_runs_the_job_daily_at_one_in_shanghai():
    task = PeriodicTask.objects.get(name="hazards-daily")
    assert task.enabled
    assert task.task == "shouye.hazards.tasks.daily_deadlines"
    assert task.task in celery_app.tasks
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "1", "*")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
