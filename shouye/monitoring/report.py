"""The daily alarm report (issue 13, "a daily alarm report (Excel)"): one day's alarms in the reader's scope, by
level, by township and by enterprise with their handling (median acknowledgement time, missed acknowledgements,
closed, false alarms), then every alarm of the day with its handling times and disposition. Written by core's
writer (``shouye/core/xlsx.py``: one sheet, its sections one after the other), one audit event per download."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import timedelta

import django_filters
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.audit import services as audit
from shouye.core.filters import DateFilter, FilterSet, IntegerFilter
from shouye.core.xlsx import StreamingXlsx
from shouye.enterprises.selectors import offered_townships

from . import statistics as stats
from .choices import AlarmLevel, AlarmState, Condition, Disposition
from .models import Alarm

EXPORT_VERB = "alarm.export-daily-report"
LIST_COLUMNS = ["序号", "报警时间", "级别", "企业名称", "街镇", "重大危险源", "监测点/摄像头", "报警内容", "状态", "确认时间",
                "确认用时（分钟）", "超时未确认", "消警时间", "关闭时间", "处置结论", "原因", "处置措施"]
WIDTHS = [6, 17, 6, 28, 12, 18, 18, 22, 10, 17, 10, 8, 17, 17, 10, 24, 24]


class DailyReportFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    day = DateFilter(label=_("Day"), method="filter_day")

    class Meta:
        model = Alarm
        fields = ["township", "enterprise", "day"]

    def filter_day(self, queryset, name, value):
        """The day is applied by :func:`day_alarms`, today when it is not given."""
        return queryset

    def report_day(self):
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("day") or timezone.localdate()


def report_filter(user, data: Mapping | None, request=None) -> DailyReportFilter:
    return DailyReportFilter(data or None, queryset=Alarm.objects.visible_to(user).order_by(), request=request)


def day_alarms(filterset: DailyReportFilter):
    day = filterset.report_day()
    start = stats.start_of(day)
    return filterset.qs.filter(raised_at__gte=start, raised_at__lt=start + timedelta(days=1))


def _group_rows(alarms, key: str, label_of, now) -> list[list]:
    rows = []
    for row in (alarms.values(key).annotate(**stats.counts_of(now)).order_by(key)):
        rows.append([label_of(row[key]), row["total"], row["missed"], row["closed"], row["false"],
                     stats.rate(row["false"], row["closed"])])
    return rows


def _label(choices):
    labels = dict(choices)
    return lambda value: str(labels.get(value, value or ""))


def _what(row) -> str:
    if row["scenario__name"]:
        return row["scenario__name"]
    text = _label(Condition.choices)(row["condition"])
    return f"{text} {row['value']:g}" if row["value"] is not None else text


def export_daily_report(*, actor, filterset: DailyReportFilter, filters: Mapping | None = None) -> tuple[bytes, str]:
    """The day's report as XLSX bytes and its file name; one audit event."""
    now = timezone.now()
    day = filterset.report_day()
    alarms = day_alarms(filterset)
    summary = stats.summarise(alarms, now)
    levels, states, dispositions = _label(AlarmLevel.choices), _label(AlarmState.choices), _label(Disposition.choices)
    output = io.BytesIO()
    count = 0
    with StreamingXlsx(output, sheet_name="报警日报", column_widths=WIDTHS) as book:
        book.write_header([f"报警日报 {day:%Y-%m-%d}"])
        book.write_row(["报警总数", summary["total"], "确认用时中位数（分钟）", summary["median_minutes"],
                        "确认用时P90（分钟）", summary["p90_minutes"], "超时未确认", summary["missed"],
                        "已关闭", summary["closed"], "误报率（%）", summary["false_rate"]])
        book.write_row([])
        for title, key, label_of in (("按级别", "level", levels), ("按街镇", "township__name", str),
                                     ("按企业", "enterprise__name", str)):
            book.write_header([title, "报警数", "超时未确认", "已关闭", "误报", "误报率（%）"])
            book.write_rows(_group_rows(alarms, key, label_of, now))
            book.write_row([])
        book.write_header(LIST_COLUMNS)
        rows = (alarms.order_by("raised_at", "id")
                .values("raised_at", "level", "enterprise__name", "township__name", "installation__name",
                        "point__name", "camera__name", "scenario__name", "condition", "value", "state",
                        "acknowledged_at", "ack_due_by", "handling_at", "cleared_at", "closed_at", "disposition",
                        "cause", "measures"))
        for count, row in enumerate(rows.iterator(chunk_size=1000), start=1):
            answered = row["acknowledged_at"] or row["handling_at"]
            late = (answered or now) > row["ack_due_by"]
            book.write_row([count, timezone.localtime(row["raised_at"]), levels(row["level"]),
                            row["enterprise__name"], row["township__name"], row["installation__name"] or "",
                            row["point__name"] or row["camera__name"] or "", _what(row), states(row["state"]),
                            timezone.localtime(answered) if answered else None,
                            stats.minutes(answered - row["raised_at"]) if answered else None,
                            "是" if late else "否",
                            timezone.localtime(row["cleared_at"]) if row["cleared_at"] else None,
                            timezone.localtime(row["closed_at"]) if row["closed_at"] else None,
                            dispositions(row["disposition"]) if row["disposition"] else "",
                            row["cause"], row["measures"]])
    plain = {key: filters.getlist(key) if hasattr(filters, "getlist") else filters[key] for key in (filters or {})}
    with transaction.atomic():
        audit.record(actor=actor, verb=EXPORT_VERB, note=f"{count} alarms",
                     changes={"alarms": count, "filters": plain, "day": day.isoformat()})
    return output.getvalue(), f"alarm-daily-report-{day:%Y%m%d}.xlsx"
