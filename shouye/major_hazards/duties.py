"""When a responsible person's duty is due, and which are overdue (应急厅〔2021〕12号; REGULATIONS-2 §A.5, §B.2).

One small module so that it can move to the shared investigation-task engine (the ``risks`` app) when the
duties become tasks there. A duty item is due ``frequency_days`` after it was last done, or after the person
was appointed when never done; it is overdue when that day has passed. The frequencies are data
(:class:`~shouye.major_hazards.models.DutyItem`): technical 90 days [C], principal 90 and operational 7 [U]
defaults. The technical person's "before major events, key periods and holidays" duty (Art. 5(5)) is flagged
on its items (``before_key_periods``) and shown; it is not yet scheduled against the work calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import add

from django.db.models import Case, Exists, IntegerField, Max, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from .models import DutyItem, DutyRecord, ResponsiblePerson


@dataclass(frozen=True)
class DutyStatus:
    person: ResponsiblePerson
    item: DutyItem
    last_done: date | None
    due: date

    def overdue_on(self, today: date) -> bool:
        return self.due < today


def due_date(*, appointed_on: date, frequency_days: int, last_done: date | None) -> date:
    """The day the duty falls due: ``frequency_days`` after it was last done, or after the appointment."""
    return (last_done or appointed_on) + timedelta(days=frequency_days)


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def statuses(persons, *, items=None) -> list[DutyStatus]:
    """Every active duty item of each current person in ``persons`` (a queryset or list of current
    :class:`ResponsiblePerson`) with its last record and due day; three queries whatever their number."""
    persons = list(persons)
    if not persons:
        return []
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
            found.append(DutyStatus(person=person, item=item, last_done=done,
                                    due=due_date(appointed_on=person.appointed_on,
                                                 frequency_days=item.frequency_days, last_done=done)))
    return found


def overdue(persons, today: date | None = None) -> list[DutyStatus]:
    """The overdue duties of ``persons``, most overdue first."""
    today = today or timezone.localdate()
    return sorted((s for s in statuses(persons) if s.overdue_on(today)), key=lambda s: (s.due, s.person.pk))


def overdue_expression(today: date, items=None):
    """Per responsible person, how many of its role's active duties are overdue, as one SQL expression (an
    ``EXISTS`` per duty item, a few dozen at most), so a district's count is one query whatever its size.

    A duty is overdue when its due day (:func:`due_date`) is before ``today``: appointed before ``today −
    frequency`` and nothing recorded from that day on."""
    items = list(items if items is not None else DutyItem.objects.filter(active=True))
    if not items:
        return Value(0, output_field=IntegerField())
    terms = []
    for item in items:
        cutoff = today - timedelta(days=item.frequency_days)
        done_since = DutyRecord.objects.filter(person=OuterRef("pk"), item_id=item.pk,
                                               done_at__gte=timezone.make_aware(datetime.combine(cutoff, time.min)))
        terms.append(Case(When(Q(role=item.role, appointed_on__lt=cutoff) & ~Exists(done_since), then=Value(1)),
                          default=Value(0), output_field=IntegerField()))
    return reduce(add, terms)


def overdue_count(persons, today: date | None = None) -> int:
    """How many duties of ``persons`` (a queryset of current persons) are overdue: two queries."""
    today = today or timezone.localdate()
    return persons.order_by().aggregate(n=Sum(overdue_expression(today)))["n"] or 0


def most_overdue(persons, limit: int, today: date | None = None) -> list[DutyStatus]:
    """The first ``limit`` overdue duties among the persons longest in post that have any: a fixed number of
    queries (for a to-do list)."""
    today = today or timezone.localdate()
    items = list(DutyItem.objects.filter(active=True))
    late = (persons.annotate(overdue_duties=overdue_expression(today, items)).filter(overdue_duties__gt=0)
            .order_by("appointed_on", "pk")[:limit])
    found = [s for s in statuses(late, items=items) if s.overdue_on(today)]
    return sorted(found, key=lambda s: (s.due, s.person.pk))[:limit]
