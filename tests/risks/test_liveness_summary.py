"""The liveness summaries (decision 0013): the bureau's table reads one row an enterprise, kept by the nightly
job and by the task services, and its figures are exactly those counted from the task instances themselves —
before the job, after it, across a day leaving the window, a late completion of an instance due on a past day
and a missed instance."""

from __future__ import annotations

import gc
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.paginator import InvalidPage
from django.db import connection
from django.utils import timezone

from shouye.risks import generation, tasks
from shouye.risks.choices import InstanceState, RiskLevel
from shouye.risks.liveness_summary import refresh_summaries
from shouye.risks.models import EnterpriseLiveness, RiskPoint, TaskInstance
from shouye.risks.selectors.liveness import WINDOW_DAYS, Filters, liveness_page, liveness_rows, sort_rows
from shouye.risks.services import register
from shouye.risks.services import settings as risk_settings
from shouye.risks.services.tasks import complete_instance
from tests.concurrency import at_the_same_moment

from .tasks_fixtures import at, risk_point, task

#: "Today" of the scenario: 2026-10-09, Asia/Shanghai.
TODAY = at(2026, 10, 9).date()


def counted(enterprise, today):
    """The figures counted from the instances and points themselves: due, done and missed among the instances
    due on the 30 days before ``today``, the newest completion of any instance, and the points in use by
    grade."""
    first, last = today - timedelta(days=WINDOW_DAYS), today - timedelta(days=1)
    instances = list(TaskInstance.objects.filter(enterprise=enterprise))
    window = [i for i in instances if first <= timezone.localtime(i.due_from).date() <= last]
    done_at = [i.done_at for i in instances if i.done_at is not None]
    points = Counter(RiskPoint.objects.filter(enterprise=enterprise, is_active=True).exclude(grade="")
                     .values_list("grade", flat=True))
    return (len(window), sum(i.state == InstanceState.DONE for i in window),
            sum(i.state == InstanceState.MISSED for i in window), max(done_at, default=None), dict(points))


def shown(user, enterprise, today):
    row = next(row for row in liveness_rows(user, today=today) if row.enterprise_id == enterprise.pk)
    return row.due, row.done, row.missed, row.last_done_at, row.points


def summary(enterprise):
    row = EnterpriseLiveness.objects.get(enterprise=enterprise)
    points = {grade: getattr(row, f"points_{grade}") for grade in RiskLevel.values if getattr(row, f"points_{grade}")}
    return row.as_of, (row.due, row.done, row.missed, row.last_done_at, points)


def _checks(instance):
    return [{"measure": m.pk, "outcome": "ok", "note": ""} for m in instance.task.measures.order_by("pk")]


@pytest.fixture
def history(cast):
    """The enterprise's history up to 2026-10-09: a daily task since 08-31 (missed up to 10-02, done at 08:00
    the day it was due from 10-03 to 10-08, today's open) on a high risk point, and a weekly task whose window
    opened on 10-06 and is still open."""
    enterprise, officer = cast["inside"], cast["users"]["enterprise_user"]
    daily = task(risk_point(enterprise, code="RP-1"), officer, starts_at=at(2026, 8, 31))
    weekly = task(risk_point(enterprise, code="RP-2"), officer, cycle=7, starts_at=at(2026, 10, 6))
    RiskPoint.objects.filter(code="RP-1").update(grade=RiskLevel.HIGH)
    with time_machine.travel(at(2026, 9, 2, 1), tick=False):
        generation.generate_instances()
        generation.mark_missed()
    for day in range(2, 38):
        moment = at(2026, 9, 1, 8) + timedelta(days=day)
        with time_machine.travel(moment, tick=False):
            generation.generate_instances()
            generation.mark_missed()
            if day >= 32:
                instance = TaskInstance.objects.get(task=daily, due_from__lte=moment, due_by__gt=moment)
                complete_instance(actor=officer, instance=instance, checks=_checks(instance))
    return {"enterprise": enterprise, "officer": officer, "daily": daily, "weekly": weekly}


