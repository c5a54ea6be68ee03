"""Scoped reads of the teams and warehouses, always from ``visible_to(actor)``."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import StockLine, Team, TeamKindRule, Warehouse


def teams(actor):
    return Team.objects.visible_to(actor).select_related("enterprise", "township")


def team_detail(actor):
    return teams(actor).prefetch_related("members", "equipment", "agreements__enterprise")


def minimum_members() -> dict[str, int]:
    """The minimum members by kind of team (the bureau's rule table)."""
    return dict(TeamKindRule.objects.filter(minimum_members__isnull=False).values_list("kind", "minimum_members"))


def shortfall(team: Team, minimums: dict[str, int]) -> int | None:
    """The minimum the team falls short of, or None when it has enough members."""
    minimum = minimums.get(team.kind)
    return minimum if minimum is not None and team.member_count < minimum else None


def warehouses(actor):
    """The warehouses with how many of their lines are below minimum."""
    return (Warehouse.objects.visible_to(actor).select_related("enterprise", "township")
            .annotate(below_minimum=Count("stock", filter=Q(stock__quantity__lt=F("stock__minimum")))))


def expiring_counts(warehouse_ids) -> dict[int, int]:
    """How many lines of each warehouse hold stock at or past expiry or within the item's rotation notice
    (Art. 43), in one query."""
    today = timezone.localdate()
    counts: dict[int, int] = {}
    rows = (StockLine.objects.filter(warehouse_id__in=list(warehouse_ids), quantity__gt=0, expires_on__isnull=False)
            .select_related("item"))
    for line in rows:
        if line.expiring(today):
            counts[line.warehouse_id] = counts.get(line.warehouse_id, 0) + 1
    return counts


def warehouse_detail(actor):
    return Warehouse.objects.visible_to(actor).select_related("enterprise", "township")


def stock_lines(warehouse: Warehouse):
    return StockLine.objects.filter(warehouse=warehouse).select_related("item")
