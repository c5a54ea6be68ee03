"""Nearest dispatch (issue 14): for a point, the nearest ready teams, and the warehouses and agreement suppliers
(协议储备, for whoever reads the reserves) holding the needed items, in the actor's scope; the warehouses and
suppliers also in one ranking (``sources``), each supplier flagged as an agreement with its response time.

Ranked by travel distance through the road network when one is active (``ranked_by: "road"``,
:mod:`shouye.resources.roads`), by straight-line (haversine) distance otherwise (``"straight_line"``). Every row
keeps ``distance_km`` (straight line) and has ``travel_km`` (null without a network, or for a candidate the
network does not connect to the point: those rank after every reachable one).

Fast at district scale (10,000 teams, 10,000 warehouses, 200,000 stock lines: ≤ 20 ms p95, bench/
resources_nearest.py): each search reads a bounding box around the point on the indexed latitude and
longitude, and widens it (×4) until the box's inscribed circle holds enough candidates; only those are
ranked exactly. A candidate in the box but outside the circle may be farther than one just outside the box,
so it counts only once the circle holds it. By road, a candidate counts only once its travel distance is
within the circle's radius: travel is never shorter than the straight line (the triangle inequality), so
whatever lies outside the circle is farther by road too. The agreement suppliers are the bureau's few
contracts (tens, not thousands): their lines of the needed items in force are read in one query and ranked
exactly, by road through each supplier's shortest-path tree (computed once per process, then one lookup)."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils import timezone

from .choices import Readiness, ReserveKind, WarehouseState
from .models import ReserveLine, StockLine, Team, Warehouse
from .permissions import VIEW_RESERVE
from .roads import EARTH_RADIUS_KM, Search, active_graph, haversine_km
from .selectors import in_force, reserves

#: The first search radius and its growth; past the last the whole scope is read.
RADII_KM = (2.0, 8.0, 32.0, 128.0)
MAX_LIMIT = 50
WAREHOUSE_COLUMNS = ("id", "latitude", "longitude", "name", "enterprise__name", "township__name")


def _box(lat: float, lng: float, radius_km: float) -> dict:
    """The lookups of a box holding the circle of ``radius_km`` around the point."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlng = math.degrees(radius_km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 0.01)))
    return {"latitude__gte": lat - dlat, "latitude__lte": lat + dlat,
            "longitude__gte": lng - dlng, "longitude__lte": lng + dlng}


