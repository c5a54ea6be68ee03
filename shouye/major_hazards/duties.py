"""The responsible persons' duties as investigation tasks of the risks engine (issue 11; 应急厅〔2021〕12号,
REGULATIONS-2 §A.6, §B.2): one task per active duty item of the person's role (:class:`~.models.DutyTask`).

- **The task**: title the duty's text, ``work_type`` the role (§A.6 workType 1 principal / 2 technical /
  3 operational), ``task_number`` the item's number (taskNum), a cycle of the item's ``frequency_days`` days on
  every day from the appointment (technical 90 days [C]; principal 90 and operational 7 are [U] defaults,
  data), for the person's linked user account and post, and ``before_key_periods`` from the item (the
  engine adds an instance before each holiday period: ``shouye.risks.generation``).
- **Investigation type**: the ten types of §A.5/§A.6 (dangerSrc) have no responsible-person type; a duty is its
  person's routine investigation (``routine``), and the national interface tells such tasks apart by
  workType (and isDefend on the record), which the task carries.
- **Doing a duty** is completing one of the task's instances through the engine (the phone's "my
  investigations" and the instance page and API); one record without a measure, OK or not, with a note and
  photos; not OK reports a hazard bound to the record.
- **Overdue** (what the bureau counts): the instances of the active duty tasks that were missed, or are still
  due past their window (before the nightly run marks them missed). A task ends with its appointment, so the
  duties of a replaced person or a cancelled installation leave the count."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from shouye.enterprises.models import Enterprise
from shouye.enterprises.stamps import locked_for_stamping
from shouye.hazards.choices import InvestigationType
from shouye.risks import generation
from shouye.risks.choices import CycleUnit, InstanceState, TaskWorkType, WorkDayType
from shouye.risks.models import InvestigationTask

from .choices import PersonRole
from .models import DutyItem, DutyTask, ResponsiblePerson

WORK_TYPES = {PersonRole.PRINCIPAL: TaskWorkType.PRINCIPAL, PersonRole.TECHNICAL: TaskWorkType.TECHNICAL,
              PersonRole.OPERATIONAL: TaskWorkType.OPERATIONAL}
INVESTIGATION_TYPE = InvestigationType.ROUTINE


def task_for(*, actor, person: ResponsiblePerson, item: DutyItem, starts_at: datetime) -> InvestigationTask:
    """The (unsaved) task of ``item`` for ``person``, stamped with the installation's enterprise (whose row the
    caller has locked: ``locked_for_stamping``)."""
    return InvestigationTask(
        title=item.text[:200], investigation_type=INVESTIGATION_TYPE, work_type=WORK_TYPES[person.role],
        task_number=item.number, cycle=item.frequency_days, cycle_unit=CycleUnit.DAY,
        work_day_type=WorkDayType.EVERY_DAY, starts_at=starts_at, post=person.post[:100], assignee=person.user,
        before_key_periods=item.before_key_periods, created_by=actor,
    ).stamp_from(person.installation.enterprise, locked=True)


def open_tasks(*, actor, persons: Iterable[ResponsiblePerson], items: Iterable[DutyItem],
               starts_at: datetime | None = None) -> list[DutyTask]:
    """One task per item of each person's role, starting at the appointment (or ``starts_at``, for an item
    put in use later), and their instances up to the end of tomorrow at once. The caller holds the
    transaction."""
    items, persons = list(items), list(persons)
    stamps = dict((pk, (township, industry)) for pk, township, industry in locked_for_stamping(
        Enterprise.objects.filter(pk__in={p.installation.enterprise_id for p in persons}))
        .values_list("pk", "township_id", "industry_id"))
    rows = []
    for person in persons:
        enterprise = person.installation.enterprise
        enterprise.township_id, enterprise.industry_id = stamps[enterprise.pk]
        start = starts_at or generation.local_midnight(person.appointed_on)
        rows += [(person, item, task_for(actor=actor, person=person, item=item, starts_at=start))
                 for item in items if item.role == person.role]
    if not rows:
        return []
    tasks = InvestigationTask.objects.bulk_create([task for _person, _item, task in rows])
    links = DutyTask.objects.bulk_create([DutyTask(person=person, item=item, task=task)
                                          for (person, item, _task), task in zip(rows, tasks, strict=True)])
    generation.generate_instances(tasks=InvestigationTask.objects.filter(pk__in=[t.pk for t in tasks]))
    return links


def end_tasks(duty_tasks, ends_on: date) -> int:
    """End the active tasks of ``duty_tasks`` (a queryset): no instance after ``ends_on``; those created stay."""
    return (InvestigationTask.objects.filter(is_active=True, duty__in=duty_tasks)
            .update(is_active=False, ends_on=ends_on))


def update_item_tasks(item: DutyItem) -> int:
    """Carry the item's text, frequency and flag to its active tasks (their coming windows)."""
    return InvestigationTask.objects.filter(is_active=True, duty__item=item).update(
        title=item.text[:200], cycle=item.frequency_days, before_key_periods=item.before_key_periods)


