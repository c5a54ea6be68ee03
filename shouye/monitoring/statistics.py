"""Alarm statistics per enterprise (issue 13, "per-enterprise statistics (alarms per day, acknowledgement time
median and p90, false-alarm rate, offline points)"), for the bureau, townships and departments in their scope.

- **Acknowledgement time**: the first response minus ``raised_at``. The first response is ``acknowledged_at``,
  or ``handling_at`` when handling began without an acknowledgement (the lifecycle allows skipping it,
  ``workflow.py``). Median and p90 are ``percentile_cont`` (continuous, interpolated) computed by PostgreSQL;
  on SQLite (the demo) the same interpolation in Python over the period's durations.
- **Missed**: not acknowledged by ``ack_due_by`` (the deadline of the level's rule, REGULATIONS-2 §B.5 [U]):
  acknowledged after it, or not at all once it has passed.
- **False-alarm rate**: closed with the disposition *false* over all closed.
- **Offline points**: now (``PointStatus.is_offline``), not over the period.

The period is the raising time in the bureau's time zone, the last :data:`DEFAULT_DAYS` days unless given, at
most :data:`MAX_DAYS` days (a filter beyond is an error, on the page, the API and the Excel alike). Everything is
grouped in the database: a fixed number of queries whatever the number of alarms."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import DateFilter, FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_townships

from .choices import ACTIVE_STATES, LEVEL_ORDER, AlarmState, Disposition
from .models import Alarm, PointStatus

DEFAULT_DAYS = 30
#: The longest period one request groups (a quarter): beyond, the page would group years of a province.
MAX_DAYS = 92
FIRST_RESPONSE = Coalesce("acknowledged_at", "handling_at")
RESPONSE_TIME = ExpressionWrapper(FIRST_RESPONSE - F("raised_at"), output_field=DurationField())
RESPONDED = Q(acknowledged_at__isnull=False) | Q(handling_at__isnull=False)
CLOSED = Q(state=AlarmState.CLOSED)
FALSE = Q(state=AlarmState.CLOSED, disposition=Disposition.FALSE)


def missed(now) -> Q:
    """Not acknowledged by the deadline: answered late, or not answered and the deadline has passed."""
    late = Q(acknowledged_at__gt=F("ack_due_by")) | Q(acknowledged_at__isnull=True, handling_at__gt=F("ack_due_by"))
    return late | Q(acknowledged_at__isnull=True, handling_at__isnull=True, ack_due_by__lt=now)


class Percentile(Aggregate):
    """PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`` over an interval."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile(values: list[float], fraction: float) -> float | None:
    """``percentile_cont`` in Python: linear interpolation between the closest ranks of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def period_of(first, last) -> tuple:
    """The days covered: those given, else :data:`DEFAULT_DAYS` days ending on the given last day (or today), or
    starting on the given first day (to today at most)."""
    today = timezone.localdate()
    if first is None:
        last = last or today
        return last - timedelta(days=DEFAULT_DAYS - 1), last
    return first, last or max(first, min(first + timedelta(days=DEFAULT_DAYS - 1), today))


class PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        first, last = period_of(data.get("raised_from"), data.get("raised_to"))
        if first > last:
            raise forms.ValidationError(_("The period ends before it begins."))
        if (last - first).days + 1 > MAX_DAYS:
            raise forms.ValidationError(_("The period is longer than %(days)s days.") % {"days": MAX_DAYS})
        return data


class StatisticsFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    raised_from = DateFilter(label=_("Raised from"), method="filter_nothing")
    raised_to = DateFilter(label=_("Raised until"), method="filter_nothing")

    class Meta:
        model = Alarm
        fields = ["township", "enterprise", "raised_from", "raised_to"]
        form = PeriodForm

    def filter_nothing(self, queryset, name, value):
        """The period is applied by :func:`period_alarms`, with its default when a bound is missing."""
        return queryset

    def period(self) -> tuple:
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return period_of(data.get("raised_from"), data.get("raised_to"))


def statistics_alarms(user, data: Mapping | None, request=None) -> StatisticsFilter:
    return StatisticsFilter(data or None, queryset=Alarm.objects.visible_to(user).order_by(), request=request)


def period_alarms(filterset: StatisticsFilter):
    """The filtered alarms raised within the period (call once the filter set is valid)."""
    first, last = filterset.period()
    return filterset.qs.filter(raised_at__gte=start_of(first), raised_at__lt=start_of(last + timedelta(days=1)))


def minutes(value) -> float | None:
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    return round(seconds / 60, 1)


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def counts_of(now) -> dict:
    return {"total": Count("id"), "responded": Count("id", filter=RESPONDED), "missed": Count("id", filter=missed(now)),
            "closed": Count("id", filter=CLOSED), "false": Count("id", filter=FALSE),
            "open": Count("id", filter=Q(state__in=ACTIVE_STATES)),
            **{level.value: Count("id", filter=Q(level=level)) for level in LEVEL_ORDER}}


def _percentiles() -> dict:
    return {"median": Percentile(RESPONSE_TIME, 0.5, filter=RESPONDED),
            "p90": Percentile(RESPONSE_TIME, 0.9, filter=RESPONDED)}


def _durations_by(alarms, key: str | None) -> dict:
    """SQLite: the response times in seconds of the responded alarms, per ``key`` (one query)."""
    groups: dict = {}
    fields = ["raised_at", "acknowledged_at", "handling_at"] + ([key] if key else [])
    for row in alarms.filter(RESPONDED).values_list(*fields):
        answered = row[1] or row[2]
        groups.setdefault(row[3] if key else None, []).append((answered - row[0]).total_seconds())
    return groups


def _measured(row: dict, durations: list[float] | None = None) -> dict:
    if durations is not None:
        row["median"], row["p90"] = percentile(durations, 0.5), percentile(durations, 0.9)
    return {**row, "median_minutes": minutes(row.pop("median")), "p90_minutes": minutes(row.pop("p90")),
            "false_rate": rate(row["false"], row["closed"]),
            "by_level": [{"level": level.value, "label": str(level.label), "count": row[level.value]}
                         for level in LEVEL_ORDER]}


def summarise(alarms, now) -> dict:
    """The period's figures over ``alarms`` (one query on PostgreSQL, two on SQLite)."""
    if connection.vendor == "postgresql":
        return _measured(alarms.aggregate(**counts_of(now), **_percentiles()))
    row = alarms.aggregate(**counts_of(now))
    return _measured({**row, "median": None, "p90": None}, _durations_by(alarms, None).get(None, []))


