"""Accident grading and reporting deadlines under 国务院令第493号 (REGULATIONS.md §5).

Grade (Art. 3): the highest grade any of deaths, serious injuries (including acute industrial poisoning) and
direct economic loss reaches; "以上" includes the number, "以下" excludes it. Reporting (Art. 9–11): the unit
reports to the county level within 1 hour, and each level passes the report up within 2 more hours, as far
as the grade requires (Art. 10). Supplementary reports (Art. 13): within 30 days, 7 for road traffic and fire.
Times are Asia/Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shouye.rules._values import to_datetime, to_decimal, to_int
from shouye.rules.data.accidents import (
    ACCIDENT_KINDS,
    EACH_LEVEL_WITHIN,
    FIRST_REPORT_WITHIN,
    GRADE_LABELS,
    GRADE_THRESHOLDS,
    HIGHEST_REPORT_LEVEL,
    ORDINARY,
    REGULATION,
    REPORT_LEVEL_LABELS,
    REPORT_LEVELS,
    SUPPLEMENT_DAYS,
    SUPPLEMENT_DAYS_BY_KIND,
)
from shouye.rules.errors import RuleInputError


@dataclass(frozen=True)
class AccidentGrade:
    """``grade`` is ``extraordinary``/``major``/``large``/``ordinary``; ``decided_by`` lists the criteria
    (``deaths``, ``serious_injuries``, ``direct_loss_yuan``) that reach it (empty for ordinary)."""

    grade: str
    label: str
    decided_by: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class ReportDeadline:
    """The latest moment the report must reach ``level`` (``county``, ``city``, ``province``, ``national``)."""

    level: str
    label: str
    by: datetime


@dataclass(frozen=True)
class ReportingDeadlines:
    deadlines: tuple[ReportDeadline, ...]
    basis: str


@dataclass(frozen=True)
class SupplementWindow:
    """Supplementary reports are due by the end of ``until`` (``days`` days counted from the accident)."""

    until: date
    days: int
    basis: str


@dataclass(frozen=True)
class AccidentAssessment:
    """Grade, reporting deadlines and supplementary-report window together."""

    grade: str
    label: str
    decided_by: tuple[str, ...]
    report_deadlines: tuple[ReportDeadline, ...]
    supplement_until: date
    basis: str


_CRITERIA_LABELS = {
    "deaths": "死亡人数",
    "serious_injuries": "重伤人数（含急性工业中毒）",
    "direct_loss_yuan": "直接经济损失",
}


def accident_grade(deaths: object, serious_injuries: object, direct_loss_yuan: object) -> AccidentGrade:
    """Grade from Art. 3: the most serious grade reached by any of the three criteria."""
    values = {
        "deaths": to_int(deaths, "deaths", label="死亡人数", minimum=0),
        "serious_injuries": to_int(serious_injuries, "serious_injuries", label="重伤人数", minimum=0),
        "direct_loss_yuan": to_decimal(
            direct_loss_yuan, "direct_loss_yuan", label="直接经济损失（元）", minimum=0
        ),
    }
    for threshold in GRADE_THRESHOLDS:
        reached = tuple(name for name in values if values[name] >= getattr(threshold, name))
        if reached:
            criteria = "、".join(_CRITERIA_LABELS[name] for name in reached)
            return AccidentGrade(
                grade=threshold.grade,
                label=threshold.label,
                decided_by=reached,
                basis=f"{REGULATION}第三条：{criteria}达到{threshold.label}标准（“以上”含本数，取三项中最高的等级）",
            )
    return AccidentGrade(
        grade=ORDINARY[0],
        label=ORDINARY[1],
        decided_by=(),
        basis=f"{REGULATION}第三条：三项均未达到较大事故标准（“以下”不含本数）",
    )


def reporting_deadlines(grade: str, occurred_at: datetime) -> ReportingDeadlines:
    """Deadlines for the report to reach each level, from the time of the accident (Art. 9–11).

    County within 1 hour, then 2 more hours for each level up to the highest the grade requires: ordinary →
    city, large → province, major and extraordinary → national. Art. 9 counts the unit's hour from when its
    head learns of the accident; counting from the accident itself never gives a later deadline.
    """
    if grade not in HIGHEST_REPORT_LEVEL:
        raise RuleInputError(f"事故等级应为{'、'.join(GRADE_LABELS)}之一，收到 {grade!r}", "grade")
    moment = to_datetime(occurred_at, "occurred_at", label="事故发生时间")
    levels = REPORT_LEVELS[: REPORT_LEVELS.index(HIGHEST_REPORT_LEVEL[grade]) + 1]
    deadlines = tuple(
        ReportDeadline(
            level=level,
            label=REPORT_LEVEL_LABELS[level],
            by=moment + FIRST_REPORT_WITHIN + EACH_LEVEL_WITHIN * step,
        )
        for step, level in enumerate(levels)
    )
    return ReportingDeadlines(
        deadlines=deadlines,
        basis=f"{REGULATION}第九条（1小时内报县级）、第十条（{GRADE_LABELS[grade]}逐级上报至"
        f"{REPORT_LEVEL_LABELS[levels[-1]]}）、第十一条（每级上报不超过2小时）",
    )


def supplement_window(occurred_at: datetime, kind: str | None = None) -> SupplementWindow:
    """Last day for supplementary reports when casualties change (Art. 13).

    30 days from the accident, 7 for road traffic (``kind="road_traffic"``) and fire (``kind="fire"``).
    The day of the accident is not counted, so the window ends with the day ``days`` after it.
    """
    if kind is not None and kind not in ACCIDENT_KINDS:
        allowed = "、".join(f"{k}（{v}）" for k, v in ACCIDENT_KINDS.items())
        raise RuleInputError(f"事故类型只能为{allowed}或不填，收到 {kind!r}", "kind")
    moment = to_datetime(occurred_at, "occurred_at", label="事故发生时间")
    days = SUPPLEMENT_DAYS_BY_KIND.get(kind, SUPPLEMENT_DAYS)
    described = f"{ACCIDENT_KINDS[kind]}自发生之日起7日内" if kind else "自事故发生之日起30日内"
    return SupplementWindow(
        until=moment.date() + timedelta(days=days),
        days=days,
        basis=f"{REGULATION}第十三条：伤亡人数发生变化的，{described}及时补报（发生当日不计入）",
    )


def assess_accident(
    *,
    deaths: object,
    serious_injuries: object,
    direct_loss_yuan: object,
    occurred_at: datetime,
    kind: str | None = None,
) -> AccidentAssessment:
    """Grade, reporting deadlines and supplementary-report window of one accident."""
    graded = accident_grade(deaths, serious_injuries, direct_loss_yuan)
    reporting = reporting_deadlines(graded.grade, occurred_at)
    window = supplement_window(occurred_at, kind)
    return AccidentAssessment(
        grade=graded.grade,
        label=graded.label,
        decided_by=graded.decided_by,
        report_deadlines=reporting.deadlines,
        supplement_until=window.until,
        basis=REGULATION
        + "；".join(b.removeprefix(REGULATION) for b in (graded.basis, reporting.basis, window.basis)),
    )
