"""The task engine: the windows of an investigation task, the nightly run that creates their instances, and
the step that records the instances whose window closed undone as missed (issue 11: the risk list drives
real, scheduled work; nothing is silently dropped).

Windows (all in the site's zone, Asia/Shanghai; an instance is due in [``due_from``, ``due_by``)):

- **hours** (REGULATIONS-2 §A.6: workStartTime/workEndTime required): on every allowed day, one window every
  ``cycle`` hours from the start of the working hours; each ends when the next begins, the day's last one at
  the end of the working hours. Working hours that end at or before they start run past midnight.
- **days**: one window per ``cycle`` allowed days, counted from the start date; it opens at 00:00 of its first
  day and closes at the end of its ``cycle``-th allowed day. A "working days" daily task so has no instance on
  a holiday or a weekend and has one on an official make-up working Saturday (调休), as the work calendar
  (``shouye.workcalendar``) says.
- **months / years**: one window per ``cycle`` months (years), opening on the start date's day of the month;
  on a month without that day (the 31st, 29 February) it opens on the month's last day. It closes when the
  next opens. Allowed days do not apply: a window of a month contains working and non-working days alike.

The first window never opens before the task's start (it is shortened to it), and no window opens after the
task's end date; the last one closes at the end of that date at the latest.

The day an instance "falls due" (``TaskDailyTotal.day``) is the local date its window opens.

Idempotent: each task records how far its instances were created (``generated_until``), a window is created
only from there on, and the unique (task, due_from) makes an overlapping or interrupted run insert nothing
twice (``INSERT … ON CONFLICT DO NOTHING``); the daily totals are raised only by the rows that were inserted.
The tasks are streamed in batches (``.iterator()``), each batch's instances committed with their totals, so
memory stays flat whatever the number of tasks; ``generated_until`` is advanced once at the end.

Missed: instances still due when their window has closed are marked missed (``missed_at``), counted in the
daily totals, and one summary audit event is written per run that marked any — they are never deleted.

Before holidays and key periods (应急厅〔2021〕12号 Art. 5(5), REGULATIONS-2 §B.2: the technical responsible
person's investigation is mandatory before 重大活动、重点时段和节假日 [C]): a task flagged ``before_key_periods``
gets one more instance in [period start − SHOUYE_MHI_PRE_HOLIDAY_DAYS days, period start) before each public
holiday period of the work calendar (a run of days off holding a weekday off; a weekend alone is not one) and
before each special period the bureau declares that applies to the task's enterprise (重大活动、重点时段:
``workcalendar.SpecialPeriod``) — unless an instance of the task was already done within that window. How many days "before" means is [U]
(default 7, a setting). The run creates it, as any window, once it opens before the horizon; the unique
(task, due_from) keeps it single, and a regular window opening the same moment stands for it."""

from __future__ import annotations

import calendar as pycalendar
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from shouye.audit import services as audit
from shouye.rules.errors import RuleInputError
from shouye.workcalendar.selectors import special_periods_overlapping, work_calendar

from .choices import CycleUnit, InstanceState, WorkDayType
from .liveness_summary import add_to_summaries
from .models import InvestigationTask, TaskDailyTotal, TaskInstance

logger = logging.getLogger(__name__)

#: Tasks read and committed together; rows inserted per statement.
BATCH_SIZE = 2000
INSERT_CHUNK = 500


class CalendarGap(Exception):
    """The work calendar has no entry for ``day``'s year: a working-day task cannot be scheduled past it."""

    def __init__(self, day: date):
        self.day = day
        super().__init__(day.isoformat())


@dataclass(frozen=True)
class Schedule:
    """What the windows of a task depend on (the task's own fields)."""

    cycle: int
    cycle_unit: str
    work_day_type: str = WorkDayType.EVERY_DAY
    work_start: time | None = None
    work_end: time | None = None
    starts_at: datetime | None = None
    ends_on: date | None = None


