"""The daily totals behind the statistics (issue 3: statistics under 200 ms at 1,000,000 hazards): the services
keep them as hazards are reported and closed, they always equal a count of the hazards, the statistics read
from them answer exactly what counting the hazards answers, and `manage.py hazard_totals` finds and repairs
a difference."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from shouye.hazards import selectors, services, tasks, totals
from shouye.hazards.choices import HazardLevel, HazardSource, HazardState
from shouye.hazards.models import Hazard, HazardDailyTotal
from tests.concurrency import at_the_same_moment

from .conftest import make_hazard, photo

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month, day, hour=10, minute=0):
    return time_machine.travel(datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI), tick=False)


def stored(enterprise, day, level=HazardLevel.ORDINARY):
    row = HazardDailyTotal.objects.filter(day=day, township=enterprise.township_id,
                                          industry=enterprise.industry_id, level=level).first()
    return (row.found, row.closed, row.on_time) if row else (0, 0, 0)


def report(actor, enterprise, **fields):
    return services.report_hazard(actor=actor, enterprise=enterprise, description="消防通道堵塞",
                                  source=HazardSource.INSPECTION, **fields)


def test_the_services_count_each_hazard_on_the_day_it_was_found(cast):
    staff, rectifier, inside = cast["users"]["bureau_staff"], cast["users"]["enterprise_user"], cast["inside"]
    with at(3, 3, 0, 10):  # ten past midnight in Shanghai: still 2 March in UTC
        on_spot, in_time, late, rejected = (report(staff, inside) for _ in range(4))
        report(staff, inside, level=HazardLevel.MAJOR)
    assert stored(inside, date(2026, 3, 3)) == (4, 0, 0)
    assert stored(inside, date(2026, 3, 3), HazardLevel.MAJOR) == (1, 0, 0)

    with at(3, 4):
        services.close_on_spot(actor=staff, hazard=on_spot, note="当场清理", photos=[photo()])
        for hazard in (in_time, late, rejected):
            services.assign_rectification(actor=staff, hazard=hazard, deadline=date(2026, 3, 10),
                                          responsible_person="王五", measures="清理通道")
        services.submit_rectification(actor=rectifier, hazard=rejected, note="已清理", photos=[photo()])
    with at(3, 10, 23, 59):
        services.submit_rectification(actor=rectifier, hazard=in_time, note="已清理", photos=[photo()])
    with at(3, 11, 0, 1):  # one minute after the deadline day, 10 March in UTC
        services.submit_rectification(actor=rectifier, hazard=late, note="已清理", photos=[photo()])
    assert stored(inside, date(2026, 3, 3)) == (4, 1, 1)  # submitted is not closed yet
    with at(3, 12):
        services.verify_rectification(actor=staff, hazard=in_time, passed=True)
        services.verify_rectification(actor=staff, hazard=late, passed=True)
        services.verify_rectification(actor=staff, hazard=rejected, passed=False, note="仍有杂物")
    assert stored(inside, date(2026, 3, 3)) == (4, 3, 2)
    assert stored(inside, date(2026, 3, 2)) == (0, 0, 0)
    assert totals.differences() == []


def test_hazards_found_by_finishing_an_inspection_are_counted(cast):
    from tests.inspections.helpers import finished

    finished(cast["users"]["bureau_staff"], cast["inside"], non_compliant=(1, 2))
    assert Hazard.objects.count() == 2
    assert sum(HazardDailyTotal.objects.values_list("found", flat=True)) == 2
    assert totals.differences() == []


@pytest.fixture
def spread(cast):
    """Hazards in two townships, three industries and both levels, some closed in time, some late, some
    overdue, some before the period."""
    inside, building, outside = cast["inside"], cast["building"], cast["outside"]
    found = datetime(2026, 3, 5, 9, tzinfo=SHANGHAI)
    for enterprise, state, level, deadline, submitted in (
        (inside, HazardState.CLOSED, HazardLevel.ORDINARY, date(2026, 3, 10), found + timedelta(days=2)),
        (inside, HazardState.CLOSED, HazardLevel.MAJOR, date(2026, 3, 10), found + timedelta(days=9)),
        (inside, HazardState.RECTIFYING, HazardLevel.ORDINARY, date(2026, 3, 20), None),
        (building, HazardState.CLOSED, HazardLevel.ORDINARY, None, None),
        (building, HazardState.REPORTED, HazardLevel.MAJOR, None, None),
        (outside, HazardState.RECTIFYING, HazardLevel.ORDINARY, date(2026, 3, 1), None),
        (outside, HazardState.SUBMITTED, HazardLevel.ORDINARY, date(2026, 3, 30), found + timedelta(days=1)),
    ):
        make_hazard(enterprise, state=state, level=level, deadline=deadline, found_at=found,
                    submitted_at=submitted, closed_at=found + timedelta(days=12) if state == "closed" else None)
    make_hazard(outside, state=HazardState.RECTIFYING, found_at=datetime(2025, 12, 1, tzinfo=SHANGHAI),
                deadline=date(2026, 1, 5))


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer", "department_officer", "nobody"])
@pytest.mark.parametrize("filters", [{}, {"township": "370113008"}, {"level": "major"},
                                     {"industry": "hazardous_chemicals", "level": "ordinary"}])
def test_statistics_from_the_totals_equal_a_count_of_the_hazards(cast, spread, monkeypatch, role, filters):
    user = cast["users"][role]

    def compute():
        with CaptureQueriesContext(connection) as captured:
            result = selectors.hazard_stats(user, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31),
                                            today=date(2026, 4, 1), filters=filters)
        return result, " ".join(query["sql"] for query in captured)

    from_totals, sql = compute()
    assert (HazardDailyTotal._meta.db_table in sql) == (role != "nobody")  # nobody's scope needs no query
    monkeypatch.setattr(selectors, "_totals_can_answer", lambda scope, used: False)
    counted, sql = compute()
    assert HazardDailyTotal._meta.db_table not in sql
    assert from_totals == counted
    if role == "bureau_staff" and not filters:
        assert (counted["found"], counted["closed"], counted["on_time"], counted["overdue_now"]) == (7, 3, 2, 3)


def test_one_enterprise_and_other_filters_are_counted_from_the_hazards(cast, spread):
    with CaptureQueriesContext(connection) as captured:
        result = selectors.hazard_stats(cast["users"]["enterprise_user"], date_from=date(2026, 3, 1),
                                        date_to=date(2026, 3, 31), today=date(2026, 4, 1))
    assert HazardDailyTotal._meta.db_table not in " ".join(query["sql"] for query in captured)
    assert (result["found"], result["closed"], result["on_time"], result["overdue_now"]) == (3, 2, 1, 1)
    by_source = selectors.hazard_stats(cast["users"]["bureau_staff"], date_from=date(2026, 3, 1),
                                       date_to=date(2026, 3, 31), filters={"source": "self_inspection"})
    assert by_source["found"] == 0


def test_the_command_finds_a_difference_and_rebuilds(cast, spread, capsys):
    call_command("hazard_totals")
    assert "match" in capsys.readouterr().out
    HazardDailyTotal.objects.filter(level="major").update(found=F("found") + 2)
    HazardDailyTotal.objects.filter(level="ordinary").first().delete()
    with pytest.raises(CommandError, match="3 daily totals differ"):
        call_command("hazard_totals")
    assert "stored" in capsys.readouterr().out
    call_command("hazard_totals", "--rebuild")
    assert totals.differences() == []
    assert sum(HazardDailyTotal.objects.values_list("found", flat=True)) == Hazard.objects.count()


def test_the_nightly_check_repairs_drifted_totals_and_says_so(cast, spread, caplog):
    assert tasks.check_daily_totals() == 0 and not caplog.records
    HazardDailyTotal.objects.filter(level="major").update(closed=F("closed") + 1)
    assert tasks.check_daily_totals() == 2
    assert "2 daily hazard totals differed" in caplog.text
    assert totals.differences() == []
    task = PeriodicTask.objects.get(name="hazard-totals")
    assert (task.task, task.crontab.hour, task.crontab.minute) == ("shouye.hazards.tasks.check_daily_totals",
                                                                   "1", "30")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises every write transaction, so two reports can never overlap there")
def test_two_officers_reporting_at_the_same_moment_are_both_counted(cast):
    inside = cast["inside"]
    _, errors = at_the_same_moment(*(lambda user=user: report(cast["users"][user], inside)
                                     for user in ("bureau_staff", "township_officer")))
    assert not errors, errors
    assert HazardDailyTotal.objects.get().found == 2
    assert totals.differences() == []