def _km(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _by_road(search: Search, limit: int, ranked: list, radius: float | None):
    """``ranked`` (``(straight, key, lat, lng, row)`` in the circle) with each key's travel distance, nearest
    by road first, or None while fewer than ``limit`` keys are within ``radius`` by road (widen the circle).
    With the whole scope (``radius`` None), the keys the network does not connect rank last, by straight
    line."""
    points = {}
    for _straight, key, r_lat, r_lng, _row in ranked:
        points.setdefault(key, (r_lat, r_lng))
    keys = list(points)
    found = search.travel_km([points[key] for key in keys], bound_km=math.inf if radius is None else radius,
                             enough=limit)
    travel = dict(zip(keys, found, strict=True))
    if radius is not None and sum(1 for km in found if km is not None and km <= radius) < limit:
        return None
    reached = sorted(((straight, travel[key], key, row) for straight, key, _la, _ln, row in ranked
                      if travel[key] is not None), key=lambda entry: (entry[1], entry[2]))
    return reached + [(straight, None, key, row) for straight, key, _la, _ln, row in ranked if travel[key] is None]


def _widening(lat: float, lng: float, limit: int, fetch, search: Search | None = None):
    """Rows nearest the point: ``fetch(box_lookups or None)`` answers ``(key, lat, lng, row)`` tuples; returns
    ``[(straight_km, travel_km or None, key, row)]`` ranked (by road with a ``search``), at least the rows of
    the ``limit`` nearest keys (rows of one key, such as a warehouse's stock lines, are grouped by the caller
    through ``row``)."""
    for radius in (*RADII_KM, None):
        rows = fetch(None if radius is None else _box(lat, lng, radius))
        ranked = sorted(((haversine_km(lat, lng, r_lat, r_lng), key, r_lat, r_lng, row)
                         for key, r_lat, r_lng, row in rows), key=lambda entry: (entry[0], entry[1]))
        if radius is not None:
            ranked = [entry for entry in ranked if entry[0] <= radius]
        if radius is not None and len({entry[1] for entry in ranked}) < limit:
            continue
        if search is None:
            return [(straight, None, key, row) for straight, key, _la, _ln, row in ranked]
        answer = _by_road(search, limit, ranked, radius)
        if answer is not None:
            return answer
    return []  # pragma: no cover - the loop always returns at the last radius


def nearest_teams(actor, *, lat: float, lng: float, kinds=(), limit: int = 10, search: Search | None = None
                  ) -> list[dict]:
    """The ``limit`` nearest ready teams (of ``kinds``, if given) the actor sees, by road with a ``search``."""
    queryset = Team.objects.visible_to(actor).filter(readiness=Readiness.READY)
    if kinds:
        queryset = queryset.filter(kind__in=list(kinds))
    columns = ("id", "latitude", "longitude", "name", "kind", "duty_phone", "member_count", "enterprise__name",
               "township__name")

    def fetch(box):
        rows = queryset.filter(**box) if box else queryset
        return [(row[0], row[1], row[2], row) for row in rows.values_list(*columns)]

    teams = []
    for distance, travel, _key, row in _widening(lat, lng, limit, fetch, search)[:limit]:
        teams.append({"id": row[0], "name": row[3], "kind": row[4], "duty_phone": row[5], "members": row[6],
                      "owner": row[7] or row[8] or "", "latitude": row[1], "longitude": row[2],
                      "distance_km": round(distance, 3), "travel_km": _km(travel)})
    return teams


def nearest_warehouses(actor, *, lat: float, lng: float, items: dict[int, Decimal] | None = None,
                       limit: int = 10, search: Search | None = None) -> list[dict]:
    """The ``limit`` nearest open warehouses the actor sees (by road with a ``search``); with ``items`` (item id
    → quantity needed), those holding any of them, each with what it holds of each and whether it covers every
    need."""
    if not items:
        queryset = Warehouse.objects.visible_to(actor).filter(state=WarehouseState.OPEN)
        def fetch(box):
            rows = queryset.filter(**box) if box else queryset
            return [(row[0], row[1], row[2], row) for row in rows.values_list(*WAREHOUSE_COLUMNS)]

        return [{"id": row[0], "name": row[3], "owner": row[4] or row[5] or "", "latitude": row[1],
                 "longitude": row[2], "distance_km": round(distance, 3), "travel_km": _km(travel), "items": [],
                 "covers_all": True}
                for distance, travel, _key, row in _widening(lat, lng, limit, fetch, search)[:limit]]

    lines = StockLine.objects.visible_to(actor).filter(item_id__in=sorted(items), quantity__gt=0,
                                                       warehouse__state=WarehouseState.OPEN)
    columns = ("warehouse_id", "latitude", "longitude", "warehouse__name", "warehouse__enterprise__name",
               "warehouse__township__name", "item_id", "quantity")

    def fetch(box):
        """The lines of the needed items around the point (each carries its warehouse's point: one index)."""
        rows = lines.filter(**box) if box else lines
        return [(row[0], row[1], row[2], row) for row in rows.values_list(*columns)]

    hits: dict[int, dict] = {}
    for distance, travel, key, row in _widening(lat, lng, limit, fetch, search):
        hit = hits.get(key)
        if hit is None:
            if len(hits) == limit:
                continue
            hit = hits[key] = {"id": key, "name": row[3], "owner": row[4] or row[5] or "", "latitude": row[1],
                               "longitude": row[2], "distance_km": round(distance, 3), "travel_km": _km(travel),
                               "held": {}}
        hit["held"][row[6]] = row[7]
    answer = []
    for hit in hits.values():
        hit["items"], hit["covers_all"] = _needs(items, hit.pop("held"))
        answer.append(hit)
    return answer


def _needs(items: dict[int, Decimal], held: dict[int, Decimal]) -> tuple[list[dict], bool]:
    needs = [{"item": item_id, "needed": needed, "available": held.get(item_id, Decimal(0))}
             for item_id, needed in items.items()]
    return needs, all(need["available"] >= need["needed"] for need in needs)


def nearest_suppliers(actor, *, lat: float, lng: float, items: dict[int, Decimal] | None = None,
                      limit: int = 10, search: Search | None = None) -> list[dict]:
    """The ``limit`` nearest agreement suppliers in force today holding any of ``items`` (by road with a
    ``search``), with what each holds of each need and its response time; none without items or for whoever
    does not read the reserves."""
    if not items or not actor.has_perm(VIEW_RESERVE):
        return []
    lines = ReserveLine.objects.filter(
        item_id__in=sorted(items), reserve__in=in_force(reserves(actor), timezone.localdate()),
        reserve__kind=ReserveKind.AGREEMENT,
    ).values_list("reserve_id", "reserve__latitude", "reserve__longitude", "reserve__supplier",
                  "reserve__contact_name", "reserve__response_hours", "item_id", "quantity")
    found: dict[int, dict] = {}
    for key, r_lat, r_lng, supplier, contact, hours, item_id, quantity in lines:
        hit = found.setdefault(key, {"id": key, "name": supplier, "owner": contact, "latitude": r_lat,
                                     "longitude": r_lng, "response_hours": hours,
                                     "distance_km": round(haversine_km(lat, lng, r_lat, r_lng), 3),
                                     "travel_km": None, "held": {}})
        hit["held"][item_id] = quantity
    rows = list(found.values())
    if search is not None:
        travels = search.fixed_travel_km([(hit["latitude"], hit["longitude"]) for hit in rows])
        for hit, travel in zip(rows, travels, strict=True):
            hit["travel_km"] = _km(travel)
    answer = []
    for hit in sorted(rows, key=_order)[:limit]:
        hit["items"], hit["covers_all"] = _needs(items, hit.pop("held"))
        answer.append(hit)
    return answer


def _order(row: dict) -> tuple:
    """Nearest first: by travel where known, then (not connected by road, or no network) by straight line."""
    travel = row["travel_km"]
    return (travel is None, travel if travel is not None else row["distance_km"], row.get("agreement", False),
            row["id"])


def nearest(actor, *, lat: float, lng: float, items: dict[int, Decimal] | None = None, kinds=(),
            limit: int = 10) -> dict:
    """The whole answer: the point, how it is ranked (``road`` when a road network is active, else
    ``straight_line``), the nearest ready teams, warehouses and agreement suppliers, and the warehouses and
    suppliers in one ranking (``agreement`` flags a supplier)."""
    graph = active_graph()
    search = None if graph is None else graph.search(lat, lng)
    warehouses = nearest_warehouses(actor, lat=lat, lng=lng, items=items, limit=limit, search=search)
    suppliers = nearest_suppliers(actor, lat=lat, lng=lng, items=items, limit=limit, search=search)
    sources = sorted([{**row, "agreement": False, "response_hours": None} for row in warehouses]
                     + [{**row, "agreement": True} for row in suppliers], key=_order)
    return {"ranked_by": "straight_line" if graph is None else "road", "latitude": lat, "longitude": lng,
            "teams": nearest_teams(actor, lat=lat, lng=lng, kinds=kinds, limit=limit, search=search),
            "warehouses": warehouses, "suppliers": suppliers, "sources": sources}