def _zone():
    """The site's zone (settings.TIME_ZONE, Asia/Shanghai), read once per call from Django's cache: the run
    converts millions of moments, and the active-zone lookup of ``timezone.localtime`` was a sixth of it."""
    return timezone.get_default_timezone()


def local_at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=_zone())


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=_zone())


def local_date(moment: datetime) -> date:
    return moment.astimezone(_zone()).date()


def default_horizon(now: datetime) -> datetime:
    """The end of tomorrow (Asia/Shanghai): the nightly run creates today's and tomorrow's windows, so a task
    shows on the phone the day before it is due and a late run still catches up."""
    return local_midnight(local_date(now) + timedelta(days=2))


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, on the month's last day when it has no such day (31 → 30, 28 or 29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


class _Days:
    """Which days a schedule may use, from the work calendar (an uncovered year raises :class:`CalendarGap`)."""

    def __init__(self, work_day_type: str, calendar):
        self.type = work_day_type
        self.calendar = calendar

    def allowed(self, day: date) -> bool:
        if self.type == WorkDayType.EVERY_DAY:
            return True
        try:
            workday = self.calendar.is_workday(day)
        except RuleInputError as exc:
            raise CalendarGap(day) from exc
        return workday if self.type == WorkDayType.WORKING_DAYS else not workday


def windows(schedule: Schedule, since: datetime, until: datetime, calendar=None) -> Iterator[tuple[datetime, datetime]]:
    """The windows ``(due_from, due_by)`` of ``schedule`` that open in [``since``, ``until``), in order.
    Raises :class:`CalendarGap` (after yielding the windows before it) at a day the work calendar cannot
    answer for."""
    start = schedule.starts_at
    since = max(since, start)
    if since >= until:
        return
    end_limit = local_midnight(schedule.ends_on + timedelta(days=1)) if schedule.ends_on else None
    if end_limit is not None:
        until = min(until, end_limit)
        if since >= until:
            return
    days = _Days(schedule.work_day_type, calendar)
    if schedule.cycle_unit == CycleUnit.HOUR:
        produced = _hour_windows(schedule, since, until, days)
    elif schedule.cycle_unit == CycleUnit.DAY:
        produced = _day_windows(schedule, since, until, days)
    else:
        months = schedule.cycle * (12 if schedule.cycle_unit == CycleUnit.YEAR else 1)
        produced = _month_windows(schedule, since, until, months)
    for due_from, due_by in produced:
        yield due_from, min(due_by, end_limit) if end_limit is not None else due_by


def _hour_windows(schedule, since, until, days) -> Iterator[tuple[datetime, datetime]]:
    step = timedelta(hours=schedule.cycle)
    overnight = schedule.work_end <= schedule.work_start
    day = local_date(since) - timedelta(days=1 if overnight else 0)
    last = local_date(until)
    while day <= last:
        if days.allowed(day):
            opens = local_at(day, schedule.work_start)
            closes = local_at(day + timedelta(days=1 if overnight else 0), schedule.work_end)
            slot = opens
            while slot < closes and slot < until:
                if slot >= since:
                    yield slot, min(slot + step, closes)
                slot += step
        day += timedelta(days=1)


def _day_windows(schedule, since, until, days) -> Iterator[tuple[datetime, datetime]]:
    first = local_date(schedule.starts_at)
    day, last = local_date(since), local_date(until - timedelta(microseconds=1))
    if schedule.cycle == 1:
        while day <= last:
            if days.allowed(day):
                opens = max(local_midnight(day), schedule.starts_at)
                if since <= opens < until:
                    yield opens, local_midnight(day + timedelta(days=1))
            day += timedelta(days=1)
        return
    # Every ``cycle`` allowed days, counted from the start date: find the place of ``since`` in that count.
    count, cursor = 0, first
    while cursor < day:
        count += days.allowed(cursor)
        cursor += timedelta(days=1)
    while day <= last:
        if days.allowed(day):
            if count % schedule.cycle == 0:
                opens = max(local_midnight(day), schedule.starts_at)
                closing, remaining = day, schedule.cycle - 1
                while remaining:
                    closing += timedelta(days=1)
                    remaining -= days.allowed(closing)
                if since <= opens < until:
                    yield opens, local_midnight(closing + timedelta(days=1))
            count += 1
        day += timedelta(days=1)


