"""Alarm statistics per enterprise (issue 13): on a known set of alarms, the acknowledgement time's median and p90
(percentile_cont on PostgreSQL, the same interpolation on SQLite), the missed acknowledgements, the false-alarm
rate and the offline points, the same on the page and the API; scope; the period validated (at most 92 days)."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shouye.monitoring.choices import Disposition
from shouye.monitoring.models import Alarm
from shouye.monitoring.statistics import percentile
from tests.conftest import api_as

from . import kit
from .kit_live import handled, monitored, offline

pytestmark = pytest.mark.django_db
URL = "/api/v1/alarm-statistics/"


@pytest.fixture
def known(cast):
    """马山 ``inside``: five alarms acknowledged after 2, 4, 6, 8 and 10 min (deadline 5 min: three late), one
    never acknowledged past its deadline; three closed, two of them false. 孝里 ``outside``: one alarm."""
    point, _ = monitored(cast["inside"], "in")
    day1 = timezone.now() - timedelta(days=3)
    day2 = timezone.now() - timedelta(days=1)
    for minutes, raised, disposition in ((2, day1, Disposition.FALSE), (4, day1, Disposition.FALSE),
                                         (6, day1, Disposition.REAL), (8, day2, ""), (10, day2, "")):
        handled(kit.point(point.gateway, code=f"PT-{minutes}"), raised, ack_minutes=minutes, disposition=disposition)
    kit.alarm(point_row=kit.point(point.gateway, code="PT-late"), raised_at=day2)
    Alarm.objects.update(ack_due_by=F("raised_at") + timedelta(minutes=5))
    offline(point)
    other, _ = monitored(cast["outside"], "out")
    kit.alarm(point_row=other, raised_at=day2)
    return {"day1": timezone.localdate(day1), "day2": timezone.localdate(day2)}


def _stats(user, **params):
    response = api_as(user).get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_median_p90_missed_false_rate_and_offline_of_a_known_set(cast, known):
    data = _stats(cast["users"]["township_officer"])
    row = data["enterprises"][0]
    assert [r["enterprise__name"] for r in data["enterprises"]] == [cast["inside"].name]
    assert (row["total"], row["responded"], row["missed"], row["closed"], row["false"]) == (6, 5, 4, 3, 2)
    assert row["median_minutes"] == 6.0 and row["p90_minutes"] == 9.2  # 8 + 0.6 × (10 − 8)
    assert row["false_rate"] == 66.7 and row["offline_points"] == 1
    assert data["totals"]["median_minutes"] == 6.0 and data["totals"]["offline_points"] == 1
    days = {day["day"]: day["count"] for day in data["per_day"]}
    assert days[known["day1"].isoformat()] == 3 and days[known["day2"].isoformat()] == 3
    assert len(data["per_day"]) == 30 and sum(days.values()) == 6


def test_the_bureau_sees_both_townships_and_filters_one_enterprise(cast, known):
    data = _stats(cast["users"]["bureau_staff"])
    assert {r["enterprise__name"]: r["total"] for r in data["enterprises"]} == {cast["inside"].name: 6,
                                                                                cast["outside"].name: 1}
    only = _stats(cast["users"]["bureau_staff"], enterprise=cast["outside"].pk)
    assert [r["total"] for r in only["enterprises"]] == [1] and only["totals"]["median_minutes"] is None


def test_the_period_is_validated_and_limited(cast, known):
    user = cast["users"]["bureau_staff"]
    today = timezone.localdate()
    narrow = _stats(user, raised_from=known["day2"].isoformat(), raised_to=known["day2"].isoformat())
    assert narrow["totals"]["total"] == 4 and len(narrow["per_day"]) == 1
    too_long = {"raised_from": (today - timedelta(days=100)).isoformat(), "raised_to": today.isoformat()}
    backwards = {"raised_from": today.isoformat(), "raised_to": (today - timedelta(days=1)).isoformat()}
    for params in (too_long, backwards, {"raised_from": "not-a-date"}):
        assert api_as(user).get(URL, params).status_code == 400
    page = Client()
    page.force_login(user)
    assert page.get(reverse("monitoring:statistics"), too_long).status_code == 400


def test_the_page_shows_the_same_figures(cast, known):
    page = Client()
    page.force_login(cast["users"]["township_officer"])
    response = page.get(reverse("monitoring:statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-total="ack">6.0 / 9.2<' in html and 'data-total="false_rate">66.7%<' in html
    assert cast["inside"].name in html and cast["outside"].name not in html


def test_percentile_interpolates_as_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([1.0], 0.9) == 1.0
    assert percentile([10.0, 2.0, 4.0, 8.0, 6.0], 0.5) == 6.0
    assert percentile([2.0, 4.0, 6.0, 8.0, 10.0], 0.9) == pytest.approx(9.2)


def test_queries_do_not_grow_with_the_enterprises(cast, known, django_assert_max_num_queries):
    client = api_as(cast["users"]["bureau_staff"])
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for i in range(5):
        point, _ = monitored(cast["outside"], f"x{i}")
        handled(point, timezone.now() - timedelta(hours=2), ack_minutes=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).json()["totals"]["total"] == 12
