"""When a responsible person's duty is due, and which are overdue (应急厅〔2021〕12号; REGULATIONS-2 §A.5, §B.2).

One small module so that it can move to the shared investigation-task engine (the ``risks`` app) when the
duties become tasks there. A duty item is due ``frequency_days`` after it was last done, or after the person
was appointed when never done; it is overdue when that day has passed. The frequencies are data
(:class:`~shouye.major_hazards.models.DutyItem`): technical 90 days [C], principal 90 and operational 7 [U]
defaults. The technical person's "before major events, key periods and holidays" duty (Art. 5(5)) is flagged
on its items (``before_key_periods``) and shown; it is not yet scheduled against the work calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max
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