def _month_windows(schedule, since, until, months) -> Iterator[tuple[datetime, datetime]]:
    first = local_date(schedule.starts_at)
    since_day = local_date(since)
    index = max(0, ((since_day.year - first.year) * 12 + since_day.month - first.month) // months - 1)
    while True:
        opens_on = add_months(first, index * months)
        opens = max(local_midnight(opens_on), schedule.starts_at)
        if opens >= until:
            return
        if opens >= since:
            yield opens, local_midnight(add_months(first, (index + 1) * months))
        index += 1


# --- the nightly run -----------------------------------------------------------------------------------------


_TASK_FIELDS = ("pk", "enterprise_id", "township_id", "industry_id", "assignee_id", "cycle", "cycle_unit",
                "work_day_type", "work_start", "work_end", "starts_at", "ends_on", "generated_until")
#: Positions of the fields in a streamed task row (tuples: a dict per task was a tenth of the run).
(_PK, _ENTERPRISE, _TOWNSHIP, _INDUSTRY, _ASSIGNEE, _CYCLE, _CYCLE_UNIT, _WORK_DAY_TYPE, _WORK_START, _WORK_END,
 _STARTS_AT, _ENDS_ON, _GENERATED_UNTIL) = range(len(_TASK_FIELDS))


@dataclass
class RunResult:
    tasks: int = 0
    created: int = 0
    calendar_gaps: int = 0

    def as_dict(self) -> dict:
        return {"tasks": self.tasks, "created": self.created, "calendar_gaps": self.calendar_gaps}


def tasks_to_generate(horizon: datetime):
    """Active tasks that start before ``horizon`` and whose instances are not yet created up to it, except
    those whose end date passed before they were last generated."""
    zone = _zone()
    return (InvestigationTask.objects.filter(is_active=True, starts_at__lt=horizon)
            .filter(Q(generated_until__isnull=True) | Q(generated_until__lt=horizon))
            .annotate(generated_day=TruncDate("generated_until", tzinfo=zone))
            .filter(Q(ends_on__isnull=True) | Q(generated_until__isnull=True) | Q(generated_day__lte=F("ends_on")))
            .order_by("enterprise_id", "pk"))


def generate_instances(*, now: datetime | None = None, horizon: datetime | None = None,
                       tasks=None, batch_size: int = BATCH_SIZE) -> dict:
    """Create every instance of the active tasks whose window opens before ``horizon`` (default: the end of
    tomorrow), from each task's ``generated_until`` on. ``tasks`` narrows the run to a queryset of tasks (a
    task just set up is generated at once). Answers ``{"tasks", "created", "calendar_gaps"}``."""
    now = now or timezone.now()
    horizon = horizon or default_horizon(now)
    calendar = work_calendar()
    queryset = tasks_to_generate(horizon)
    if tasks is not None:
        queryset = queryset.filter(pk__in=tasks.values("pk"))
    result = RunResult()
    batch: list[tuple] = []
    stopped: dict[int, datetime] = {}
    last_pk = 0
    for row in queryset.values_list(*_TASK_FIELDS).iterator(chunk_size=batch_size):
        batch.append(row)
        last_pk = max(last_pk, row[_PK])
        if len(batch) >= batch_size:
            _generate_batch(batch, horizon, calendar, result, stopped)
            batch = []
    if batch:
        _generate_batch(batch, horizon, calendar, result, stopped)
    _advance(queryset, horizon, last_pk, stopped)
    result.created += generate_pre_period_instances(now=now, horizon=horizon, calendar=calendar, tasks=tasks)
    if result.calendar_gaps:
        logger.warning("risk tasks: %d working-day tasks wait for the work calendar of a coming year",
                       result.calendar_gaps)
    return result.as_dict()


def _advance(queryset, horizon: datetime, last_pk: int, stopped: dict[int, datetime]) -> None:
    """Record how far the run went: ``horizon`` for every task it read (one statement: one per batch cost a
    third of the run at 500,000 tasks), and the first uncovered day for a task the work calendar stopped. A
    task set up while the run went (a higher id) is left to the next run or to its own set-up's generation.
    Should the run stop before this, the next one reads the same tasks again and inserts nothing twice."""
    with transaction.atomic():
        queryset.filter(pk__lte=last_pk).exclude(pk__in=list(stopped)).order_by().update(generated_until=horizon)
        for pk, until in stopped.items():
            InvestigationTask.objects.filter(pk=pk).filter(
                Q(generated_until__isnull=True) | Q(generated_until__lt=until)).update(generated_until=until)


@dataclass(frozen=True)
class Window:
    """A window as the run stores it: its moments, the same as whole microseconds since the epoch, and its
    day (the local date it opens)."""

    due_from: datetime
    due_by: datetime
    from_micros: int
    by_micros: int
    day: date


def _window_key(task: tuple, since: datetime) -> tuple:
    """What the windows of ``task`` from ``since`` depend on. Tasks of one schedule generated to the same point
    share their windows (most of a district's tasks are daily ones read at the same ``generated_until``), so
    a batch computes each set once: the start date matters to an hour cycle and a daily one only through
    ``since`` (and on its own first day), to the other cycles through their phase."""
    start = task[_STARTS_AT]
    common = (task[_CYCLE], task[_CYCLE_UNIT], task[_WORK_DAY_TYPE], task[_WORK_START], task[_WORK_END],
              task[_ENDS_ON])
    if task[_CYCLE_UNIT] == CycleUnit.HOUR or (task[_CYCLE_UNIT] == CycleUnit.DAY and task[_CYCLE] == 1):
        effective = max(since, start)
        first_day = start if start >= local_midnight(local_date(effective)) else None
        return (*common, effective, first_day)
    return (*common, since, start)


def _windows_of(task: tuple, since: datetime, horizon: datetime, calendar) -> tuple[list[Window], CalendarGap | None]:
    schedule = Schedule(cycle=task[_CYCLE], cycle_unit=task[_CYCLE_UNIT], work_day_type=task[_WORK_DAY_TYPE],
                        work_start=task[_WORK_START], work_end=task[_WORK_END], starts_at=task[_STARTS_AT],
                        ends_on=task[_ENDS_ON])
    found, gap = [], None
    try:
        for due_from, due_by in windows(schedule, since, horizon, calendar):
            found.append(Window(due_from, due_by, _micros(due_from), _micros(due_by), local_date(due_from)))
    except CalendarGap as stop:
        gap = stop
    return found, gap


def _generate_batch(tasks: list[tuple], horizon: datetime, calendar, result: RunResult,
                    stopped: dict[int, datetime]) -> None:
    rows: list[tuple[tuple, Window]] = []
    shared: dict[tuple, tuple[list[Window], CalendarGap | None]] = {}
    for task in tasks:
        since = task[_GENERATED_UNTIL] or task[_STARTS_AT]
        key = _window_key(task, since)
        if key not in shared:
            shared[key] = _windows_of(task, since, horizon, calendar)
        found, gap = shared[key]
        rows.extend((task, window) for window in found)
        if gap is not None:
            stopped[task[_PK]] = local_midnight(gap.day)
            result.calendar_gaps += 1
    with transaction.atomic():
        inserted = _insert_instances(rows)
        add_to_totals(inserted, "due")
    result.tasks += len(tasks)
    result.created += sum(inserted.values())


def _insert_instances(rows: list[tuple[tuple, Window]]) -> dict[tuple, int]:
    """Insert the windows, skipping those that exist; answers how many were inserted per (enterprise,
    township, industry, day)."""
    table = TaskInstance._meta.db_table
    quote = connection.ops.quote_name
    columns = ("enterprise_id", "township_id", "industry_id", "task_id", "assignee_id", "due_from", "due_by",
               "state")
    adapt = connection.ops.adapt_datetimefield_value
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    counts: dict[tuple, int] = defaultdict(int)
    if connection.vendor == "postgresql":
        return _insert_instances_postgresql(rows, table, columns, counts)
    for offset in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[offset:offset + INSERT_CHUNK]
        params, keys = [], {}
        for task, window in chunk:
            params.extend((task[_ENTERPRISE], task[_TOWNSHIP], task[_INDUSTRY], task[_PK],
                           task[_ASSIGNEE], adapt(window.due_from), adapt(window.due_by), InstanceState.DUE))
            keys[(task[_PK], window.from_micros)] = (task[_ENTERPRISE], task[_TOWNSHIP],
                                                      task[_INDUSTRY], window.day)
        sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
               f"{', '.join([placeholders] * len(chunk))} ON CONFLICT ({quote('task_id')}, {quote('due_from')}) "
               f"DO NOTHING RETURNING {quote('task_id')}, {quote('due_from')}")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for task_id, due_from in cursor.fetchall():
                counts[keys[(task_id, _micros(_as_aware(due_from)))]] += 1
    return counts


