"""The daily alarm report (issue 13, Excel): one day's alarms in the reader's scope, by level, township and
enterprise with their handling, then every alarm with its handling times and disposition; one audit event."""

import io
from datetime import datetime, timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouye.audit.models import AuditEvent
from shouye.monitoring.choices import AlarmLevel, Disposition
from shouye.monitoring.models import Alarm
from shouye.monitoring.report import EXPORT_VERB, LIST_COLUMNS

from . import kit
from .kit_live import handled, monitored

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(cast):
    """Yesterday at 09:00 and 15:00 in 马山 (one false alarm closed, one acknowledged after 12 min, deadline
    10 min), one in 孝里, and one of the day before in 马山."""
    yesterday = timezone.localdate() - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(yesterday, datetime.min.time()))
    point, camera = monitored(cast["inside"], "in")
    handled(point, at + timedelta(hours=9), ack_minutes=3, disposition=Disposition.FALSE, level=AlarmLevel.RED,
            cause="探头受潮")
    kit.alarm(camera_row=camera, raised_at=at + timedelta(hours=15), level=AlarmLevel.YELLOW,
              acknowledged_at=at + timedelta(hours=15, minutes=12), state="acknowledged")
    other, _ = monitored(cast["outside"], "out")
    kit.alarm(point_row=other, raised_at=at + timedelta(hours=10))
    handled(kit.point(point.gateway, code="PT-old"), at - timedelta(hours=2), ack_minutes=1)
    Alarm.objects.update(ack_due_by=F("raised_at") + timedelta(minutes=10))
    return yesterday


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return list(load_workbook(io.BytesIO(response.content), read_only=True).active.values)


def test_the_report_lists_the_days_alarms_in_scope_with_their_handling(cast, day):
    client = Client()
    client.force_login(cast["users"]["township_officer"])
    rows = _rows(client.get(reverse("monitoring:report-export"), {"day": day.isoformat()}))
    assert rows[0][0] == f"报警日报 {day:%Y-%m-%d}"
    assert rows[1][:2] == ("报警总数", 2) and rows[1][7] == 1  # missed: the camera's 12 min
    header = rows.index(tuple(LIST_COLUMNS))
    listed = rows[header + 1:]
    assert [row[3] for row in listed] == [cast["inside"].name, cast["inside"].name]
    first, second = listed
    assert first[2] == str(AlarmLevel.RED.label) and first[10] == 3 and first[11] == "否"
    assert first[14] == str(Disposition.FALSE.label) and first[15] == "探头受潮"
    assert second[10] == 12 and second[11] == "是"
    by_level = rows[rows.index(("按级别", "报警数", "超时未确认", "已关闭", "误报", "误报率（%）")) + 1:][:2]
    assert {row[0]: row[1:] for row in by_level}[str(AlarmLevel.RED.label)] == (1, 0, 1, 1, 100)
    event = AuditEvent.objects.get(verb=EXPORT_VERB)
    assert event.changes["alarms"] == 2 and event.changes["day"] == day.isoformat()


def test_the_bureau_gets_both_townships_and_a_bad_day_is_refused(cast, day):
    client = Client()
    client.force_login(cast["users"]["bureau_staff"])
    rows = _rows(client.get(reverse("monitoring:report-export"), {"day": day.isoformat()}))
    assert rows[1][:2] == ("报警总数", 3)
    response = client.get(reverse("monitoring:report-export"), {"day": "2026-13-40"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("monitoring:statistics"))
    assert AuditEvent.objects.filter(verb=EXPORT_VERB, actor=cast["users"]["bureau_staff"]).count() == 1
