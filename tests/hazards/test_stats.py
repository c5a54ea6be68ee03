"""Statistics (issue 3) on a small known dataset: found, closed, rectification rate (closed / found), on-time
rate, overdue now, by township, industry and level, for each caller's scope and a period. Dates are days
in Asia/Shanghai."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shouye.hazards import selectors
from shouye.hazards.choices import HazardLevel, HazardState
from tests.conftest import api_as

from .conftest import make_hazard

pytestmark = pytest.mark.django_db

S = HazardState
FROM, TO, TODAY = date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 15)


def shanghai(month, day, hour=10, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def dataset(cast):
    inside, building, outside = cast["inside"], cast["building"], cast["outside"]

    def hazard(enterprise, state, *, found, deadline=None, submitted=None, closed=None, level="ordinary"):
        return make_hazard(enterprise, state=state, level=level, found_at=found, deadline=deadline,
                           submitted_at=submitted, closed_at=closed)

    return {
        # 马山镇, hazardous chemicals
        "on_time": hazard(inside, S.CLOSED, found=shanghai(3, 1, 0, 10), deadline=date(2026, 3, 10),
                          submitted=shanghai(3, 9), closed=shanghai(3, 11)),
        "late": hazard(inside, S.CLOSED, found=shanghai(3, 2), deadline=date(2026, 3, 10),
                       submitted=shanghai(3, 12), closed=shanghai(3, 13)),
        "on_the_spot": hazard(inside, S.CLOSED, found=shanghai(3, 5), closed=shanghai(3, 5, 11)),
        "overdue_major": hazard(inside, S.RECTIFYING, found=shanghai(3, 6), deadline=date(2026, 4, 1),
                                level=HazardLevel.MAJOR),
        "reported": hazard(inside, S.REPORTED, found=shanghai(3, 7)),
        # 孝里街道, construction: closed 30 minutes after midnight following its deadline day — late
        "late_by_minutes": hazard(building, S.CLOSED, found=shanghai(3, 8), deadline=date(2026, 3, 20),
                                  closed=shanghai(3, 21, 0, 30), level=HazardLevel.MAJOR),
        # 孝里街道, industry and trade
        "last_minute": hazard(outside, S.REPORTED, found=shanghai(3, 31, 23, 50)),
        "old_overdue": hazard(outside, S.RECTIFYING, found=shanghai(2, 10), deadline=date(2026, 3, 1)),
        "after_period": hazard(outside, S.REPORTED, found=shanghai(4, 2)),
    }


def row(found, closed, on_time, overdue_now):
    return {"found": found, "closed": closed, "on_time": on_time, "overdue_now": overdue_now,
            "rectification_rate": round(closed / found, 4) if found else None,
            "on_time_rate": round(on_time / closed, 4) if closed else None}


def stats(user, **kwargs):
    return selectors.hazard_stats(user, date_from=FROM, date_to=TO, today=TODAY, **kwargs)


def test_the_district_as_the_bureau_sees_it(cast, dataset):
    result = stats(cast["users"]["bureau_staff"])
    assert {k: result[k] for k in row(0, 0, 0, 0)} == row(7, 4, 2, 2)
    assert result["rectification_rate"] == 0.5714 and result["on_time_rate"] == 0.5
    by_township = {r["code"]: {k: r[k] for k in row(0, 0, 0, 0)} for r in result["by_township"]}
    assert by_township == {"370113107": row(5, 3, 2, 1), "370113008": row(2, 1, 0, 1)}
    by_industry = {r["code"]: {k: r[k] for k in row(0, 0, 0, 0)} for r in result["by_industry"]}
    assert by_industry == {"hazardous_chemicals": row(5, 3, 2, 1), "construction": row(1, 1, 0, 0),
                           "industry_trade": row(1, 0, 0, 1)}
    by_level = {r["level"]: {k: r[k] for k in row(0, 0, 0, 0)} for r in result["by_level"]}
    assert by_level == {"major": row(2, 1, 0, 1), "ordinary": row(5, 3, 2, 1)}
    names = {r["code"]: r["name"] for r in result["by_township"]}
    assert names["370113107"] == "马山镇"


@pytest.mark.parametrize(("role", "expected"), [
    ("township_officer", row(5, 3, 2, 1)),
    ("department_officer", row(1, 1, 0, 0)),
    ("enterprise_user", row(5, 3, 2, 1)),
    ("nobody", row(0, 0, 0, 0)),
])
def test_each_scope_counts_only_its_own(cast, dataset, role, expected):
    result = stats(cast["users"][role])
    assert {k: result[k] for k in expected} == expected


def test_the_api_for_a_period_and_a_township(cast, dataset):
    client = api_as(cast["users"]["leader"])
    with time_machine.travel(shanghai(4, 15, 9), tick=False):
        response = client.get("/api/v1/hazards/stats/", {"date_from": "2026-03-01", "date_to": "2026-03-31",
                                                         "township": "370113008"})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in row(0, 0, 0, 0)} == row(2, 1, 0, 1)
    assert [r["code"] for r in body["by_township"]] == ["370113008"]
    assert body["date_from"] == "2026-03-01"


def test_the_default_period_is_this_year_to_today(cast, dataset):
    with time_machine.travel(shanghai(4, 15, 9), tick=False):
        body = api_as(cast["users"]["bureau_staff"]).get("/api/v1/hazards/stats/").json()
    assert (body["date_from"], body["date_to"]) == ("2026-01-01", "2026-04-15")
    assert body["found"] == 9


def test_a_reversed_period_is_refused(cast):
    response = api_as(cast["users"]["bureau_staff"]).get("/api/v1/hazards/stats/",
                                                         {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 400 and "date_from" in response.json()


def test_the_number_of_queries_does_not_grow_with_the_data(cast, dataset):
    user = cast["users"]["bureau_staff"]
    stats(user)
    with CaptureQueriesContext(connection) as small:
        stats(user)
    for _ in range(20):
        make_hazard(cast["building"], found_at=shanghai(3, 15))
    with CaptureQueriesContext(connection) as large:
        stats(user)
    assert len(large) == len(small) == 4  # counts, overdue now, township and industry names