def _insert_instances_postgresql(rows, table: str, columns: tuple, counts: dict) -> dict[tuple, int]:
    """The same insert as one statement per batch over arrays (``unnest``): eight parameters whatever the
    number of rows, so neither the driver nor the server parses thousands of placeholders. Moments travel as
    whole microseconds since the epoch: exact both ways, and cheap to send and read."""
    if not rows:
        return counts
    quote = connection.ops.quote_name
    keys = {}
    enterprises, townships, industries, task_ids, assignees, froms, bys = [], [], [], [], [], [], []
    for task, window in rows:
        enterprises.append(task[_ENTERPRISE])
        townships.append(task[_TOWNSHIP])
        industries.append(task[_INDUSTRY])
        task_ids.append(task[_PK])
        assignees.append(task[_ASSIGNEE])
        froms.append(window.from_micros)
        bys.append(window.by_micros)
        keys[(task[_PK], window.from_micros)] = (task[_ENTERPRISE], task[_TOWNSHIP], task[_INDUSTRY],
                                                  window.day)
    epoch = "TIMESTAMPTZ 'epoch' + interval '1 microsecond' * "
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
           f"SELECT e, t, i, k, a, {epoch}f, {epoch}b, %s FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], "
           f"%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) AS r(e, t, i, k, a, f, b) "
           f"ON CONFLICT ({quote('task_id')}, {quote('due_from')}) DO NOTHING "
           f"RETURNING {quote('task_id')}, (EXTRACT(EPOCH FROM {quote('due_from')}) * 1000000)::bigint")
    with connection.cursor() as cursor:
        cursor.execute(sql, [InstanceState.DUE, enterprises, townships, industries, task_ids, assignees, froms, bys])
        for task_id, due_from in cursor.fetchall():
            counts[keys[(task_id, due_from)]] += 1
    return counts


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def add_to_totals(counts: dict[tuple, int], column: str, *, last_done_at: datetime | None = None) -> None:
    """Raise ``column`` (due, done or missed) of the enterprise-days in ``counts`` ({(enterprise, township,
    industry, day): n}) by n: one upsert per enterprise-day, so concurrent acts add up instead of
    overwriting each other. ``last_done_at`` moves the enterprise-day's last completion forward. Today's
    liveness summaries take the same change (``liveness_summary``)."""
    if not counts:
        return
    assert column in ("due", "done", "missed")
    table = connection.ops.quote_name(TaskDailyTotal._meta.db_table)
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    items = list(counts.items())
    for offset in range(0, len(items), INSERT_CHUNK):
        chunk = items[offset:offset + INSERT_CHUNK]
        params = []
        for (enterprise_id, township_id, industry_id, day), n in chunk:
            params.extend((connection.ops.adapt_datefield_value(day), enterprise_id, township_id, industry_id,
                           n if column == "due" else 0, n if column == "done" else 0,
                           n if column == "missed" else 0, adapt(last_done_at)))
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        last = quote("last_done_at")
        greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        sql = (f"INSERT INTO {table} ({quote('day')}, {quote('enterprise_id')}, {quote('township_id')}, "
               f"{quote('industry_id')}, {quote('due')}, {quote('done')}, {quote('missed')}, {last}) "
               f"VALUES {placeholders} ON CONFLICT ({quote('enterprise_id')}, {quote('day')}) DO UPDATE SET "
               f"{quote(column)} = {table}.{quote(column)} + excluded.{quote(column)}, "
               f"{last} = CASE WHEN {table}.{last} IS NULL THEN excluded.{last} "
               f"WHEN excluded.{last} IS NULL THEN {table}.{last} "
               f"ELSE {greatest}({table}.{last}, excluded.{last}) END")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    add_to_summaries(counts, column, last_done_at=last_done_at)


