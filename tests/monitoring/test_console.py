"""The enterprise's duty console (issue 13): its live alarms, most severe and newest first, with large buttons to
acknowledge and handle; the feed it polls sends what changed since its cursor in a fixed number of queries; the
page runs no inline script (decision 0007)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shouye.monitoring import rulebook, services
from shouye.monitoring.choices import AlarmState
from shouye.monitoring.models import Alarm

from . import kit
from .kit_lifecycle import site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rules():
    rulebook.forget()
    yield
    rulebook.forget()


@pytest.fixture
def duty(cast, client):
    client.force_login(cast["users"]["enterprise_user"])
    return client


def test_the_console_shows_live_alarms_most_severe_first(cast, duty, django_assert_max_num_queries):
    where = site(cast)
    yellow = kit.alarm(camera_row=where.camera, scenario="phone_use")
    red = kit.alarm(camera_row=where.camera, scenario="open_flame", raised_at=timezone.now() - timedelta(hours=1))
    kit.alarm(camera_row=where.camera, scenario="smoking", state=AlarmState.CLOSED)
    kit.alarm(camera_row=kit.camera(kit.vendor("other"), cast["outside"], device_id="x"))
    with django_assert_max_num_queries(12):
        page = duty.get(reverse("monitoring:console"))
    assert [row["id"] for row in page.context["rows"]] == [red.pk, yellow.pk]
    html = page.content.decode()
    assert "alarm-console.js" in html and "<script>" not in html
    assert reverse("monitoring:acknowledge", args=[red.pk]) in html and 'capture="environment"' in html


def test_the_feed_sends_what_changed_since_the_cursor(cast, duty, django_assert_max_num_queries):
    where = site(cast)
    first = kit.alarm(camera_row=where.camera)
    start = duty.get(reverse("monitoring:console-feed")).json()
    assert [row["id"] for row in start["alarms"]] == [first.pk]
    earlier = [kit.alarm(camera_row=where.camera).pk for _ in range(5)]
    Alarm.objects.filter(pk__in=earlier).update(changed_at=timezone.now() - timedelta(minutes=5))
    services.acknowledge_alarm(actor=cast["users"]["enterprise_user"], alarm=first)
    with django_assert_max_num_queries(6):
        later = duty.get(reverse("monitoring:console-feed"), {"since": start["cursor"]}).json()
    assert [(row["id"], row["state"], row["active"]) for row in later["alarms"]] == [
        (first.pk, "acknowledged", True)]
    services.clear_alarm(actor=cast["users"]["enterprise_user"], alarm=first)
    gone = duty.get(reverse("monitoring:console-feed"), {"since": later["cursor"]}).json()
    assert [(row["id"], row["active"]) for row in gone["alarms"]] == [(first.pk, False)]
    assert duty.get(reverse("monitoring:console-feed"), {"since": "yesterday"}).status_code == 400


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer", "expert"])
def test_the_console_is_for_those_who_handle_alarms(cast, client, role):
    client.force_login(cast["users"][role])
    assert client.get(reverse("monitoring:console")).status_code == 403
    assert client.get(reverse("monitoring:console-feed")).status_code == 403
