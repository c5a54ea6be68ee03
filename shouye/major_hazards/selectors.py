"""Reads of the installations, always from ``visible_to(user)`` (ARCHITECTURE.md §5)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone

from shouye.risks.models import TaskInstance

from . import duties
from .choices import InstallationState, PersonRole
from .models import DutyTask, MajorHazardInstallation, ResponsiblePerson


def installations(user):
    return (MajorHazardInstallation.objects.visible_to(user)
            .select_related("enterprise", "township", "industry"))


def installation_detail(user):
    return installations(user).prefetch_related(
        "substances",
        Prefetch("persons", queryset=ResponsiblePerson.objects.select_related("user")))


def live(user):
    """Installations not cancelled."""
    return installations(user).exclude(state=InstallationState.CANCELLED)


def overdue_duty_instances(user):
    """The task instances the user sees, to count overdue duties among (shouye.major_hazards.duties)."""
    return TaskInstance.objects.visible_to(user)


def overdue_duty_count(user, now=None, enterprise=None) -> int:
    """The overdue responsible-person duties the user sees (of ``enterprise`` only, if given): missed
    instances, and instances still due past their window, of the active tasks whose work type is not
    routine. One aggregate query (the to-do badge, the cockpit and the ledger panel read it)."""
    instances = overdue_duty_instances(user)
    if enterprise is not None:
        instances = instances.filter(enterprise=enterprise)
    return duties.overdue_count(instances, now)


def most_overdue_duties(user, limit: int, now=None) -> list[TaskInstance]:
    """The ``limit`` longest overdue, with their person and installation: the missed ones first (they closed
    before the last nightly run, so before any still due past its window), then those still due; one query,
    a second only when fewer than ``limit`` were missed."""
    found = []
    for part in duties.overdue_parts(overdue_duty_instances(user), now):
        found += list(part.select_related("task__duty__person__installation", "enterprise")
                      .order_by("due_by", "id")[:limit - len(found)])
        if len(found) >= limit:
            break
    return found


def overdue_by_installation(user, installation_ids=None, now=None) -> dict[int, int]:
    """Overdue duties by installation (of ``installation_ids`` only, if given): two grouped queries."""
    instances = overdue_duty_instances(user)
    if installation_ids is not None:
        instances = instances.filter(task__duty__person__installation_id__in=installation_ids)
    return duties.overdue_by_installation(instances, now)


def duty_tasks(user, installation, now=None) -> list[DutyTask]:
    """The active duty tasks of the installation's current persons, in role and item order, each with last
    done, next due, missed and overdue counts (one query)."""
    rows = duties.task_rows(DutyTask.objects.visible_to(user).filter(person__installation=installation,
                                                                     task__is_active=True), now)
    order = {role: n for n, role in enumerate(PersonRole.values)}
    return sorted(rows, key=lambda row: (order[row.person.role], row.item.number, row.pk))


def assessment_warning_days() -> int:
    return settings.SHOUYE_MHI_ASSESSMENT_WARNING_DAYS


def assessments_due(user, today=None):
    """Live installations whose next safety assessment is due within SHOUYE_MHI_ASSESSMENT_WARNING_DAYS (or
    past), soonest first."""
    today = today or timezone.localdate()
    limit = today + timedelta(days=assessment_warning_days())
    return live(user).filter(next_assessment_due__lte=limit).order_by("next_assessment_due", "id")


def filings_due(user):
    """Major hazard installations identified (S ≥ 1) and not yet filed (备案) with the bureau."""
    return live(user).filter(state=InstallationState.DRAFT, is_major=True).order_by("id")


def counts_by_grade(user) -> dict:
    rows = live(user).filter(is_major=True).order_by().values("grade").annotate(n=Count("id"))
    return {row["grade"]: row["n"] for row in rows}