# --- before holidays and key periods ----------------------------------------------------------------------


#: How far before a day the search for the start of its days off goes (the longest public holiday period,
#: with the weekend around it, is 8–9 days).
LONGEST_HOLIDAY_DAYS = 12


@dataclass(frozen=True)
class KeyPeriod:
    """A public holiday period (its first and last day off) or a period the bureau declares."""

    start: date
    end: date

    def window(self, pre_days: int) -> tuple[datetime, datetime]:
        """The window of the instance due before it: [start − ``pre_days`` days, start)."""
        return local_midnight(self.start - timedelta(days=pre_days)), local_midnight(self.start)


def holiday_periods(first: date, last: date, calendar=None) -> list[KeyPeriod]:
    """The public holiday periods starting in [``first``, ``last``]: runs of days off of the work calendar
    holding a weekday off (调休 working Saturdays count as working days). The search stops quietly at a year
    the calendar does not cover: a holiday is never guessed."""
    calendar = calendar if calendar is not None else work_calendar()
    found: list[KeyPeriod] = []
    day = first
    try:
        while day <= last + timedelta(days=LONGEST_HOLIDAY_DAYS):
            if day.weekday() < 5 and not calendar.is_workday(day):
                start, end = day, day
                while not calendar.is_workday(start - timedelta(days=1)):
                    start -= timedelta(days=1)
                while not calendar.is_workday(end + timedelta(days=1)):
                    end += timedelta(days=1)
                if first <= start <= last:
                    found.append(KeyPeriod(start=start, end=end))
                day = end
            day += timedelta(days=1)
    except RuleInputError:
        pass
    return found


