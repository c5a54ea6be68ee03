"""Tasks the command gives townships and industry departments during the response (issue 14, "tasks to
departments and townships with acknowledgement"): assigned from the incident, acknowledged (签收) by the unit,
reported done (办结) with a note. Each act runs in one transaction under the row lock of what it changes,
checks scope and the workflow, writes one timeline entry and one audit event (ARCHITECTURE.md §4); the unit's
officers are told after the commit, as the warnings' notified units are (叫应)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import OrganisationKind, Role
from shouye.accounts.models import Organisation, User
from shouye.audit import services as audit
from shouye.notifications.services import notify
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import ensure_in_scope

from .choices import EntryKind, TaskState
from .models import Incident, IncidentTask, TimelineEntry
from .services import _lock
from .workflow import TASK_WORKFLOW

#: The longest a task's text may be (a page's textarea, the API's field).
TASK_TEXT_MAX = 2000


def unit_users(task: IncidentTask):
    """The active officers of the task's township or department (who is told and who sees the to-do)."""
    if task.township_id:
        return User.objects.filter(is_active=True, memberships__active=True, memberships__role=Role.TOWNSHIP_OFFICER,
                                   memberships__region_id=task.township_id).distinct()
    return User.objects.filter(is_active=True, memberships__active=True, memberships__role=Role.DEPARTMENT_OFFICER,
                               memberships__organisation_id=task.department_id).distinct()


def _notify_unit(task: IncidentTask, verb: str, title: str) -> None:
    recipients = list(unit_users(task))
    link = reverse("incidents:task", kwargs={"pk": task.pk})
    transaction.on_commit(lambda: notify(recipients=recipients, verb=verb, title=title, body=task.text[:500],
                                         link=link))


def _entry(incident, actor, text: str, at: datetime) -> TimelineEntry:
    return TimelineEntry.objects.create(incident=incident, author=actor, kind=EntryKind.TASK, text=text, at=at)


@transaction.atomic
def assign_task(*, actor, incident: Incident, text: str, due_at: datetime, township: Region | None = None,
                department: Organisation | None = None) -> IncidentTask:
    """Give a township or an industry department a task with its due time; its officers see it on their
    workbench and are notified."""
    incident = _lock(actor, incident, "assign-task")
    now = timezone.now()
    if (township is None) == (department is None):
        raise ValidationError({"township": _("Choose either a township or a department for the task.")})
    if township is not None and township.level != RegionLevel.TOWNSHIP:
        raise ValidationError({"township": _("Choose a township.")})
    if department is not None and department.kind != OrganisationKind.DEPARTMENT:
        raise ValidationError({"department": _("Choose an industry department.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what the unit is to do.")})
    if due_at <= now:
        raise ValidationError({"due_at": _("The due time must be later than now.")})
    task = IncidentTask.objects.create(incident=incident, township=township, department=department, text=text,
                                       due_at=due_at, assigned_at=now, assigned_by=actor)
    _entry(incident, actor, _("Task to %(unit)s, due %(due)s: %(text)s") % {
        "unit": task.unit, "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"), "text": text}, now)
    audit.record(actor=actor, verb="incident.task-assign", target=incident,
                 changes={"task": task.pk, "unit": str(task.unit), "due_at": due_at.isoformat()})
    _notify_unit(task, "incident.task", _("%(incident)s: a task for %(unit)s") % {
        "incident": incident.title, "unit": task.unit})
    return task


def _lock_task(actor, task: IncidentTask, action: str) -> IncidentTask:
    """Lock the task, then: out of scope (404), not this unit's or role's (403), not in this state (409)."""
    task = (IncidentTask.objects.select_for_update(of=("self",))
            .select_related("incident", "township", "department").get(pk=task.pk))
    ensure_in_scope(actor, task)
    TASK_WORKFLOW.ensure_may(actor, task, action)
    return task


@transaction.atomic
def acknowledge_task(*, actor, task: IncidentTask) -> IncidentTask:
    """The unit acknowledges the task (签收): once, by its own officer or recorded by the duty staff."""
    task = _lock_task(actor, task, "acknowledge")
    now = timezone.now()
    task.state, task.acknowledged_at, task.acknowledged_by = TaskState.ACKNOWLEDGED, now, actor
    task.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
    _entry(task.incident, actor, _("%(unit)s acknowledged the task: %(text)s") % {
        "unit": task.unit, "text": task.text[:200]}, now)
    audit.record(actor=actor, verb="incident.task-acknowledge", target=task.incident,
                 changes={"task": task.pk, "unit": str(task.unit)})
    return task


@transaction.atomic
def complete_task(*, actor, task: IncidentTask, note: str) -> IncidentTask:
    """The unit reports the task done (办结) with what it did."""
    task = _lock_task(actor, task, "complete")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done.")})
    now = timezone.now()
    task.state, task.done_at, task.done_by, task.done_note = TaskState.DONE, now, actor, note
    task.save(update_fields=["state", "done_at", "done_by", "done_note"])
    _entry(task.incident, actor, _("%(unit)s reported the task done: %(note)s") % {
        "unit": task.unit, "note": note}, now)
    audit.record(actor=actor, verb="incident.task-complete", target=task.incident,
                 changes={"task": task.pk, "unit": str(task.unit)}, note=note)
    return task
