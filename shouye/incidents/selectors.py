"""Reads of the incidents, always from ``visible_to(user)`` (ARCHITECTURE.md §5)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from .choices import ACTIVE_STATES, ClockState, TaskState
from .models import Incident, IncidentClock, IncidentPhoto, IncidentTask, TimelineEntry, own_units_q

#: Timeline entries the incident's page shows at once; older ones page on (``?before=<id>``).
TIMELINE_PAGE = 50
#: The to-do lists clocks running out within this time (or overdue and still open).
DUE_SOON = timedelta(hours=2)


def incidents(user):
    return Incident.objects.visible_to(user).select_related("township", "enterprise")


def incident_detail(user):
    return incidents(user).select_related("created_by").prefetch_related(
        Prefetch("clocks", queryset=IncidentClock.objects.order_by("due_at", "id")),
        Prefetch("tasks", queryset=IncidentTask.objects.select_related("township", "department",
                                                                       "acknowledged_by").order_by("due_at", "id")),
        Prefetch("photos", queryset=IncidentPhoto.objects.order_by("id")))


def timeline(incident: Incident, *, before: int | None = None, limit: int = TIMELINE_PAGE) -> list[TimelineEntry]:
    """The newest ``limit`` entries (older than the entry ``before`` when given), with their authors, the plans
    they activated and their photos: two queries whatever the timeline's length."""
    rows = (TimelineEntry.objects.filter(incident=incident).select_related("author", "plan_activation")
            .prefetch_related(Prefetch("photos", queryset=IncidentPhoto.objects.order_by("id"))).order_by("-at", "-id"))
    if before is not None:
        pivot = TimelineEntry.objects.filter(incident=incident, pk=before).values_list("at", flat=True).first()
        if pivot is not None:
            rows = rows.filter(at__lte=pivot).exclude(at=pivot, id__gte=before)
    return list(rows[:limit])


def clocks_due(user):
    """Open clocks of the user's incidents that run out within :data:`DUE_SOON` (soonest first)."""
    return (IncidentClock.objects.visible_to(user).select_related("incident")
            .filter(state=ClockState.OPEN, due_at__lte=timezone.now() + DUE_SOON).order_by("due_at", "id"))


def tasks(user):
    """The tasks ``user`` sees (of its incidents, or given to its own unit), with what their pages show."""
    return (IncidentTask.objects.visible_to(user)
            .select_related("incident", "township", "department", "acknowledged_by", "done_by", "assigned_by"))


def open_tasks(user):
    """Tasks given to the user's own township or department, not yet done, of incidents still active (a closed
    response asks nothing more of the unit), soonest due first (the to-do)."""
    return (IncidentTask.objects.filter(own_units_q(user), incident__state__in=ACTIVE_STATES)
            .exclude(state=TaskState.DONE)
            .select_related("incident", "township", "department").order_by("due_at", "id"))