def pre_period_days() -> int:
    return settings.SHOUYE_MHI_PRE_HOLIDAY_DAYS


def generate_pre_period_instances(*, now: datetime, horizon: datetime, calendar=None, tasks=None) -> int:
    """Create the instance of every active ``before_key_periods`` task (``tasks`` narrows them) before each
    key period that has not begun and whose window opens before ``horizon``: the public holiday periods, and
    the special periods the bureau declared (``workcalendar.SpecialPeriod``, not cancelled) that apply to the
    task's enterprise. Answers how many were created. A task that starts within the window has its instance
    from its start; one that starts at or after the period, or ends before the window, has none; one done
    within the window has none."""
    pre_days = pre_period_days()
    first = local_date(now) + timedelta(days=1)
    last = local_date(horizon - timedelta(microseconds=1)) + timedelta(days=pre_days)
    holidays = holiday_periods(first, last, calendar)
    # The same rule as ``special_periods_for`` (township and industry), read once for every enterprise.
    specials = [period for period in special_periods_overlapping(first, last) if first <= period.starts_on <= last]
    if not holidays and not specials:
        return 0
    latest = max([period.start for period in holidays] + [period.starts_on for period in specials])
    queryset = InvestigationTask.objects.filter(is_active=True, before_key_periods=True,
                                                starts_at__lt=local_midnight(latest))
    if tasks is not None:
        queryset = queryset.filter(pk__in=tasks.values("pk"))

    def periods_of(task: tuple) -> list[KeyPeriod]:
        own = [KeyPeriod(start=period.starts_on, end=period.ends_on) for period in specials
               if period.applies_to(township_id=task[_TOWNSHIP], industry_id=task[_INDUSTRY])]
        starts = {period.start for period in holidays}
        return holidays + [period for period in own if period.start not in starts]

    created = 0
    rows = list(queryset.order_by("pk").values_list(*_TASK_FIELDS))
    for offset in range(0, len(rows), BATCH_SIZE):
        created += _insert_pre_period(rows[offset:offset + BATCH_SIZE], periods_of, pre_days)
    return created


