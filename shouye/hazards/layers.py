"""The open hazards layer of the one map (一张图, issue 10): every hazard not yet closed out, at its enterprise's
location, major ones (重大事故隐患, 16号令 Art. 3) drawn larger and red, overdue ones orange."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers

from .choices import HazardLevel, HazardState
from .models import Hazard

#: The layer's classes; a major hazard is emphasised whatever its deadline.
HAZARD_LEGEND = (
    LegendEntry("major", _("Major hazard"), "#b71c1c", emphasis=True),
    LegendEntry("overdue", _("Overdue"), "#e65100"),
    LegendEntry("open", _("Open hazard"), "#f9a825"),
)
#: The second line of a popup: the start of the description, enough to recognise the hazard.
DETAIL_CHARS = 40


def hazard_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """One query (joined to the enterprise for its location and name): the scoped hazards not closed."""
    rows = (Hazard.objects.visible_to(user)
            .exclude(state=HazardState.CLOSED)
            .filter(enterprise__longitude__isnull=False, enterprise__latitude__isnull=False))
    if filters.township_id is not None:
        rows = rows.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        rows = rows.filter(industry_id=filters.industry_id)
    rows = rows.order_by().values_list("id", "enterprise__longitude", "enterprise__latitude", "enterprise__name",
                                       "level", "state", "deadline", "description")[:limit]
    today = timezone.localdate()
    points = []
    for pk, lng, lat, name, level, state, deadline, description in rows:
        overdue = state != HazardState.SUBMITTED and deadline is not None and deadline < today
        css_class = "major" if level == HazardLevel.MAJOR else "overdue" if overdue else "open"
        points.append(MapPoint(id=pk, lng=float(lng), lat=float(lat), name=name, css_class=css_class,
                               detail=description[:DETAIL_CHARS]))
    return points


map_layers.register(MapLayer(key="hazards", label=_("Open hazards"), order=20, points=hazard_points,
                             url_name="hazards:detail", legend=HAZARD_LEGEND, permission="hazards.view_hazard"))
