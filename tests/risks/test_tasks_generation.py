"""The task engine (shouye.risks.generation): windows across month ends, holidays and make-up working days,
hour cycles inside working hours, the nightly run's idempotence and totals, and missed instances."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine

from shouye.audit.models import AuditEvent
from shouye.risks import generation
from shouye.risks.choices import CycleUnit, InstanceState, WorkDayType
from shouye.risks.generation import Schedule, add_months, windows
from shouye.risks.models import InvestigationTask, TaskDailyTotal, TaskInstance
from shouye.rules.workdays import default_calendar

from .tasks_fixtures import at, hours, risk_point, task


def _days(schedule, since, until):
    return [(f.strftime("%m-%d %H:%M"), b.strftime("%m-%d %H:%M"))
            for f, b in ((f.astimezone(at(2026, 1, 1).tzinfo), b.astimezone(at(2026, 1, 1).tzinfo))
                         for f, b in windows(schedule, since, until, default_calendar()))]


def test_working_day_daily_task_skips_the_national_day_holiday_and_works_the_makeup_saturday():
    schedule = Schedule(cycle=1, cycle_unit=CycleUnit.DAY, work_day_type=WorkDayType.WORKING_DAYS,
                        starts_at=at(2026, 9, 30))
    got = _days(schedule, at(2026, 9, 30), at(2026, 10, 13))
    # 10-01…10-07 are off (国庆), 10-10 is an official make-up working Saturday, 10-11 a Sunday.
    assert [f for f, _ in got] == ["09-30 00:00", "10-08 00:00", "10-09 00:00", "10-10 00:00", "10-12 00:00"]
    assert got[3] == ("10-10 00:00", "10-11 00:00")


def test_non_working_day_task_runs_only_on_days_off():
    schedule = Schedule(cycle=1, cycle_unit=CycleUnit.DAY, work_day_type=WorkDayType.NON_WORKING_DAYS,
                        starts_at=at(2026, 10, 8))
    assert [f for f, _ in _days(schedule, at(2026, 10, 8), at(2026, 10, 13))] == ["10-11 00:00"]


def test_every_other_working_day_closes_at_the_end_of_its_second_working_day():
    schedule = Schedule(cycle=2, cycle_unit=CycleUnit.DAY, work_day_type=WorkDayType.WORKING_DAYS,
                        starts_at=at(2026, 9, 29))
    got = _days(schedule, at(2026, 9, 29), at(2026, 10, 14))
    # Working days: 09-29, 09-30, 10-08, 10-09, 10-10, 10-12, 10-13 → windows on the 1st, 3rd, 5th, 7th.
    assert got == [("09-29 00:00", "10-01 00:00"), ("10-08 00:00", "10-10 00:00"), ("10-10 00:00", "10-13 00:00"),
                   ("10-13 00:00", "10-15 00:00")]
    # Started later, the count still runs from the start date.
    assert _days(schedule, at(2026, 10, 9), at(2026, 10, 14))[0] == ("10-10 00:00", "10-13 00:00")


def test_hour_cycle_inside_working_hours_and_last_window_ends_with_them():
    schedule = Schedule(cycle=3, cycle_unit=CycleUnit.HOUR, work_day_type=WorkDayType.EVERY_DAY,
                        work_start=time(8), work_end=time(18), starts_at=at(2026, 5, 6, 9, 30))
    got = _days(schedule, at(2026, 5, 6, 9, 30), at(2026, 5, 8))
    assert got == [("05-06 11:00", "05-06 14:00"), ("05-06 14:00", "05-06 17:00"), ("05-06 17:00", "05-06 18:00"),
                   ("05-07 08:00", "05-07 11:00"), ("05-07 11:00", "05-07 14:00"), ("05-07 14:00", "05-07 17:00"),
                   ("05-07 17:00", "05-07 18:00")]


def test_hour_cycle_on_working_days_only_and_overnight_hours():
    working = Schedule(cycle=4, cycle_unit=CycleUnit.HOUR, work_day_type=WorkDayType.WORKING_DAYS,
                       work_start=time(8), work_end=time(16), starts_at=at(2026, 5, 1))
    # 05-01 (Fri) is 劳动节, 05-02/03 weekend, 05-04/05 off, 05-06 back to work.
    assert {f[:5] for f, _ in _days(working, at(2026, 5, 1), at(2026, 5, 7))} == {"05-06"}
    night = Schedule(cycle=6, cycle_unit=CycleUnit.HOUR, work_start=time(20), work_end=time(8),
                     starts_at=at(2026, 5, 6))
    # The night shift of 05-05 still has its 02:00 window after the task's start.
    assert _days(night, at(2026, 5, 6), at(2026, 5, 7, 12)) == [
        ("05-06 02:00", "05-06 08:00"), ("05-06 20:00", "05-07 02:00"), ("05-07 02:00", "05-07 08:00")]


def test_monthly_from_the_31st_falls_on_the_last_day_of_shorter_months():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 3) == date(2026, 4, 30)
    schedule = Schedule(cycle=1, cycle_unit=CycleUnit.MONTH, starts_at=at(2026, 1, 31, 9))
    got = _days(schedule, at(2026, 1, 31), at(2026, 6, 1))
    assert got == [("01-31 09:00", "02-28 00:00"), ("02-28 00:00", "03-31 00:00"), ("03-31 00:00", "04-30 00:00"),
                   ("04-30 00:00", "05-31 00:00"), ("05-31 00:00", "06-30 00:00")]
    quarterly = Schedule(cycle=3, cycle_unit=CycleUnit.MONTH, starts_at=at(2026, 1, 31))
    assert [f for f, _ in _days(quarterly, at(2026, 5, 1), at(2027, 1, 1))] == ["07-31 00:00", "10-31 00:00"]
    yearly = Schedule(cycle=1, cycle_unit=CycleUnit.YEAR, starts_at=at(2026, 3, 15))
    assert _days(yearly, at(2026, 3, 15), at(2027, 3, 16)) == [("03-15 00:00", "03-15 00:00"),
                                                               ("03-15 00:00", "03-15 00:00")]


def test_end_date_stops_windows_and_closes_the_last_one():
    schedule = Schedule(cycle=1, cycle_unit=CycleUnit.MONTH, starts_at=at(2026, 1, 10), ends_on=date(2026, 2, 20))
    assert _days(schedule, at(2026, 1, 1), at(2026, 6, 1)) == [("01-10 00:00", "02-10 00:00"),
                                                               ("02-10 00:00", "02-21 00:00")]


def test_an_uncovered_year_stops_a_working_day_task_but_not_an_every_day_one():
    far = Schedule(cycle=1, cycle_unit=CycleUnit.DAY, work_day_type=WorkDayType.WORKING_DAYS,
                   starts_at=at(2099, 1, 1))
    with pytest.raises(generation.CalendarGap):
        list(windows(far, at(2099, 1, 1), at(2099, 1, 3), default_calendar()))
    every = Schedule(cycle=1, cycle_unit=CycleUnit.DAY, starts_at=at(2099, 1, 1))
    assert len(list(windows(every, at(2099, 1, 1), at(2099, 1, 3), default_calendar()))) == 2


# --- the nightly run against the database -------------------------------------------------------------------


@pytest.fixture
def point(cast):
    return risk_point(cast["inside"])


def test_nightly_run_creates_today_and_tomorrow_once_and_keeps_the_totals(cast, point):
    creator = cast["users"]["enterprise_user"]
    daily = task(point, creator, starts_at=at(2026, 10, 9), days=WorkDayType.WORKING_DAYS)
    hourly = task(point, creator, cycle=2, unit=CycleUnit.HOUR, work=hours(8, 12), starts_at=at(2026, 10, 9))
    with time_machine.travel(at(2026, 10, 9, 0, 20), tick=False):
        first = generation.generate_instances()
        again = generation.generate_instances()
    # 10-09 (Fri) and 10-10 (make-up Saturday) for the working-day task; 2 windows a day for the hourly one.
    assert first == {"tasks": 2, "created": 2 + 4, "calendar_gaps": 0}
    assert again == {"tasks": 0, "created": 0, "calendar_gaps": 0}
    assert TaskInstance.objects.filter(task=daily).count() == 2
    assert TaskInstance.objects.filter(task=hourly).count() == 4
    daily.refresh_from_db()
    assert daily.generated_until == at(2026, 10, 11)
    totals = dict(TaskDailyTotal.objects.values_list("day", "due"))
    assert totals == {date(2026, 10, 9): 3, date(2026, 10, 10): 3}
    # A run that overlaps (generated_until reset, as a concurrent run would see it) inserts nothing twice.
    InvestigationTask.objects.update(generated_until=None)
    with time_machine.travel(at(2026, 10, 10, 0, 20), tick=False):
        later = generation.generate_instances()
    # Only 10-11's windows are new: a Sunday, so only the hourly task's two.
    assert later["created"] == 2
    assert dict(TaskDailyTotal.objects.values_list("day", "due")) == {
        date(2026, 10, 9): 3, date(2026, 10, 10): 3, date(2026, 10, 11): 2}
    instance = TaskInstance.objects.filter(task=daily).first()
    assert (instance.enterprise_id, instance.township_id, instance.industry_id) == (
        point.enterprise_id, point.township_id, point.industry_id)


def test_missed_instances_are_recorded_counted_and_audited_once(cast, point):
    task(point, cast["users"]["enterprise_user"], starts_at=at(2026, 3, 30))
    with time_machine.travel(at(2026, 3, 30, 0, 20), tick=False):
        generation.generate_instances()
    with time_machine.travel(at(2026, 3, 31, 0, 5), tick=False):
        assert generation.mark_missed() == {"missed": 1}
        assert generation.mark_missed() == {"missed": 0}
    missed = TaskInstance.objects.get(state=InstanceState.MISSED)
    assert missed.due_from == at(2026, 3, 30) and missed.missed_at == at(2026, 3, 31, 0, 5)
    assert TaskInstance.objects.filter(state=InstanceState.DUE).count() == 1
    total = TaskDailyTotal.objects.get(day=date(2026, 3, 30))
    assert (total.due, total.done, total.missed) == (1, 0, 1)
    assert AuditEvent.objects.filter(verb="risk-task.mark-missed").count() == 1


def test_stopped_and_ended_tasks_get_no_new_instances(cast, point):
    creator = cast["users"]["enterprise_user"]
    task(point, creator, starts_at=at(2026, 3, 1), is_active=False)
    task(point, creator, starts_at=at(2026, 3, 1), ends_on=date(2026, 3, 1))
    with time_machine.travel(at(2026, 3, 1, 0, 20), tick=False):
        assert generation.generate_instances()["created"] == 1
    with time_machine.travel(at(2026, 3, 2, 0, 20), tick=False):
        assert generation.generate_instances()["created"] == 0


def test_celery_job_runs_generation_and_missed(cast, point):
    from shouye.risks import tasks as jobs
    task(point, cast["users"]["enterprise_user"], starts_at=at(2026, 4, 1))
    with time_machine.travel(at(2026, 4, 1, 0, 20), tick=False):
        assert jobs.generate_instances.delay().get() == {"tasks": 1, "created": 2, "calendar_gaps": 0, "missed": 0}
    with time_machine.travel(at(2026, 4, 2, 1, 5), tick=False):
        assert jobs.mark_missed.delay().get() == {"missed": 1}


def test_a_working_day_task_waits_at_a_year_the_calendar_does_not_cover(cast, point):
    creator = cast["users"]["enterprise_user"]
    waiting = task(point, creator, starts_at=at(2099, 1, 1), days=WorkDayType.WORKING_DAYS)
    task(point, creator, starts_at=at(2099, 1, 1))
    with time_machine.travel(at(2099, 1, 1, 0, 20), tick=False):
        assert generation.generate_instances() == {"tasks": 2, "created": 2, "calendar_gaps": 1}
    waiting.refresh_from_db()
    assert waiting.generated_until == at(2099, 1, 1) and not waiting.instances.exists()