def _insert_pre_period(tasks: list[tuple], periods_of, pre_days: int) -> int:
    wanted = [(task, period.window(pre_days)) for task in tasks for period in periods_of(task)]
    if not wanted:
        return 0
    earliest = min(opens for _task, (opens, _closes) in wanted)
    latest = max(closes for _task, (_opens, closes) in wanted)
    done: dict[int, list[datetime]] = defaultdict(list)
    for task_id, done_at in TaskInstance.objects.filter(
            task_id__in={task[_PK] for task in tasks}, state=InstanceState.DONE, done_at__gte=earliest,
            done_at__lt=latest).values_list("task_id", "done_at"):
        done[task_id].append(done_at)
    rows: list[tuple[tuple, Window]] = []
    for task, (opens, closes) in wanted:
        opens = max(opens, task[_STARTS_AT])
        if opens >= closes or (task[_ENDS_ON] is not None and task[_ENDS_ON] < local_date(opens)):
            continue
        if any(opens <= moment < closes for moment in done[task[_PK]]):
            continue
        rows.append((task, Window(opens, closes, _micros(opens), _micros(closes), local_date(opens))))
    with transaction.atomic():
        inserted = _insert_instances(rows)
        add_to_totals(inserted, "due")
    return sum(inserted.values())


# --- missed --------------------------------------------------------------------------------------------------


def mark_missed(*, now: datetime | None = None) -> dict:
    """Record as missed every instance still due whose window closed at or before ``now``: ``missed_at`` set,
    the daily totals' ``missed`` raised, one summary audit event (``risk-task.mark-missed``) when any was.
    Idempotent: a second run finds nothing still due."""
    now = now or timezone.now()
    table = connection.ops.quote_name(TaskInstance._meta.db_table)
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    counts: dict[tuple, int] = defaultdict(int)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {quote('state')} = %s, {quote('missed_at')} = %s "
                f"WHERE {quote('state')} = %s AND {quote('due_by')} <= %s "
                f"RETURNING {quote('enterprise_id')}, {quote('township_id')}, {quote('industry_id')}, "
                f"{quote('due_from')}",
                [InstanceState.MISSED, adapt(now), InstanceState.DUE, adapt(now)])
            for enterprise_id, township_id, industry_id, due_from in cursor:
                counts[(enterprise_id, township_id, industry_id, local_date(_as_aware(due_from)))] += 1
        add_to_totals(counts, "missed")
        missed = sum(counts.values())
        if missed:
            by_enterprise: dict[int, int] = defaultdict(int)
            for (enterprise_id, *_rest), n in counts.items():
                by_enterprise[enterprise_id] += n
            audit.record(actor=None, actor_name="system", verb="risk-task.mark-missed", changes={
                "at": now.isoformat(), "missed": missed, "enterprises": len(by_enterprise)})
    return {"missed": missed}


def _as_aware(value) -> datetime:
    """A datetime a raw query returns: aware on PostgreSQL, naive UTC (or its text) on SQLite."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)
