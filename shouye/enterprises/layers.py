"""The enterprises layer of the one map (一张图, issue 10): every enterprise with a location in the user's scope,
coloured by its supervision grade (分级分类监管; a later risks app colours by risk colour instead)."""

from django.utils.translation import gettext_lazy as _

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers

from .choices import OperatingStatus
from .models import Enterprise

#: Grade A (lowest risk, inspected least) to D (highest), from green to red as the bureau's risk maps read.
GRADE_LEGEND = (
    LegendEntry("A", _("Grade A"), "#2e7d32"),
    LegendEntry("B", _("Grade B"), "#1565c0"),
    LegendEntry("C", _("Grade C"), "#ef6c00"),
    LegendEntry("D", _("Grade D"), "#c62828"),
)


def enterprise_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """One query: the scoped enterprises with coordinates, closed ones (注销) left out, as plain tuples."""
    rows = (Enterprise.objects.visible_to(user)
            .filter(longitude__isnull=False, latitude__isnull=False)
            .exclude(status=OperatingStatus.CLOSED))
    if filters.township_id is not None:
        rows = rows.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        rows = rows.filter(industry_id=filters.industry_id)
    rows = rows.order_by().values_list("id", "longitude", "latitude", "name", "supervision_grade__code")[:limit]
    return [MapPoint(id=pk, lng=float(lng), lat=float(lat), name=name, css_class=grade)
            for pk, lng, lat, name, grade in rows]


map_layers.register(MapLayer(key="enterprises", label=_("Enterprises"), order=10, points=enterprise_points,
                             url_name="enterprises:detail", legend=GRADE_LEGEND,
                             permission="enterprises.view_enterprise"))
