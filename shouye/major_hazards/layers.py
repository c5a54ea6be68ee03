"""The major hazard installations layer of the one map: each installation at its own point (or its enterprise's
when it has none), coloured by its GB 18218-2018 grade (Table 6)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers

from .choices import GRADE_COLOURS, GRADE_NAMES, InstallationState
from .models import MajorHazardInstallation
from .workflow import VIEW

LEGEND = (
    *(LegendEntry(f"grade-{grade}", name, GRADE_COLOURS[grade], emphasis=grade <= 2)
      for grade, name in GRADE_NAMES.items()),
    LegendEntry("ungraded", _("Not graded yet"), "#757575"),
)


def installation_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """One query: the user's live major hazard installations with a point of their own or their enterprise's."""
    rows = (MajorHazardInstallation.objects.visible_to(user).filter(is_major=True)
            .exclude(state=InstallationState.CANCELLED)
            .filter(Q(longitude__isnull=False, latitude__isnull=False)
                    | Q(enterprise__longitude__isnull=False, enterprise__latitude__isnull=False)))
    if filters.township_id is not None:
        rows = rows.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        rows = rows.filter(industry_id=filters.industry_id)
    rows = rows.order_by("grade", "id").values_list(
        "id", "longitude", "latitude", "enterprise__longitude", "enterprise__latitude", "name", "enterprise__name",
        "grade")[:limit]
    points = []
    for pk, lng, lat, e_lng, e_lat, name, enterprise, grade in rows:
        own = lng is not None and lat is not None
        points.append(MapPoint(id=pk, lng=float(lng if own else e_lng), lat=float(lat if own else e_lat),
                               name=f"{enterprise} · {name}",
                               css_class=f"grade-{grade}" if grade else "ungraded",
                               detail=GRADE_NAMES.get(grade, "")))
    return points


map_layers.register(MapLayer(key="major-hazards", label=_("Major hazard installations"), order=30,
                             points=installation_points, url_name="major_hazards:detail", legend=LEGEND,
                             permission=VIEW, default_on=False))
