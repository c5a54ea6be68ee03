"""The alarms layer of the one map (issue 13: "on the map layer"): each active alarm at its point's or camera's
coordinates, else at its enterprise's, coloured by level (红/橙/黄/蓝, REGULATIONS-2 §B.5); the most severe drawn
first, so the limit never drops a red alarm for a blue one. The popup leads to the alarm's page."""

from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers

from .board import ACTIVE, board_alarms
from .choices import LEVEL_ORDER, AlarmLevel, Condition
from .workflow import BOARD

LEVEL_COLOURS = {AlarmLevel.RED: "#d50000", AlarmLevel.ORANGE: "#f57c00", AlarmLevel.YELLOW: "#fbc02d",
                 AlarmLevel.BLUE: "#1565c0"}
LEGEND = tuple(LegendEntry(level.value, level.label, LEVEL_COLOURS[level], emphasis=level == AlarmLevel.RED)
               for level in LEVEL_ORDER)
_RANK = Case(*(When(level=level, then=Value(index)) for index, level in enumerate(LEVEL_ORDER)),
             default=Value(len(LEVEL_ORDER)))


def alarm_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """One query: the user's active alarms with a place (their point's, camera's or enterprise's)."""
    rows = (board_alarms(user).filter(ACTIVE)
            .annotate(lng=Coalesce("point__longitude", "camera__longitude", "enterprise__longitude"),
                      lat=Coalesce("point__latitude", "camera__latitude", "enterprise__latitude"))
            .filter(Q(lng__isnull=False, lat__isnull=False)))
    if filters.township_id is not None:
        rows = rows.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        rows = rows.filter(industry_id=filters.industry_id)
    rows = (rows.annotate(rank=_RANK).order_by("rank", "-raised_at", "id")
            .values_list("id", "lng", "lat", "level", "enterprise__name", "point__name", "camera__name",
                         "scenario__name", "condition")[:limit])
    levels, conditions = dict(AlarmLevel.choices), dict(Condition.choices)
    points = []
    for pk, lng, lat, level, enterprise, point, camera, scenario, condition in rows:
        what = scenario or str(conditions.get(condition, condition))
        points.append(MapPoint(id=pk, lng=float(lng), lat=float(lat), name=f"{enterprise} · {what}",
                               css_class=level, detail=f"{levels.get(level, level)} · {point or camera or ''}"))
    return points


map_layers.register(MapLayer(key="alarms", label=_("Active alarms"), order=30, points=alarm_points,
                             url_name="monitoring:alarm-detail", legend=LEGEND, permission=BOARD))
