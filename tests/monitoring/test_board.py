"""The bureau's alarm board (issue 13, "Bureau board"): alarms now by level, township and enterprise, the latest
list and the offline points, through the API and the page; scope (a township officer sees its township only, an
enterprise user no board); the same queries whatever the number of alarms."""

import pytest
from django.test import Client
from django.urls import reverse

from shouye.monitoring.choices import AlarmLevel, AlarmState, Condition, PointKind
from shouye.monitoring.models import Scenario
from tests.conftest import api_as

from . import kit
from .kit_live import monitored, offline

pytestmark = pytest.mark.django_db
URL = "/api/v1/alarm-board/"


def _board(user):
    response = api_as(user).get(URL)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def alarms(cast):
    inside, outside = cast["inside"], cast["outside"]
    point, camera = monitored(inside, "in")
    gas = kit.point(point.gateway, code="GT-1", kind=PointKind.COMBUSTIBLE_GAS, unit="%LEL", range_max=100,
                    high=25, high_high=50)
    kit.alarm(point_row=gas, value=55)  # red: combustible gas HH
    kit.alarm(point_row=point, level=AlarmLevel.ORANGE)
    kit.alarm(camera_row=camera, scenario="smoking", state=AlarmState.ACKNOWLEDGED, level=AlarmLevel.YELLOW)
    kit.alarm(camera_row=camera, scenario="phone_use", state=AlarmState.CLOSED, disposition="false")
    other_point, other_camera = monitored(outside, "out")
    kit.alarm(point_row=other_point, condition=Condition.HIGH, level=AlarmLevel.BLUE)
    offline(point)
    offline(other_point)
    return {"inside": point, "outside": other_point}


def test_the_bureau_sees_every_active_alarm_by_level_township_and_enterprise(cast, alarms):
    data = _board(cast["users"]["bureau_staff"])
    assert data["figures"] == {"active": 4, "raised": 3, "overdue": 0, "offline_points": 2}
    levels = {row["level"]: row["count"] for row in data["by_level"]}
    assert levels == {"red": 1, "orange": 1, "yellow": 1, "blue": 1}
    assert {row["name"]: row["total"] for row in data["by_township"]} == {"马山镇": 3, "孝里街道": 1}
    assert data["by_enterprise"][0]["enterprise"] == cast["inside"].name and data["by_enterprise"][0]["total"] == 3
    assert len(data["latest"]) == 4 and all(row["active"] for row in data["latest"])
    smoking = next(row for row in data["latest"] if row["source"] == "video")
    assert smoking["what"] == Scenario.objects.get(code="smoking").name and smoking["state"] == "acknowledged"
    assert smoking["url"] == f"/monitoring/alarms/{smoking['id']}/"


def test_a_township_officer_sees_only_its_township(cast, alarms):
    data = _board(cast["users"]["township_officer"])
    assert data["figures"]["active"] == 3 and data["figures"]["offline_points"] == 1
    assert {row["enterprise"] for row in data["latest"]} == {cast["inside"].name}
    assert [row["name"] for row in data["by_township"]] == ["马山镇"]


def test_an_overdue_acknowledgement_is_counted_and_flagged(cast, alarms):
    from datetime import timedelta

    from django.utils import timezone

    from shouye.monitoring.models import Alarm

    late = Alarm.objects.filter(level=AlarmLevel.RED).get()
    Alarm.objects.filter(pk=late.pk).update(ack_due_by=timezone.now() - timedelta(minutes=1))
    data = _board(cast["users"]["bureau_staff"])
    assert data["figures"]["overdue"] == 1
    assert [row["id"] for row in data["latest"] if row["overdue"]] == [late.pk]


def test_the_enterprise_user_and_an_anonymous_caller_get_no_board(cast, alarms):
    assert api_as(cast["users"]["enterprise_user"]).get(URL).status_code == 403
    assert Client().get(reverse("monitoring:board")).status_code == 302
    page = Client()
    page.force_login(cast["users"]["enterprise_user"])
    assert page.get(reverse("monitoring:board")).status_code == 403


def test_the_page_shows_the_counts_and_the_latest_alarms_and_links_its_stream(cast, alarms):
    page = Client()
    page.force_login(cast["users"]["township_officer"])
    response = page.get(reverse("monitoring:board"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="active">3<' in html and 'data-figure="offline_points">1<' in html
    assert cast["inside"].name in html and cast["outside"].name not in html
    assert reverse("monitoring:board-stream") + "?cursor=" in html and "alarmboard.js" in html


def _many(cast, n):
    for i in range(n):
        point, camera = monitored(cast["inside"], f"m{n}-{i}")
        kit.alarm(point_row=point)
        kit.alarm(camera_row=camera)
        offline(point)


def test_queries_do_not_grow_with_the_alarms(cast, django_assert_max_num_queries):
    client = api_as(cast["users"]["bureau_staff"])
    _many(cast, 2)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    _many(cast, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = client.get(URL).json()
    assert data["figures"]["active"] == 24 and data["figures"]["offline_points"] == 12
