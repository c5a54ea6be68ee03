"""Statistics of special operations for the bureau, townships and departments (issue 12): permits per enterprise
per month by kind and grade, the average approval lead time (approved_at − applied_at) and problems per 100
permits, by township and by industry; and their Excel through core's writer.

Filters are the one :class:`StatisticsFilter` (validated as every filter: an invalid value is an error, never the
whole scope); the period is the application time in the bureau's time zone, the current month unless given, so
a page groups a month of the district's permits, not years. Everything is grouped in the database: a fixed
number of queries whatever the number of permits."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime, time, timedelta

import django_filters
from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.audit import services as audit
from shouye.core.filters import DateFilter, FilterSet, IntegerFilter
from shouye.core.xlsx import StreamingXlsx
from shouye.enterprises.models import Industry
from shouye.enterprises.selectors import offered_industries, offered_townships
from shouye.regions.models import Region

from .board import grade_label
from .choices import PermitKind
from .models import SpecialOperationPermit

EXPORT_VERB = "permit.export-statistics"
LEAD_TIME = ExpressionWrapper(F("approved_at") - F("applied_at"), output_field=DurationField())


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class StatisticsFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    industry = django_filters.ModelChoiceFilter(field_name="industry", to_field_name="code", label=_("Industry"),
                                                queryset=offered_industries)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    kind = django_filters.ChoiceFilter(choices=PermitKind.choices, label=_("Kind"))
    applied_from = DateFilter(label=_("Applied from"), method="filter_applied_from")
    applied_to = DateFilter(label=_("Applied until"), method="filter_applied_to")

    class Meta:
        model = SpecialOperationPermit
        fields = ["township", "industry", "enterprise", "kind", "applied_from", "applied_to"]

    def filter_applied_from(self, queryset, name, value):
        return queryset.filter(applied_at__gte=_start_of(value))

    def filter_applied_to(self, queryset, name, value):
        return queryset.filter(applied_at__lt=_start_of(value + timedelta(days=1)))

    def period(self) -> tuple:
        """The days the statistics cover: the given ones, or the current month (first day to today)."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        today = timezone.localdate()
        return data.get("applied_from") or today.replace(day=1), data.get("applied_to") or today


def statistics_permits(user, data: Mapping | None, request=None) -> StatisticsFilter:
    """The filter set over the permits ``user`` sees (its :meth:`~StatisticsFilter.period` adds the default)."""
    return StatisticsFilter(data or None, queryset=SpecialOperationPermit.objects.visible_to(user).order_by(),
                            request=request)


def period_permits(filterset: StatisticsFilter):
    """The filtered permits within the filter set's period (call once the filter set is valid)."""
    first, last = filterset.period()
    return filterset.qs.filter(applied_at__gte=_start_of(first), applied_at__lt=_start_of(last + timedelta(days=1)))


def _hours(duration) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


def _per_100(problems, total) -> float | None:
    return round(100 * (problems or 0) / total, 1) if total else None


_MEASURES = {"total": Count("id"), "lead": Avg(LEAD_TIME, filter=Q(approved_at__isnull=False)),
             "problems": Sum("problem_count")}


def _measured(row: dict) -> dict:
    return {**row, "lead_hours": _hours(row.pop("lead")), "problems": row["problems"] or 0,
            "per_100": _per_100(row["problems"], row["total"])}


def _cells(permits) -> list[dict]:
    """The period's permits grouped by township × industry × kind, with what the averages need: one query on the
    permits alone (read from ``permit_statistics_idx`` on PostgreSQL), then the few names (two small ones); every
    table of the page is summed from these few hundred rows at most."""
    cells = list(permits.values("township_id", "industry_id", "kind")
                 .annotate(total=Count("id"), approved=Count("id", filter=Q(approved_at__isnull=False)),
                           lead_sum=Sum(LEAD_TIME, filter=Q(approved_at__isnull=False)),
                           problems=Sum("problem_count")).order_by())
    townships = dict(Region.objects.filter(pk__in={cell["township_id"] for cell in cells}).values_list("pk", "name"))
    industries = dict(Industry.objects.filter(pk__in={cell["industry_id"] for cell in cells})
                      .values_list("pk", "name"))
    for cell in cells:
        cell.update(township__name=townships[cell["township_id"]], industry__name=industries[cell["industry_id"]])
    return cells


