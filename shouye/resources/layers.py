"""Two layers of the one map: the rescue teams by readiness and the open warehouses (issue 14)."""

from django.utils.translation import gettext_lazy as _

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers

from .choices import Readiness, TeamKind, WarehouseState
from .models import Team, Warehouse
from .permissions import VIEW_TEAM, VIEW_WAREHOUSE

TEAM_LEGEND = (
    LegendEntry(Readiness.READY, _("Ready"), "#2e7d32", emphasis=True),
    LegendEntry(Readiness.DEPLOYED, _("Deployed"), "#d50000"),
    LegendEntry(Readiness.STOOD_DOWN, _("Stood down"), "#757575"),
)
WAREHOUSE_LEGEND = (LegendEntry("warehouse", _("Warehouse"), "#1565c0"),)


def _filtered(rows, filters: MapFilters):
    if filters.township_id is not None:
        rows = rows.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        rows = rows.filter(industry_id=filters.industry_id)
    return rows


def team_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """One query: the user's teams, the ready ones first."""
    rows = _filtered(Team.objects.visible_to(user), filters).order_by("readiness", "id").values_list(
        "id", "longitude", "latitude", "name", "kind", "readiness", "duty_phone")[:limit]
    kinds = dict(TeamKind.choices)
    return [MapPoint(id=pk, lng=lng, lat=lat, name=name, css_class=readiness,
                     detail=f"{kinds.get(kind, kind)} · {phone}")
            for pk, lng, lat, name, kind, readiness, phone in rows]


def warehouse_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """One query: the user's open warehouses."""
    rows = _filtered(Warehouse.objects.visible_to(user).filter(state=WarehouseState.OPEN), filters).order_by(
        "id").values_list("id", "longitude", "latitude", "name", "address")[:limit]
    return [MapPoint(id=pk, lng=lng, lat=lat, name=name, css_class="warehouse", detail=address)
            for pk, lng, lat, name, address in rows]


map_layers.register(MapLayer(key="rescue-teams", label=_("Rescue teams"), order=60, points=team_points,
                             url_name="resources:team", legend=TEAM_LEGEND, permission=VIEW_TEAM,
                             default_on=False))
map_layers.register(MapLayer(key="warehouses", label=_("Emergency warehouses"), order=61, points=warehouse_points,
                             url_name="resources:warehouse", legend=WAREHOUSE_LEGEND, permission=VIEW_WAREHOUSE,
                             default_on=False))
