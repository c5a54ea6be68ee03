"""Scoped reads of the teams and warehouses, always from ``visible_to(actor)``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone

from .choices import ReserveKind, ReserveState, WarehouseState
from .models import (
    Item,
    Reserve,
    ReserveLine,
    RoadNetwork,
    StockBatch,
    StockLine,
    Team,
    TeamKindRule,
    Warehouse,
)

#: How long before its end an agreement or capacity reserve shows on the bureau's to-dos, so it is renewed or
#: replaced in time: 30 days, a platform default, not a regulation (Art. 45 names no lead time).
RESERVE_RENEWAL_DAYS = 30


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
    """The warehouse's lines with their batches (earliest-expiring first), in two queries."""
    return (StockLine.objects.filter(warehouse=warehouse).select_related("item")
            .prefetch_related(Prefetch("batches", queryset=StockBatch.objects.all())))


# --- reserves ----------------------------------------------------------------------------------------------------


def reserves(actor):
    """The agreement and capacity reserves the actor reads (the bureau's roles and the township officers)."""
    return Reserve.objects.visible_to(actor)


def reserve_detail(actor):
    return reserves(actor).select_related("township").prefetch_related(
        Prefetch("lines", queryset=ReserveLine.objects.select_related("item")))


def in_force(queryset, today: date):
    """The reserves that count today: in force and within their term (an expired agreement stops counting)."""
    return queryset.filter(state=ReserveState.ACTIVE, starts_on__lte=today, ends_on__gte=today)


def reserve_totals(actor, today: date, item_ids=None) -> dict[int, dict[str, Decimal]]:
    """Per item: what the reserves in force that the actor reads hold (``agreement``) and produce per day
    (``capacity``), in one query; empty for whoever does not read reserves."""
    lines = ReserveLine.objects.filter(reserve__in=in_force(reserves(actor), today))
    if item_ids is not None:
        lines = lines.filter(item_id__in=sorted(item_ids))
    totals: dict[int, dict[str, Decimal]] = {}
    for item_id, kind, total in lines.values_list("item_id", "reserve__kind").annotate(total=Sum("quantity")).order_by():
        totals.setdefault(item_id, {})[kind] = total
    return totals


def reserve_summary(actor, today: date) -> list[dict]:
    """Per item of the catalogue: the physical stock in the open warehouses the actor sees, the agreement reserves
    and the capacity reserves (per day) in force, in three queries (physical / agreement / capacity)."""
    physical = dict(StockLine.objects.visible_to(actor).filter(warehouse__state=WarehouseState.OPEN)
                    .values_list("item_id").annotate(total=Sum("quantity")).order_by())
    totals = reserve_totals(actor, today)
    zero = Decimal(0)
    return [{"item": item, "physical": physical.get(item.pk) or zero,
             "agreement": totals.get(item.pk, {}).get(ReserveKind.AGREEMENT, zero),
             "capacity": totals.get(item.pk, {}).get(ReserveKind.CAPACITY, zero)}
            for item in Item.objects.order_by("category", "name")]


# --- to-dos ------------------------------------------------------------------------------------------------------


def lines_below_minimum(actor):
    """The stock lines the actor sees in open warehouses that hold less than their minimum (Art. 42)."""
    return (StockLine.objects.visible_to(actor).filter(warehouse__state=WarehouseState.OPEN,
                                                        quantity__lt=F("minimum"))
            .select_related("item", "warehouse").order_by("warehouse__name", "item__name"))


def lines_expiring(actor, today: date):
    """The stock lines the actor sees holding a batch at or past expiry or within its item's rotation notice
    (``Item.rotation_notice_days``, 30 days unless the bureau sets another: a platform default, not a
    regulation; Art. 43 requires rotation but names no lead time). One condition per distinct notice, read in
    one query, so the database does the filtering."""
    notices = sorted(set(Item.objects.values_list("rotation_notice_days", flat=True)))
    due = Q(pk__in=[])
    for days in notices:
        due |= Q(item__rotation_notice_days=days, expires_on__lte=today + timedelta(days=days))
    return (StockLine.objects.visible_to(actor).filter(due, warehouse__state=WarehouseState.OPEN, quantity__gt=0,
                                                        expires_on__isnull=False)
            .select_related("item", "warehouse").order_by("expires_on", "id"))


def reserves_ending(actor, today: date):
    """The reserves in force the actor reads whose term ends within :data:`RESERVE_RENEWAL_DAYS` days."""
    return in_force(reserves(actor), today).filter(
        ends_on__lte=today + timedelta(days=RESERVE_RENEWAL_DAYS)).order_by("ends_on", "id")


def road_networks():
    """The district's road networks, newest first, without their graphs. Not scoped: one district per
    deployment, and reading them needs ``resources.manage_road_network`` (the bureau's administrator)."""
    return RoadNetwork.objects.select_related("uploaded_by").defer("graph").order_by("-uploaded_at", "-id")
