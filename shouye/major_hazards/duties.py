"""When a responsible person's duty is due, and which are overdue (应急厅〔2021〕12号; REGULATIONS-2 §A.5, §B.2).

One small module so that it can move to the shared investigation-task engine (the ``risks`` app) when the
duties become tasks there. A duty item is due ``frequency_days`` after it was last done, or after the person
was appointed when never done; it is overdue when that day has passed. The frequencies are data
(:class:`~shouye.major_hazards.models.DutyItem`): technical 90 days [C], principal 90 and operational 7 [U]
defaults.

Before holidays (Art. 5(5): the technical person's investigation is mandatory before 重大活动、重点时段和节假日
[C]): an item flagged ``before_key_periods`` is also due on the eve of a public holiday period (a run of days
off of the work calendar holding a weekday off) unless it was done within the SHOUYE_MHI_PRE_HOLIDAY_DAYS
before the period starts; how many days "before" counts is [U] (default 7). It becomes overdue once the
holiday has begun without it, until done. Major events and key periods are not in any calendar the platform
has: the bureau announces them, and they are not scheduled here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import BigIntegerField, Count, F, Max, Q
from django.db.models.functions import Cast
from django.utils import timezone

from shouye.rules.errors import RuleInputError

from .models import DutyItem, DutyRecord, ResponsiblePerson

#: How far back the search for a holiday under way starts (the longest public holiday period is 8–9 days).
LONGEST_HOLIDAY_DAYS = 12


@dataclass(frozen=True)
class Holiday:
    """A public holiday period: its first and last day off."""

    start: date
    end: date

    @property
    def window_start(self) -> date:
        """From this day on, a duty done counts as done before the holiday."""
        return self.start - timedelta(days=settings.SHOUYE_MHI_PRE_HOLIDAY_DAYS)


def holiday_ahead(today: date, calendar=None) -> Holiday | None:
    """The public holiday period under way today or starting within SHOUYE_MHI_PRE_HOLIDAY_DAYS; None when
    there is none or the work calendar does not cover the dates (never a guess)."""
    if calendar is None:
        from shouye.workcalendar.selectors import work_calendar

        calendar = work_calendar()
    try:
        day = today - timedelta(days=LONGEST_HOLIDAY_DAYS)
        last = today + timedelta(days=settings.SHOUYE_MHI_PRE_HOLIDAY_DAYS)
        while day <= last:
            if day.weekday() < 5 and not calendar.is_workday(day):
                start, end = day, day
                while not calendar.is_workday(start - timedelta(days=1)):
                    start -= timedelta(days=1)
                while not calendar.is_workday(end + timedelta(days=1)):
                    end += timedelta(days=1)
                if end >= today:
                    return Holiday(start=start, end=end)
                day = end
            day += timedelta(days=1)
    except RuleInputError:
        return None
    return None


@dataclass(frozen=True)
class DutyStatus:
    person: ResponsiblePerson
    item: DutyItem
    last_done: date | None
    due: date
    #: the holiday period this duty is due before, when that is what makes it due first
    before_holiday: Holiday | None = None

    def overdue_on(self, today: date) -> bool:
        return self.due < today


def due_date(*, appointed_on: date, frequency_days: int, last_done: date | None) -> date:
    """The day the duty falls due: ``frequency_days`` after it was last done, or after the appointment."""
    return (last_done or appointed_on) + timedelta(days=frequency_days)


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _holiday_applies(item: DutyItem, holiday: Holiday | None, today: date) -> bool:
    """Whether ``holiday`` puts a due day on ``item``: a flagged item whose pre-holiday window lies within its
    regular period (otherwise the regular frequency already asks for more)."""
    return (item.before_key_periods and holiday is not None
            and holiday.window_start > today - timedelta(days=item.frequency_days))


def requirement(item: DutyItem, today: date, holiday: Holiday | None) -> tuple[date, date]:
    """``(done_since, appointed_before)``: a person of the item's role is late on it today when appointed
    before ``appointed_before`` and the item was not done since ``done_since``. Regularly both are ``today −
    frequency``; during a holiday the item was due before, the pre-holiday window and the holiday's start."""
    if _holiday_applies(item, holiday, today) and holiday.start <= today:
        return holiday.window_start, holiday.start
    cutoff = today - timedelta(days=item.frequency_days)
    return cutoff, cutoff


