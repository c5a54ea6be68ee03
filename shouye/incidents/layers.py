"""The active incidents' layer of the one map (issue 14): each incident under way at its own point, or its
enterprise's when it has none, coloured by grade, with the teams out there and the materials sent to it."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers

from .choices import ACTIVE_STATES, Grade
from .models import Incident
from .response import dispatched_text, dispatched_to
from .workflow import VIEW

GRADE_COLOURS = {Grade.EXTRAORDINARY: "#b71c1c", Grade.MAJOR: "#e53935", Grade.LARGE: "#fb8c00",
                 Grade.ORDINARY: "#fdd835"}
LEGEND = tuple(LegendEntry(grade, label, GRADE_COLOURS[grade], emphasis=grade != Grade.ORDINARY)
               for grade, label in reversed(Grade.choices))


def incident_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """Two queries: the user's active incidents with a point of their own or their enterprise's, newest first,
    and what is dispatched to them."""
    rows = (Incident.objects.visible_to(user).filter(state__in=ACTIVE_STATES)
            .filter(Q(longitude__isnull=False, latitude__isnull=False)
                    | Q(enterprise__longitude__isnull=False, enterprise__latitude__isnull=False)))
    if filters.township_id is not None:
        rows = rows.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        rows = rows.filter(industry_id=filters.industry_id)
    rows = rows.order_by("-occurred_at", "-id").values_list(
        "id", "longitude", "latitude", "enterprise__longitude", "enterprise__latitude", "title", "grade", "place",
        "kind")[:limit]
    rows = list(rows)
    dispatched = dispatched_to([row[0] for row in rows])
    grades, points = dict(Grade.choices), []
    for pk, lng, lat, e_lng, e_lat, title, grade, place, _kind in rows:
        own = lng is not None and lat is not None
        sent = dispatched_text(dispatched[pk])
        points.append(MapPoint(id=pk, lng=float(lng if own else e_lng), lat=float(lat if own else e_lat), name=title,
                               css_class=grade,
                               detail=f"{grades.get(grade, grade)} · {place}" + (f" · {sent}" if sent else "")))
    return points


map_layers.register(MapLayer(key="incidents", label=_("Active incidents"), order=5, points=incident_points,
                             url_name="incidents:detail", legend=LEGEND, permission=VIEW))
