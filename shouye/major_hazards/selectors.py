"""Reads of the installations, always from ``visible_to(user)`` (ARCHITECTURE.md §5)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone

from . import duties
from .choices import InstallationState
from .models import DutyRecord, MajorHazardInstallation, ResponsiblePerson


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


def current_persons(user, installation_ids=None):
    qs = (ResponsiblePerson.objects.visible_to(user).filter(ended_on=None)
          .exclude(installation__state=InstallationState.CANCELLED)
          .select_related("installation__enterprise"))
    if installation_ids is not None:
        qs = qs.filter(installation_id__in=installation_ids)
    return qs


def overdue_duty_count(user, today=None) -> int:
    """Overdue duties of the current persons of every live installation the user sees (one aggregate)."""
    return duties.overdue_count(current_persons(user), today)


def most_overdue_duties(user, limit: int, today=None):
    return duties.most_overdue(current_persons(user), limit, today)


def duty_records(user, installation):
    return (DutyRecord.objects.visible_to(user).filter(person__installation=installation)
            .select_related("person", "item", "recorded_by").prefetch_related("photos"))


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