def test_the_figures_are_those_of_the_instances_before_and_after_the_nightly_job(cast, history):
    staff, enterprise = cast["users"]["bureau_staff"], history["enterprise"]
    with time_machine.travel(at(2026, 10, 9, 9), tick=False):
        expected = counted(enterprise, TODAY)
        assert expected[:3] == (31, 6, 24) and expected[4] == {"high": 1}
        assert not EnterpriseLiveness.objects.exists()
        assert shown(staff, enterprise, TODAY) == expected  # no summary yet: summed from the daily totals
        assert refresh_summaries() == {"summaries": 3, "corrected": 0}
        assert summary(enterprise) == (TODAY, expected)
        assert shown(staff, enterprise, TODAY) == expected


def test_acts_keep_the_summary_of_today_exact(cast, history):
    staff, enterprise, officer = cast["users"]["bureau_staff"], history["enterprise"], history["officer"]
    with time_machine.travel(at(2026, 10, 9, 0, 1), tick=False):
        tasks.refresh_liveness()
    with time_machine.travel(at(2026, 10, 9, 9) + timedelta(microseconds=654321), tick=False):
        # A late completion: the weekly instance fell due on 10-06 (inside the window) and is done today.
        weekly = TaskInstance.objects.get(task=history["weekly"])
        complete_instance(actor=officer, instance=weekly, checks=_checks(weekly))
        # Today's daily instance: not in the window, but the newest completion.
        today = TaskInstance.objects.get(task=history["daily"], due_from=at(2026, 10, 9))
        complete_instance(actor=officer, instance=today, checks=_checks(today))
        expected = counted(enterprise, TODAY)
        assert expected == (31, 7, 24, timezone.now(), {"high": 1})
        assert summary(enterprise) == (TODAY, expected)
        assert shown(staff, enterprise, TODAY) == expected


def test_editing_the_risk_list_recounts_the_points(cast, history):
    staff, enterprise, officer = cast["users"]["bureau_staff"], history["enterprise"], history["officer"]
    with time_machine.travel(at(2026, 10, 9, 9), tick=False):
        refresh_summaries()
        register.set_forced_major(actor=officer, risk_point=history["weekly"].risk_point,
                                  reasons=[risk_settings.FORCED_MAJOR_DEFAULTS[0]])
        register.retire_risk_point(actor=officer, risk_point=history["daily"].risk_point)
        expected = counted(enterprise, TODAY)
        assert expected[4] == {"major": 1}
        assert summary(enterprise) == (TODAY, expected)
        assert shown(staff, enterprise, TODAY) == expected


def test_a_day_leaving_the_window_and_a_missed_instance(cast, history):
    """The next day, between midnight and the job the figures are summed from the daily totals; the job then
    drops 09-09 from the window and takes 10-09 in; the missed instance of 10-09 (the engine's run at 00:20)
    is added to the new summary; a second run corrects nothing."""
    staff, enterprise = cast["users"]["bureau_staff"], history["enterprise"]
    tomorrow = TODAY + timedelta(days=1)
    with time_machine.travel(at(2026, 10, 9, 0, 1), tick=False):
        refresh_summaries()
    with time_machine.travel(at(2026, 10, 10, 0, 0), tick=False):
        assert summary(enterprise)[0] == TODAY
        assert shown(staff, enterprise, tomorrow) == counted(enterprise, tomorrow)
    with time_machine.travel(at(2026, 10, 10, 0, 1), tick=False):
        refresh_summaries()
        assert summary(enterprise) == (tomorrow, counted(enterprise, tomorrow))
    with time_machine.travel(at(2026, 10, 10, 0, 20), tick=False):
        tasks.generate_instances()
        expected = counted(enterprise, tomorrow)
        assert expected[:3] == (31, 6, 24)  # 09-09 missed left, 10-09 missed came in
        assert TaskInstance.objects.get(task=history["daily"], due_from=at(2026, 10, 9)).state == InstanceState.MISSED
        assert summary(enterprise) == (tomorrow, expected)
        assert shown(staff, enterprise, tomorrow) == expected
        assert refresh_summaries()["corrected"] == 0
        assert summary(enterprise) == (tomorrow, expected)


