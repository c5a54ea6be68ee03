"""The inspections layer of the one map (一张图, issue 10): inspections carried out this calendar month (in the
bureau's time zone), at the enterprise's location; off when the map opens."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.core.registry import LegendEntry, MapFilters, MapLayer, MapPoint, map_layers

from .choices import InspectionState
from .models import Inspection

INSPECTION_LEGEND = (
    LegendEntry(InspectionState.FINISHED, _("Finished"), "#6a1b9a"),
    LegendEntry(InspectionState.IN_PROGRESS, _("In progress"), "#00838f"),
)


def month_start():
    """Midnight of the first day of this month in the bureau's time zone."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today.replace(day=1), time.min))


def inspection_points(user, filters: MapFilters, limit: int) -> list[MapPoint]:
    """One query: the scoped inspections of this month, joined to the enterprise for its location and name."""
    rows = (Inspection.objects.visible_to(user)
            .filter(inspected_at__gte=month_start(),
                    enterprise__longitude__isnull=False, enterprise__latitude__isnull=False))
    if filters.township_id is not None:
        rows = rows.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        rows = rows.filter(industry_id=filters.industry_id)
    rows = rows.order_by().values_list("id", "enterprise__longitude", "enterprise__latitude", "enterprise__name",
                                       "state", "inspected_at", "subject")[:limit]
    return [MapPoint(id=pk, lng=float(lng), lat=float(lat), name=name, css_class=state,
                     detail=f"{timezone.localtime(inspected_at):%Y-%m-%d} {subject}".strip())
            for pk, lng, lat, name, state, inspected_at, subject in rows]


map_layers.register(MapLayer(key="inspections", label=_("Inspections this month"), order=30,
                             points=inspection_points, url_name="inspections:detail", legend=INSPECTION_LEGEND,
                             permission="inspections.view_inspection", default_on=False))
