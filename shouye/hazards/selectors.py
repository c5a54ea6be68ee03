"""Read queries of the hazards app. Each takes the actor, so nothing leaves its scope (ARCHITECTURE.md §5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, DateField, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from shouye.enterprises.models import Industry
from shouye.regions.models import Region
from shouye.regions.scoping import scope_for

from . import totals
from .choices import HazardLevel, HazardState, TipOffState
from .filters import HazardFilter, day_start, overdue_q
from .models import OPEN_STATES, ExpertVerification, Extension, Hazard, HazardDailyTotal, TipOff, TipOffCheck

STAT_GROUPS = ("township", "industry", "level")


def _scoped_ledger(actor):
    return (Hazard.objects.visible_to(actor).select_related("enterprise", "township", "industry")
            .order_by("-found_at", "-id"))


def _ledger_filter(actor, filters: Mapping | None) -> HazardFilter:
    filterset = HazardFilter(filters or {}, queryset=_scoped_ledger(actor))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset


def ledger_rows(actor, filters: Mapping | None = None):
    """The hazard ledger (台账): the scoped hazards with everything a row shows, in one query, newest found
    first (ties by id, so the order is total).

    ``filters`` are the HazardFilter parameters (a QueryDict or a dict); invalid ones raise ValidationError."""
    if filters is None:
        return _scoped_ledger(actor)
    return _ledger_filter(actor, filters).qs


def hazard_detail(actor):
    """One hazard with its photos, governance plan, listed supervision, expert verifications and extensions,
    in a fixed number of queries."""
    return (
        Hazard.objects.visible_to(actor)
        .select_related("enterprise", "township", "industry", "found_by", "reinspected_by", "governance_plan",
                        "listed_supervision", "investigation_check")
        .prefetch_related(
            "photos",
            Prefetch("expert_verifications", queryset=ExpertVerification.objects.select_related("expert")),
            Prefetch("extensions", queryset=Extension.objects.select_related("requested_by", "decided_by")),
        )
    )


def overdue_hazards(actor, today: date):
    return ledger_rows(actor).overdue(today)


def tip_offs(actor):
    return TipOff.objects.visible_to(actor).select_related("enterprise", "township", "hazard")


def tip_offs_to_check(actor):
    """The tip-offs the bureau sent to the actor's township to check on site (waiting or checked), in its
    scope: a township officer sees its own township's, no other."""
    return (TipOffCheck.objects.visible_to(actor).filter(sent_at__isnull=False)
            .select_related("enterprise", "township", "hazard"))


def tip_offs_waiting_for_check(actor):
    """The township's to-do (举报待核查): sent to it and not yet checked, the longest waiting first."""
    return tip_offs_to_check(actor).filter(state=TipOffState.CHECKING).order_by("sent_at", "id")


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


#: Ledger filters the daily totals can answer; any other filter, or an enterprise in the caller's scope,
#: makes the statistics count the hazards themselves.
TOTALS_FILTERS = frozenset({"township", "industry", "level"})
CELL = ("township_id", "industry_id", "level")
COUNTS = ("found", "closed", "on_time", "overdue_now")


def _counted_live(hazards, date_from: date, date_to: date):
    """Found, closed and closed on time in the period, counted from the hazards (one grouped query).

    - found: hazards found in the period;
    - closed: of those, closed out (销号) by now; rectification rate = closed / found;
    - on time: of those closed, rectification submitted (or, closed on the spot, closed) no later than the
      deadline; a hazard closed on the spot has no deadline and counts as on time; on-time rate =
      on time / closed (``shouye.hazards.totals.on_time``, the rule the daily totals count by)."""
    found = Q(found_at__gte=day_start(date_from), found_at__lt=day_start(date_to + timedelta(days=1)))
    return (hazards.filter(found).annotate(finished_day=totals.FINISHED_DAY)
            .values(*CELL).annotate(found=Count("id"), closed=Count("id", filter=Q(state=HazardState.CLOSED)),
                                    on_time=Count("id", filter=totals.closed_on_time())))


def _totals_can_answer(scope, used_filters: set[str]) -> bool:
    """Whether the daily totals can answer for this scope and these filters: they are kept per township,
    industry and level, not per enterprise, source or state."""
    return used_filters <= TOTALS_FILTERS and not scope.enterprise_ids


def _counted_from_totals(scope, cleaned: dict, date_from: date, date_to: date):
    """The same numbers as ``_counted_live``, summed from the daily totals (HazardDailyTotal)."""
    chosen = {name: cleaned[name] for name in TOTALS_FILTERS if cleaned.get(name) not in (None, "")}
    return (HazardDailyTotal.objects.in_scope(scope).filter(day__gte=date_from, day__lte=date_to, **chosen)
            .values(*CELL).annotate(found=Sum("found"), closed=Sum("closed"), on_time=Sum("on_time")))


def _with_rates(row: dict) -> dict:
    row["rectification_rate"] = _rate(row["closed"], row["found"])
    row["on_time_rate"] = _rate(row["on_time"], row["closed"])
    return row