def overdue_parts(instances, now: datetime | None = None):
    """The overdue instances among ``instances`` of the active responsible-person tasks (work type not
    routine), as two querysets: the missed ones and those still due past their window (closed since the
    nightly run). Apart, each reads its own index (a partial index of the missed instances by task); one
    condition with OR would read every missed row from the table."""
    now = now or timezone.now()
    duty = (instances.filter(task__is_active=True).exclude(task__work_type=TaskWorkType.ROUTINE)
            .order_by())
    return duty.filter(state=InstanceState.MISSED), duty.filter(state=InstanceState.DUE, due_by__lte=now)


def overdue_count(instances, now: datetime | None = None) -> int:
    """How many overdue duties among ``instances``: one aggregate query (a count over a UNION ALL)."""
    missed, late = overdue_parts(instances, now)
    return missed.values("pk").union(late.values("pk"), all=True).count()


def overdue_by_installation(instances, now: datetime | None = None) -> dict[int, int]:
    """The overdue duties among ``instances`` counted by installation (two grouped queries)."""
    counts: dict[int, int] = {}
    for part in overdue_parts(instances, now):
        for installation_id, n in (part.values_list("task__duty__person__installation")
                                   .annotate(n=Count("pk")).values_list("task__duty__person__installation", "n")):
            counts[installation_id] = counts.get(installation_id, 0) + n
    return counts


def overdue_instance_q(now: datetime, prefix: str = "") -> Q:
    """An overdue instance over a relation (``prefix`` such as ``task__instances__``): missed, or still due
    past its window."""
    return (Q(**{f"{prefix}state": InstanceState.MISSED})
            | Q(**{f"{prefix}state": InstanceState.DUE, f"{prefix}due_by__lte": now}))


def task_rows(duty_tasks, now: datetime | None = None):
    """``duty_tasks`` with, in one query: ``last_done`` (the latest done instance), ``next_due`` (the end of
    the earliest instance still open), ``open_instance`` (the instance to do now), ``missed`` and
    ``overdue`` counts."""
    now = now or timezone.now()
    prefix = "task__instances__"
    due = Q(**{f"{prefix}state": InstanceState.DUE, f"{prefix}due_by__gt": now})
    return (duty_tasks.select_related("item", "task", "person")
            .annotate(last_done=Max(f"{prefix}done_at"),
                      next_due=Min(f"{prefix}due_by", filter=due),
                      open_instance=Min(f"{prefix}id", filter=due & Q(**{f"{prefix}due_from__lte": now})),
                      missed=Count(f"{prefix}id", filter=Q(**{f"{prefix}state": InstanceState.MISSED})),
                      overdue=Count(f"{prefix}id", filter=overdue_instance_q(now, prefix))))


def due_day(due_by: datetime) -> date:
    """The last day of a window closing at ``due_by`` (an exclusive local midnight)."""
    return generation.local_date(due_by - timedelta(microseconds=1))