def test_the_nightly_job_is_idempotent_and_puts_a_wrong_row_right(cast, history):
    enterprise = history["enterprise"]
    with time_machine.travel(at(2026, 10, 9, 0, 1), tick=False):
        first = refresh_summaries()
        rows = list(EnterpriseLiveness.objects.order_by("pk").values())
        assert refresh_summaries() == first == {"summaries": 3, "corrected": 0}
        assert list(EnterpriseLiveness.objects.order_by("pk").values()) == rows
        EnterpriseLiveness.objects.filter(enterprise=enterprise).update(done=99)
        assert refresh_summaries()["corrected"] == 1
        assert list(EnterpriseLiveness.objects.order_by("pk").values()) == rows


def test_an_enterprise_without_tasks_has_a_summary_of_zeros(cast, history):
    with time_machine.travel(at(2026, 10, 9, 0, 1), tick=False):
        refresh_summaries()
        assert summary(cast["outside"]) == (TODAY, (0, 0, 0, None, {}))
        row = next(row for row in liveness_rows(cast["users"]["bureau_staff"]) if row.enterprise_id == cast["outside"].pk)
        assert (row.due, row.completion_percent, row.days_since_done) == (0, None, None)


def test_the_table_reads_the_summaries_in_fewer_queries(cast, history, django_assert_num_queries):
    staff = cast["users"]["bureau_staff"]
    staff.active_memberships()
    with time_machine.travel(at(2026, 10, 9, 9), tick=False):
        with django_assert_num_queries(6):
            liveness_rows(staff, Filters())
        refresh_summaries()
        with django_assert_num_queries(3):
            liveness_rows(staff, Filters())
        with django_assert_num_queries(1):
            liveness_rows(staff, Filters(), details=False)


def test_a_whole_district_page_keeps_its_own_rows_and_the_collector_runs_again(cast, history):
    """The page sorted by a figure is the whole table's slice; the garbage collector paused while it is computed
    runs again afterwards, also when the page does not exist."""
    staff = cast["users"]["bureau_staff"]
    with time_machine.travel(at(2026, 10, 9, 9), tick=False):
        refresh_summaries()
        whole = sort_rows(liveness_rows(staff), "-completion")
        pages = [liveness_page(staff, Filters(), "-completion", number, 2) for number in (1, 2)]
        assert [row.enterprise_id for page in pages for row in page] == [row.enterprise_id for row in whole]
        assert pages[0].paginator.count == len(whole) == 3
        assert gc.isenabled()
        with pytest.raises(InvalidPage):
            liveness_page(staff, Filters(inactive_only=True), "", 9, 2, strict=True)
        assert gc.isenabled()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises every write transaction, so two acts can never overlap there")
def test_two_late_completions_at_the_same_moment_are_both_counted(cast, history):
    """Two instances due on past days of the window, done at the same moment: both add to the one summary."""
    enterprise, officer = history["enterprise"], history["officer"]
    other = task(risk_point(enterprise, code="RP-3"), officer, cycle=7, starts_at=at(2026, 10, 5))
    with time_machine.travel(at(2026, 10, 9, 9), tick=False):
        generation.generate_instances()
        refresh_summaries()
        before = summary(enterprise)[1]
        instances = [TaskInstance.objects.get(task=history["weekly"]), TaskInstance.objects.get(task=other)]
        _, errors = at_the_same_moment(*(
            lambda instance=instance: complete_instance(actor=officer, instance=instance, checks=_checks(instance))
            for instance in instances))
        assert not errors, errors
        expected = counted(enterprise, TODAY)
        assert expected[2] == before[2] and expected[1] == before[1] + 2
        assert summary(enterprise) == (TODAY, expected)