def statuses(persons, *, items=None, today: date | None = None) -> list[DutyStatus]:
    """Every active duty item of each current person in ``persons`` (a queryset or list of current
    :class:`ResponsiblePerson`) with its last record and due day; four queries whatever their number."""
    persons = list(persons)
    if not persons:
        return []
    today = today or timezone.localdate()
    holiday = holiday_ahead(today)
    items = list(items if items is not None else DutyItem.objects.filter(active=True))
    last = {(row["person_id"], row["item_id"]): row["last"]
            for row in DutyRecord.objects.filter(person__in=[p.pk for p in persons]).order_by()
            .values("person_id", "item_id").annotate(last=Max("done_at"))}
    found = []
    for person in persons:
        for item in items:
            if item.role != person.role:
                continue
            done = _local_day(last.get((person.pk, item.pk)))
            due = due_date(appointed_on=person.appointed_on, frequency_days=item.frequency_days, last_done=done)
            before = None
            if (_holiday_applies(item, holiday, today) and person.appointed_on < holiday.start
                    and (done is None or done < holiday.window_start)
                    and holiday.start - timedelta(days=1) < due):
                before, due = holiday, holiday.start - timedelta(days=1)
            found.append(DutyStatus(person=person, item=item, last_done=done, due=due, before_holiday=before))
    return found


def overdue(persons, today: date | None = None) -> list[DutyStatus]:
    """The overdue duties of ``persons``, most overdue first."""
    today = today or timezone.localdate()
    return sorted((s for s in statuses(persons, today=today) if s.overdue_on(today)),
                  key=lambda s: (s.due, s.person.pk))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


#: A (person, item) pair as one number for counting distinct pairs: item ids stay far below it.
PAIR_BASE = 1_000_000


def overdue_count(persons, today: date | None = None) -> int:
    """How many duties of ``persons`` (a queryset of current persons) are overdue, in three queries whatever
    their number (the active items, the work calendar, then one aggregate): the (person, item) pairs that are
    due, counted per item over the persons, minus the distinct pairs done in time among their records."""
    today = today or timezone.localdate()
    items = list(DutyItem.objects.filter(active=True))
    if not items:
        return 0
    holiday = holiday_ahead(today)
    needs = {item.pk: (item, *requirement(item, today, holiday)) for item in items}
    in_time = Q()
    for pk, (item, since, before) in needs.items():
        in_time |= Q(role=item.role, appointed_on__lt=before, duty_records__item_id=pk,
                     duty_records__done_at__gte=_start_of(since))
    pair = Cast("duty_records__person_id", BigIntegerField()) * PAIR_BASE + F("duty_records__item_id")
    counts = persons.order_by().aggregate(
        done=Count(pair, filter=in_time, distinct=True),
        **{f"due_{pk}": Count("pk", filter=Q(role=item.role, appointed_on__lt=before), distinct=True)
           for pk, (item, _since, before) in needs.items()})
    done = counts.pop("done") or 0
    return sum(n or 0 for n in counts.values()) - done


#: Persons read per step when looking for the most overdue duties (a to-do list's first few).
SCAN_STEP = 200
SCAN_STEPS = 5


def most_overdue(persons, limit: int, today: date | None = None) -> list[DutyStatus]:
    """Up to ``limit`` overdue duties, most overdue first, among the persons longest in post: read in steps
    of SCAN_STEP persons (at most SCAN_STEPS, so a bounded number of queries) until ``limit`` are found."""
    today = today or timezone.localdate()
    items = list(DutyItem.objects.filter(active=True))
    ordered = persons.order_by("appointed_on", "pk")
    found: list[DutyStatus] = []
    for step in range(SCAN_STEPS):
        chunk = list(ordered[step * SCAN_STEP:(step + 1) * SCAN_STEP])
        found += [s for s in statuses(chunk, items=items, today=today) if s.overdue_on(today)]
        if len(found) >= limit or len(chunk) < SCAN_STEP:
            break
    return sorted(found, key=lambda s: (s.due, s.person.pk))[:limit]