def _summed(cells: list[dict]) -> dict:
    total = sum(cell["total"] for cell in cells)
    approved = sum(cell["approved"] for cell in cells)
    lead = sum((cell["lead_sum"] for cell in cells if cell["lead_sum"] is not None), timedelta())
    problems = sum(cell["problems"] or 0 for cell in cells)
    kinds = {kind: sum(cell["total"] for cell in cells if cell["kind"] == kind) for kind in PermitKind.values}
    return {"total": total, "lead_hours": _hours(lead / approved) if approved else None, "problems": problems,
            "per_100": _per_100(problems, total), "by_kind": [kinds[kind] for kind in PermitKind.values]}


def _by_area(cells: list[dict], key: str) -> list[dict]:
    """Per township (``key`` "township") or industry: permits, by kind, average lead time, problems per 100."""
    groups: dict = {}
    for cell in cells:
        groups.setdefault((cell[f"{key}__name"], cell[f"{key}_id"]), []).append(cell)
    return [{"id": pk, "name": name, **_summed(group)} for (name, pk), group in sorted(groups.items())]


def enterprise_months(permits):
    """Permits per enterprise per month by kind and grade, as grouped rows (a queryset of dicts)."""
    return (permits.annotate(month=TruncMonth("applied_at", tzinfo=timezone.get_current_timezone()))
            .values("enterprise_id", "enterprise__name", "township__name", "industry__name", "month", "kind", "grade")
            .annotate(**_MEASURES).order_by("enterprise__name", "enterprise_id", "month", "kind", "grade"))


def month_row(row: dict) -> dict:
    kinds = dict(PermitKind.choices)
    row = _measured(dict(row))
    return {**row, "month": timezone.localtime(row["month"]).strftime("%Y-%m"),
            "kind_label": str(kinds.get(row["kind"], row["kind"])), "grade_label": grade_label(row["kind"], row["grade"])}


def permit_statistics(filterset: StatisticsFilter) -> dict:
    cells = _cells(period_permits(filterset))
    first, last = filterset.period()
    return {"first": first, "last": last, "totals": _summed(cells), "by_township": _by_area(cells, "township"),
            "by_industry": _by_area(cells, "industry"), "kinds": PermitKind.choices}


COLUMNS = ["序号", "企业名称", "街镇", "行业", "月份", "作业类别", "级别", "作业票数", "平均审批用时（小时）", "问题数",
           "每百张问题数"]


def export_statistics(*, actor, filterset: StatisticsFilter, filters: Mapping | None = None) -> tuple[bytes, str]:
    """The per-enterprise, per-month rows of the filtered period as XLSX bytes and the file name; one audit
    event."""
    output = io.BytesIO()
    count = 0
    first, last = filterset.period()
    with StreamingXlsx(output, sheet_name="特殊作业统计", freeze_header=True,
                       column_widths=[6, 30, 12, 14, 9, 14, 8, 10, 12, 8, 10]) as book:
        book.write_header(COLUMNS)
        for count, row in enumerate(enterprise_months(period_permits(filterset)).iterator(chunk_size=1000), start=1):
            row = month_row(row)
            book.write_row([count, row["enterprise__name"], row["township__name"], row["industry__name"],
                            row["month"], row["kind_label"], row["grade_label"], row["total"], row["lead_hours"],
                            row["problems"], row["per_100"]])
    plain = {key: filters.getlist(key) if hasattr(filters, "getlist") else filters[key] for key in (filters or {})}
    with transaction.atomic():
        audit.record(actor=actor, verb=EXPORT_VERB, note=f"{count} rows",
                     changes={"rows": count, "filters": plain, "period": [first.isoformat(), last.isoformat()]})
    return output.getvalue(), f"special-operation-statistics-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
