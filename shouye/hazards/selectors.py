"""Read queries of the hazards app. Each takes the actor, so nothing leaves its scope (ARCHITECTURE.md §5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .choices import HazardLevel, HazardState
from .filters import HazardFilter, day_start, overdue_q
from .models import ExpertVerification, Extension, Hazard, TipOff

STAT_GROUPS = ("township", "industry", "level")


def ledger_rows(actor, filters: Mapping | None = None):
    """The hazard ledger (台账): the scoped hazards with everything a row shows, in one query, newest found
    first (ties by id, so the order is total).

    ``filters`` are the HazardFilter parameters (a QueryDict or a dict); invalid ones raise ValidationError."""
    qs = (Hazard.objects.visible_to(actor).select_related("enterprise", "township", "industry")
          .order_by("-found_at", "-id"))
    if filters is None:
        return qs
    filterset = HazardFilter(filters, queryset=qs)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def hazard_detail(actor):
    """One hazard with its photos, governance plan, listed supervision, expert verifications and extensions,
    in a fixed number of queries."""
    return (
        Hazard.objects.visible_to(actor)
        .select_related("enterprise", "township", "industry", "found_by", "reinspected_by", "governance_plan",
                        "listed_supervision")
        .prefetch_related(
            "photos",
            Prefetch("expert_verifications", queryset=ExpertVerification.objects.select_related("expert")),
            Prefetch("extensions", queryset=Extension.objects.select_related("requested_by", "decided_by")),
        )
    )


def overdue_hazards(actor, today: date):
    return ledger_rows(actor).overdue(today)


def tip_offs(actor):
    return TipOff.objects.visible_to(actor).select_related("enterprise", "township", "hazard")


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _measures(date_from: date, date_to: date, today: date) -> dict:
    """Aggregates over one scope, each a ``Count`` with a condition, so any grouping is a single query.

    - found: hazards found in the period;
    - closed: of those, closed out (销号) by now; rectification rate = closed / found;
    - on time: of those closed, rectification submitted (or, closed on the spot, closed) no later than the
      deadline; a hazard closed on the spot has no deadline and counts as on time; on-time rate =
      on time / closed;
    - overdue now: hazards currently past their deadline and not rectified, whenever they were found (an
      old overdue hazard is exactly what the bureau must see)."""
    found = Q(found_at__gte=day_start(date_from), found_at__lt=day_start(date_to + timedelta(days=1)))
    closed = found & Q(state=HazardState.CLOSED)
    finished_on = TruncDate(Coalesce("submitted_at", "closed_at"))
    on_time = closed & (Q(deadline__isnull=True) | Q(finished_date__lte=F("deadline")))
    overdue = overdue_q(today)
    return {
        "filter": found | overdue,
        "annotate": {"finished_date": finished_on},
        "counts": {
            "found": Count("id", filter=found),
            "closed": Count("id", filter=closed),
            "on_time": Count("id", filter=on_time),
            "overdue_now": Count("id", filter=overdue),
        },
    }


def _with_rates(row: dict) -> dict:
    row["rectification_rate"] = _rate(row["closed"], row["found"])
    row["on_time_rate"] = _rate(row["on_time"], row["closed"])
    return row


def hazard_stats(actor, *, date_from: date, date_to: date, today: date | None = None,
                 group_by: Iterable[str] = STAT_GROUPS, filters: Mapping | None = None) -> dict:
    """Statistics for the actor's scope and a period: found, closed, rectification rate, on-time rate and
    overdue now (definitions in ``_measures``), in total and by township, industry and level. ``filters``
    narrow the scope with the ledger's filters (one township, one enterprise …). One aggregate query for
    the total and one per grouping, whatever the number of hazards."""
    measures = _measures(date_from, date_to, today or timezone.localdate())
    base = (ledger_rows(actor, filters).select_related(None).filter(measures["filter"])
            .annotate(**measures["annotate"]).order_by())
    result = {"date_from": date_from, "date_to": date_to, **_with_rates(base.aggregate(**measures["counts"]))}
    groups = set(group_by)
    if "township" in groups:
        rows = (base.values(code=F("township__code"), name=F("township__name"))
                .annotate(**measures["counts"]).order_by("code"))
        result["by_township"] = [_with_rates(dict(row)) for row in rows]
    if "industry" in groups:
        rows = (base.values(code=F("industry__code"), name=F("industry__name"))
                .annotate(**measures["counts"]).order_by("code"))
        result["by_industry"] = [_with_rates(dict(row)) for row in rows]
    if "level" in groups:
        labels = dict(HazardLevel.choices)
        rows = base.values("level").annotate(**measures["counts"]).order_by("level")
        result["by_level"] = [_with_rates({**row, "label": str(labels.get(row["level"], row["level"]))})
                              for row in rows]
    return result
