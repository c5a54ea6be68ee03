"""The district risk layer of the one map (一张图, issue 11): each operating enterprise at its location, coloured
by its highest active risk point's grade (red/orange/yellow/blue, REGULATIONS.md §3.3), grey when it has no graded
risk point; the popup's second line gives its points by grade, whether its dual prevention is inactive, and the
bureau's 100-point colour (应急〔2018〕19号). Read from the liveness selector (a fixed number of grouped queries)
and one query for the locations."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers
from shouye.enterprises.models import Enterprise

from .choices import RISK_LEVEL_COLOURS, RiskLevel
from .scoring import COLOUR_HEX, COLOUR_LABELS
from .selectors.liveness import Filters, liveness_rows

NONE = "none"
RISK_LEGEND = (
    *(LegendEntry(value, label, COLOUR_HEX[RISK_LEVEL_COLOURS[value]], emphasis=value == RiskLevel.MAJOR)
      for value, label in RiskLevel.choices),
    LegendEntry(NONE, gettext_lazy("No graded risk point"), "#9e9e9e"),
)


def risk_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    rows = liveness_rows(user, Filters(township_id=filters.township_id, industry_id=filters.industry_id))
    located = dict(((pk, (lng, lat)) for pk, lng, lat in Enterprise.objects.visible_to(user)
                    .filter(longitude__isnull=False, latitude__isnull=False).order_by()
                    .values_list("pk", "longitude", "latitude")))
    labels = dict(RiskLevel.choices)
    points = []
    for row in rows:
        where = located.get(row.enterprise_id)
        if where is None:
            continue
        counts = " ".join(f"{labels[grade]}{row.points[grade]}" for grade in RiskLevel.values if row.points.get(grade))
        parts = [counts or _("No graded risk point")]
        if row.colour:
            parts.append(_("Assessed %(colour)s") % {"colour": COLOUR_LABELS[row.colour]})
        if row.inactive:
            parts.append(_("Dual prevention inactive"))
        points.append(MapPoint(id=row.enterprise_id, lng=float(where[0]), lat=float(where[1]), name=row.name,
                               css_class=row.highest_grade or NONE, detail=" · ".join(parts)))
        if len(points) == limit:
            break
    return points


map_layers.register(MapLayer(key="risks", label=gettext_lazy("Enterprise risk"), order=25, points=risk_points,
                             url_name="enterprises:detail", legend=RISK_LEGEND, permission="risks.view_liveness",
                             default_on=False))
