"""Read queries, always from ``visible_to(actor)``: the warnings, one warning's board, the units and measures
waiting for the user, and today's status (seasons in force, the fire-danger level)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    ChecklistItem,
    EarlyWarning,
    FireDangerLevel,
    FireDangerReading,
    NotifiedEnterprise,
    NotifiedUnit,
    Season,
    own_enterprise_ids,
)
from .services import own_units_q
from .workflow import IN_FORCE


def with_counts(qs):
    """Each warning with its number of notified units and of those that have acknowledged."""
    return qs.annotate(
        unit_count=Count("units", distinct=True),
        acknowledged_count=Count("units", filter=Q(units__acknowledged_at__isnull=False), distinct=True))


def warnings(user):
    return with_counts(EarlyWarning.objects.visible_to(user))


def warning_detail(user):
    return EarlyWarning.objects.visible_to(user).select_related("created_by")


def board(warning: EarlyWarning) -> list[NotifiedUnit]:
    """The notified units, unacknowledged first, with their checklist progress (one query)."""
    units = (warning.units.select_related("township", "department", "acknowledged_by")
             .annotate(measure_count=Count("items"),
                       done_count=Count("items", filter=Q(items__done_at__isnull=False))))
    return sorted(units, key=lambda u: (u.acknowledged_at is not None, u.acknowledged_at or u.notified_at, u.pk))


def _count_per_warning(rows):
    """The number of ``rows`` (notified units or enterprises) of the outer warning, 0 when none, as a subquery."""
    counted = rows.filter(warning=OuterRef("pk")).order_by().values("warning").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def in_force_with_pending(user):
    """The warnings in force the user sees, each with the notified units and, apart, the notified enterprises
    the user sees that have not acknowledged yet (one query, the counts as subqueries)."""
    return (EarlyWarning.objects.visible_to(user).filter(state__in=IN_FORCE)
            .annotate(units_pending=_count_per_warning(NotifiedUnit.objects.filter(acknowledged_at__isnull=True)),
                      enterprise_count=_count_per_warning(NotifiedEnterprise.objects.visible_to(user)),
                      enterprises_pending=_count_per_warning(
                          NotifiedEnterprise.objects.visible_to(user).filter(acknowledged_at__isnull=True)))
            .order_by("level", "-issued_at", "-id"))


def enterprise_board(user, warning: EarlyWarning):
    """The enterprises notified of ``warning`` that the user sees (its township's for a township officer, its
    own for an enterprise user), those not acknowledged first."""
    return (NotifiedEnterprise.objects.visible_to(user).filter(warning=warning)
            .select_related("enterprise__township", "acknowledged_by")
            .order_by(F("acknowledged_at").asc(nulls_first=True), "enterprise__name", "id"))


def enterprise_counts(user, warning: EarlyWarning) -> dict:
    """How many enterprises the user sees were notified of ``warning`` and how many have acknowledged."""
    return NotifiedEnterprise.objects.visible_to(user).filter(warning=warning).aggregate(
        notified=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))


def pending_enterprise_acknowledgements(user):
    """The notifications of the user's own enterprises not yet acknowledged, on warnings in force."""
    return (NotifiedEnterprise.objects.filter(enterprise_id__in=sorted(own_enterprise_ids(user)),
                                              acknowledged_at__isnull=True, warning__state__in=IN_FORCE)
            .select_related("warning", "enterprise").order_by("-warning__issued_at", "id"))


def own_units(user, warning: EarlyWarning):
    """The units of ``warning`` the user answers for (its townships and departments)."""
    return warning.units.filter(own_units_q(user)).select_related("township", "department")


def answerable_units(user, warning: EarlyWarning, *, anyone: bool):
    """The units whose acknowledgement the user may record: its own, or every unit for the bureau."""
    return warning.units.all() if anyone else warning.units.filter(own_units_q(user))


def pending_acknowledgements(user):
    """The user's own units that have not acknowledged a warning in force."""
    return (NotifiedUnit.objects.filter(own_units_q(user), acknowledged_at__isnull=True, warning__state__in=IN_FORCE)
            .select_related("warning").order_by("-warning__issued_at", "id"))


def open_measures(user):
    """The measures of the user's own units not yet ticked, on warnings in force."""
    units = NotifiedUnit.objects.filter(own_units_q(user))
    return (ChecklistItem.objects.filter(unit__in=units, done_at__isnull=True, unit__warning__state__in=IN_FORCE)
            .select_related("unit__warning").order_by("-unit__warning__issued_at", "article", "position"))


def seasons_on(day: date) -> list[Season]:
    return list(Season.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("kind"))


def current_status(day: date | None = None) -> dict:
    """Which seasons are in force today, today's fire-danger level with its action and colour, and the
    number of warnings in force (the district's: the panel counts them for the whole district)."""
    day = day or timezone.localdate()
    reading = FireDangerReading.objects.filter(day=day).first()
    level = FireDangerLevel.objects.filter(level=reading.level).first() if reading else None
    return {"day": day, "seasons": seasons_on(day), "reading": reading, "fire_level": level}
