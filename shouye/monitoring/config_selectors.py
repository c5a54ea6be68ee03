"""Read queries of the configuration pages and API: the gateways, points and cameras an actor sees, the video
vendors with their counts, and a point's trend.

A trend is downsampled in SQL so that a page never reads more than about 1,500 rows whatever the point's rate:
up to an hour, the raw readings; up to a day, the raw readings per minute (minimum, maximum, mean); beyond, the
minute aggregates per hour (raw readings are kept 30 days only, 40号令 Art. 13, REGULATIONS-2 §B.3; the
aggregates for years)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncHour, TruncMinute

from .models import AlarmVendor, Camera, Gateway, MinuteAggregate, MonitoringPoint, Reading, UnmappedTypeCode

#: The longest span a trend or the readings API answers for.
MAX_SPAN = timedelta(days=92)
RAW_SPAN = timedelta(hours=1)
MINUTE_SPAN = timedelta(days=1)


def gateways(actor):
    return (Gateway.objects.visible_to(actor).select_related("enterprise", "installation")
            .annotate(point_count=Count("points", filter=Q(points__is_active=True))))


def points(actor):
    return MonitoringPoint.objects.visible_to(actor).select_related("enterprise", "gateway", "installation",
                                                                    "status")


def _count(queryset) -> Subquery:
    """How many rows of ``queryset`` (filtered on ``OuterRef("pk")``), as one subquery: two counts of two
    relations in one query, without multiplying each other's rows."""
    return Subquery(queryset.order_by().values("vendor").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField())


def vendors():
    """The video vendors (the district's, no one's scope), each with its cameras and the type codes it sent
    unmapped."""
    return AlarmVendor.objects.annotate(
        camera_count=_count(Camera.objects.filter(vendor=OuterRef("pk"))),
        unmapped_count=_count(UnmappedTypeCode.objects.filter(vendor=OuterRef("pk"))),
    ).order_by("code")


def cameras(actor):
    return Camera.objects.visible_to(actor).select_related("enterprise", "vendor", "installation")


@dataclass(frozen=True)
class Trend:
    """``rows`` of (time, minimum, maximum, mean) — the three equal for raw readings; ``resolution`` is
    ``raw``, ``minute`` or ``hour``."""

    resolution: str
    rows: list[tuple[datetime, float, float, float]]


def trend(point: MonitoringPoint, start: datetime, end: datetime) -> Trend:
    """The point's values from ``start`` to ``end`` (at most :data:`MAX_SPAN`), downsampled by the span."""
    span = end - start
    if span <= RAW_SPAN:
        rows = Reading.objects.filter(point=point, measured_at__gte=start, measured_at__lt=end).order_by(
            "measured_at").values_list("measured_at", "value")
        return Trend("raw", [(at, value, value, value) for at, value in rows])
    if span <= MINUTE_SPAN:
        rows = (Reading.objects.filter(point=point, measured_at__gte=start, measured_at__lt=end)
                .annotate(bucket=TruncMinute("measured_at")).values("bucket")
                .annotate(low=Min("value"), high=Max("value"), mean=Avg("value")).order_by("bucket")
                .values_list("bucket", "low", "high", "mean"))
        return Trend("minute", list(rows))
    rows = (MinuteAggregate.objects.filter(point=point, minute__gte=start, minute__lt=end)
            .annotate(bucket=TruncHour("minute")).values("bucket")
            .annotate(low=Min("minimum"), high=Max("maximum"), total_sum=Sum("total"), n=Sum("count"))
            .order_by("bucket").values_list("bucket", "low", "high", "total_sum", "n"))
    return Trend("hour", [(at, low, high, total / n if n else None) for at, low, high, total, n in rows])