def per_enterprise(alarms, now) -> list[dict]:
    """The period's figures per enterprise, the most alarms first (one query; two on SQLite)."""
    grouped = alarms.values("enterprise_id", "enterprise__name", "township__name").annotate(**counts_of(now))
    if connection.vendor == "postgresql":
        rows = grouped.annotate(**_percentiles()).order_by("-total", "enterprise__name")
        return [_measured(dict(row)) for row in rows]
    durations = _durations_by(alarms, "enterprise_id")
    return [_measured({**row, "median": None, "p90": None}, durations.get(row["enterprise_id"], []))
            for row in grouped.order_by("-total", "enterprise__name")]


def per_day(alarms, first, last) -> list[dict]:
    """Alarms raised per day of the period, every day listed (one query)."""
    counted = dict(alarms.annotate(day=TruncDate("raised_at", tzinfo=timezone.get_current_timezone()))
                   .values_list("day").annotate(n=Count("id")).order_by())
    days = (last - first).days + 1
    return [{"day": first + timedelta(days=i), "count": counted.get(first + timedelta(days=i), 0)}
            for i in range(days)]


def offline_by_enterprise(user, filterset: StatisticsFilter) -> dict[int, int]:
    """Points offline now per enterprise, within the filter's township and enterprise (one query)."""
    statuses = PointStatus.objects.visible_to(user).filter(is_offline=True)
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    if data.get("township"):
        statuses = statuses.filter(point__township=data["township"])
    if data.get("enterprise") is not None:
        statuses = statuses.filter(point__enterprise_id=data["enterprise"])
    return dict(statuses.values_list("point__enterprise_id").annotate(n=Count("point_id")).order_by())


def alarm_statistics(user, filterset: StatisticsFilter, now=None) -> dict:
    """The whole page's statistics for a valid filter set, in four queries (six on SQLite)."""
    now = now or timezone.now()
    first, last = filterset.period()
    alarms = period_alarms(filterset)
    offline = offline_by_enterprise(user, filterset)
    rows = per_enterprise(alarms, now)
    for row in rows:
        row["offline_points"] = offline.pop(row["enterprise_id"], 0)
    return {"first": first, "last": last, "totals": {**summarise(alarms, now),
                                                     "offline_points": sum(r["offline_points"] for r in rows)
                                                     + sum(offline.values())},
            "per_day": per_day(alarms, first, last), "enterprises": rows}
