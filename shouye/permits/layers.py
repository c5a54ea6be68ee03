"""The special operations layer of the one map (issue 12): each permit in progress (or suspended) at its own point,
or its enterprise's when the permit has none, drawn by kind; special hot work stands out (larger, red)."""

from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers

from .board import SPECIAL_HOT_WORK, grade_label
from .choices import LIVE_STATES, PermitKind
from .models import SpecialOperationPermit
from .workflow import BOARD

SPECIAL_CLASS = "special_hot_work"
KIND_COLOURS = {
    PermitKind.HOT_WORK: "#f57c00", PermitKind.CONFINED_SPACE: "#6a1b9a", PermitKind.LINE_BLINDING: "#00838f",
    PermitKind.WORK_AT_HEIGHT: "#1565c0", PermitKind.LIFTING: "#2e7d32", PermitKind.TEMPORARY_POWER: "#f9a825",
    PermitKind.EXCAVATION: "#6d4c41", PermitKind.ROAD_CLOSURE: "#546e7a",
}
LEGEND = (
    LegendEntry(SPECIAL_CLASS, _("Special hot work"), "#d50000", emphasis=True),
    *(LegendEntry(kind, label, KIND_COLOURS[kind]) for kind, label in PermitKind.choices),
)


def permit_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """One query: the user's permits under way with a point of their own or their enterprise's, special hot work
    first."""
    rows = (SpecialOperationPermit.objects.visible_to(user).filter(state__in=LIVE_STATES)
            .filter(Q(longitude__isnull=False, latitude__isnull=False)
                    | Q(enterprise__longitude__isnull=False, enterprise__latitude__isnull=False)))
    if filters.township_id is not None:
        rows = rows.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        rows = rows.filter(industry_id=filters.industry_id)
    rows = (rows.annotate(rank=Case(When(SPECIAL_HOT_WORK, then=Value(0)), default=Value(1)))
            .order_by("rank", "planned_end", "id")
            .values_list("id", "longitude", "latitude", "enterprise__longitude", "enterprise__latitude", "number",
                         "enterprise__name", "kind", "grade", "location", "rank")[:limit])
    kinds = dict(PermitKind.choices)
    points = []
    for pk, lng, lat, e_lng, e_lat, number, enterprise, kind, grade, location, rank in rows:
        own = lng is not None and lat is not None
        label = " ".join(part for part in (str(kinds.get(kind, kind)), grade_label(kind, grade)) if part)
        points.append(MapPoint(id=pk, lng=float(lng if own else e_lng), lat=float(lat if own else e_lat),
                               name=f"{enterprise} · {number}", css_class=SPECIAL_CLASS if rank == 0 else kind,
                               detail=f"{label} · {location}"))
    return points


map_layers.register(MapLayer(key="permits", label=_("Special operations in progress"), order=35,
                             points=permit_points, url_name="permits:detail", legend=LEGEND, permission=BOARD,
                             default_on=False))