def _roll_up(cells: dict[tuple, dict], group_by: set[str]) -> dict:
    """The total and each grouping, summed from the cells of one township, industry and level; townships
    and industries named by code and name (one query each, for the ids present)."""
    def summed(position: int) -> dict:
        groups: dict = {}
        for cell, counts in cells.items():
            group = groups.setdefault(cell[position], dict.fromkeys(COUNTS, 0))
            for name in COUNTS:
                group[name] += counts[name]
        return groups

    def named(model, position: int) -> list[dict]:
        groups = summed(position)
        names = {pk: (code, name) for pk, code, name in
                 model.objects.filter(pk__in=groups).values_list("pk", "code", "name")} if groups else {}
        return [_with_rates({"code": names[pk][0], "name": names[pk][1], **counts})
                for pk, counts in sorted(groups.items(), key=lambda item: names[item[0]][0])]

    result = _with_rates({name: sum(counts[name] for counts in cells.values()) for name in COUNTS})
    if "township" in group_by:
        result["by_township"] = named(Region, 0)
    if "industry" in group_by:
        result["by_industry"] = named(Industry, 1)
    if "level" in group_by:
        labels = dict(HazardLevel.choices)
        result["by_level"] = [_with_rates({"level": level, "label": str(labels.get(level, level)), **counts})
                              for level, counts in sorted(summed(2).items())]
    return result


def hazard_stats(actor, *, date_from: date, date_to: date, today: date | None = None,
                 group_by: Iterable[str] = STAT_GROUPS, filters: Mapping | None = None) -> dict:
    """Statistics for the actor's scope and a period: found, closed, rectification rate, on-time rate
    (definitions in ``_counted_live``) and overdue now — hazards past their deadline and not rectified,
    whenever they were found (an old overdue hazard is exactly what the bureau must see) — in total and by
    township, industry and level. ``filters`` narrow the scope with the ledger's filters (one township, one
    enterprise …).

    At most four queries whatever the number of hazards: the period's counts, summed from the daily totals
    when the scope and filters are townships, industries and levels (the bureau, township and department
    officers) and counted from the hazards otherwise (one enterprise, a source, a state …); the overdue
    hazards counted now, both grouped by township, industry and level and rolled up here; and the names of
    the townships and industries present."""
    today = today or timezone.localdate()
    filterset = _ledger_filter(actor, filters)
    hazards = filterset.qs.select_related(None).order_by()
    scope = scope_for(actor)
    used = {name for name, value in filterset.form.cleaned_data.items() if value not in (None, "")}
    if _totals_can_answer(scope, used):
        counted = _counted_from_totals(scope, filterset.form.cleaned_data, date_from, date_to)
    else:
        counted = _counted_live(hazards, date_from, date_to)
    cells: dict[tuple, dict] = {}
    for row in counted:
        cells[tuple(row[name] for name in CELL)] = {"found": row["found"], "closed": row["closed"],
                                                     "on_time": row["on_time"], "overdue_now": 0}
    for row in hazards.filter(overdue_q(today)).values(*CELL).annotate(overdue_now=Count("*")):
        cell = cells.setdefault(tuple(row[name] for name in CELL), dict.fromkeys(COUNTS, 0))
        cell["overdue_now"] = row["overdue_now"]
    return {"date_from": date_from, "date_to": date_to, **_roll_up(cells, set(group_by))}


def _month_key(value) -> str:
    return f"{value:%Y-%m}"


def monthly_counts(actor, *, date_from: date, date_to: date) -> list[dict]:
    """Hazards by the month they were found, from the month of ``date_from`` to that of ``date_to``: found, of
    those closed out (销号) by now and closed on time (the definitions of ``_counted_live``), with the rates;
    one row per month, empty months included, for the cockpit's trend.

    One grouped query whatever the number of hazards: summed by month from the daily totals, or counted from
    the hazards for a scope of single enterprises, which the totals do not keep."""
    scope = scope_for(actor)
    if _totals_can_answer(scope, set()):
        counted = (HazardDailyTotal.objects.in_scope(scope).filter(day__gte=date_from, day__lte=date_to)
                   .annotate(month=TruncMonth("day")).values("month")
                   .annotate(found=Sum("found"), closed=Sum("closed"), on_time=Sum("on_time")))
    else:
        found_in = Q(found_at__gte=day_start(date_from), found_at__lt=day_start(date_to + timedelta(days=1)))
        counted = (Hazard.objects.visible_to(actor).order_by().filter(found_in)
                   .annotate(month=TruncMonth("found_at", output_field=DateField()),
                             finished_day=totals.FINISHED_DAY)
                   .values("month").annotate(found=Count("id"),
                                             closed=Count("id", filter=Q(state=HazardState.CLOSED)),
                                             on_time=Count("id", filter=totals.closed_on_time())))
    months: dict[str, dict] = {}
    month = date(date_from.year, date_from.month, 1)
    while month <= date_to:
        months[_month_key(month)] = {"month": _month_key(month), "found": 0, "closed": 0, "on_time": 0}
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for row in counted:
        months[_month_key(row["month"])].update(found=row["found"], closed=row["closed"], on_time=row["on_time"])
    return [_with_rates(row) for row in months.values()]


def open_hazard_counts(actor, today: date | None = None) -> dict:
    """The hazards not yet closed out in the actor's scope, in one query: all of them, those past their
    deadline (overdue, ``overdue_q``) and the major ones (重大事故隐患, 16号令 Art. 3). Counted on ``state``
    (never empty), not the id, so the database answers from the index on state, deadline, township, industry
    and level alone."""
    today = today or timezone.localdate()
    return (Hazard.objects.visible_to(actor).order_by().filter(state__in=OPEN_STATES)
            .aggregate(open=Count("state"), overdue=Count("state", filter=overdue_q(today)),
                       major=Count("state", filter=Q(level=HazardLevel.MAJOR))))
