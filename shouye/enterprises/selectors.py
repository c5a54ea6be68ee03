"""Read queries of the registry. Each takes the actor, so nothing leaves its scope."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch

from .models import Enterprise, EnterprisePerson, Licence


def enterprise_list(actor):
    """The scoped list with everything a list row shows, in a fixed number of queries."""
    return (
        Enterprise.objects.visible_to(actor)
        .select_related("township", "industry", "supervision_grade")
        .prefetch_related("tags")
    )


def enterprise_detail(actor):
    return enterprise_list(actor).prefetch_related(
        Prefetch("people", queryset=EnterprisePerson.objects.order_by("role", "id")),
        Prefetch("licences", queryset=Licence.objects.order_by("valid_to", "id")),
    )


def licence_warnings(actor, today: date | None = None, limit: int = 20):
    """Licences expired or expiring within SHOUYE_LICENCE_WARNING_DAYS, soonest first."""
    today = today or date.today()
    horizon = today + timedelta(days=settings.SHOUYE_LICENCE_WARNING_DAYS)
    qs = (Licence.objects.visible_to(actor).filter(valid_to__lte=horizon)
          .select_related("enterprise").order_by("valid_to", "id"))
    return {
        "expired": qs.filter(valid_to__lt=today).count(),
        "expiring": qs.filter(valid_to__gte=today).count(),
        "rows": list(qs[:limit]),
    }


def counts_by(actor, field: str, label_field: str) -> list[dict]:
    """Enterprise counts grouped by ``field`` (e.g. township), as [{"key", "label", "count"}]."""
    rows = (Enterprise.objects.visible_to(actor).values(field, label_field)
            .annotate(count=Count("id")).order_by(field))
    return [{"key": row[field], "label": row[label_field], "count": row["count"]} for row in rows]
