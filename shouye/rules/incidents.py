"""Clocks and grades of an incident beyond the accident rule (:mod:`shouye.rules.accidents`):

- Shandong's direct report (山东省安全生产条例 Art. 65 ¶2, REGULATIONS-2 §E.2): the county reports directly to
  the 省安委会办公室 within 30 minutes of receiving an accident report, and for 较大 and above also in writing
  within 1 hour;
- the investigation report (国务院令第493号 Art. 29, REGULATIONS-2 §E.5): within 60 days of the accident, plus
  an approved extension of at most 60 days;
- forest fires (森林防火条例 Art. 40 grades and Art. 32 report to the national headquarters, §E.7).

Times are Asia/Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shouye.rules._values import to_bool, to_date, to_datetime, to_decimal, to_int
from shouye.rules.data.accidents import GRADE_LABELS
from shouye.rules.data.incidents import (
    ACCIDENT_REGULATION,
    DIRECT_REPORT_WITHIN,
    FOREST_FIRE_ORDINARY,
    FOREST_FIRE_THRESHOLDS,
    FOREST_REGULATION,
    INVESTIGATION_DAYS,
    MAX_EXTENSION_DAYS,
    NATIONAL_REPORT_BURNING_HOURS,
    NATIONAL_REPORT_DEATHS,
    NATIONAL_REPORT_GRADES,
    NATIONAL_REPORT_SERIOUS_INJURIES,
    SHANDONG_REGULATION,
    WRITTEN_REPORT_GRADES,
    WRITTEN_REPORT_WITHIN,
)
from shouye.rules.errors import RuleInputError


@dataclass(frozen=True)
class DirectReport:
    """``written_report_by`` is None below 较大 (no written report within the hour is required)."""

    direct_report_by: datetime
    written_report_by: datetime | None
    basis: str


@dataclass(frozen=True)
class InvestigationDue:
    due_on: date
    latest_possible_on: date
    basis: str


@dataclass(frozen=True)
class ForestFireGrade:
    """``decided_by`` lists the criteria that reach ``grade`` (empty for ordinary); ``national_reasons`` why
    the fire goes to the national headquarters at once (empty when it does not)."""

    grade: str
    label: str
    decided_by: tuple[str, ...]
    report_to_national: bool
    national_reasons: tuple[str, ...]
    basis: str


def _check_grade(grade: object) -> str:
    if grade not in GRADE_LABELS:
        raise RuleInputError(f"事故等级应为{'、'.join(GRADE_LABELS)}之一，收到 {grade!r}", "grade")
    return grade


def direct_report(grade: object, received_at: object) -> DirectReport:
    """Art. 65 ¶2: the direct report within 30 minutes of receiving the accident report, and for 较大 and
    above the written report within 1 hour (both counted from the receipt, not the accident)."""
    grade = _check_grade(grade)
    moment = to_datetime(received_at, "received_at", label="接报时间")
    written = grade in WRITTEN_REPORT_GRADES
    basis = f"{SHANDONG_REGULATION}第六十五条第二款：接到事故报告后30分钟内直报省安委会办公室"
    basis += "，较大以上事故1小时内书面报告" if written else "（一般事故不要求1小时内书面报告）"
    return DirectReport(direct_report_by=moment + DIRECT_REPORT_WITHIN,
                        written_report_by=moment + WRITTEN_REPORT_WITHIN if written else None, basis=basis)


def investigation_report_due(occurred_on: object, extension_days: object = 0) -> InvestigationDue:
    """Art. 29: the report is due 60 days after the accident (the day of the accident not counted), plus an
    approved extension of at most 60 days; ``latest_possible_on`` is the date with the largest extension."""
    day = to_date(occurred_on, "occurred_on", label="事故发生日期")
    extension = to_int(extension_days, "extension_days", label="延长天数", minimum=0)
    if extension > MAX_EXTENSION_DAYS:
        raise RuleInputError(f"延长天数最长不超过{MAX_EXTENSION_DAYS}日，收到 {extension}", "extension_days")
    base = day + timedelta(days=INVESTIGATION_DAYS)
    described = f"，经批准延长{extension}日" if extension else ""
    return InvestigationDue(
        due_on=base + timedelta(days=extension),
        latest_possible_on=base + timedelta(days=MAX_EXTENSION_DAYS),
        basis=f"{ACCIDENT_REGULATION}第二十九条：自事故发生之日起{INVESTIGATION_DAYS}日内提交事故调查报告"
              f"{described}（延长期限最长不超过{MAX_EXTENSION_DAYS}日）",
    )


_FIRE_CRITERIA = {"burnt_area_ha": "受害森林面积", "deaths": "死亡人数", "serious_injuries": "重伤人数"}


def forest_fire(
    burnt_area_ha: object,
    deaths: object,
    serious_injuries: object,
    burning_hours: object = None,
    threatens_residential: object = None,
) -> ForestFireGrade:
    """Art. 40: the highest grade any of the burnt area, deaths and serious injuries reaches ("以上" includes
    the number, "以下" excludes it); Art. 32: report to the national headquarters for 重大/特别重大 fires, 3 or
    more deaths or 10 or more serious injuries, fires threatening residential areas, or still burning 24 hours
    after they started. Art. 32's other cases (border, primeval forest, national support) are for people to
    judge."""
    values = {
        "burnt_area_ha": to_decimal(burnt_area_ha, "burnt_area_ha", label="受害森林面积（公顷）", minimum=0),
        "deaths": to_int(deaths, "deaths", label="死亡人数", minimum=0),
        "serious_injuries": to_int(serious_injuries, "serious_injuries", label="重伤人数", minimum=0),
    }
    hours = None if burning_hours is None else to_decimal(
        burning_hours, "burning_hours", label="燃烧时长（小时）", minimum=0)
    threatens = False if threatens_residential is None else to_bool(
        threatens_residential, "threatens_residential", label="是否威胁居民区")
    grade, label, reached = FOREST_FIRE_ORDINARY[0], FOREST_FIRE_ORDINARY[1], ()
    for threshold in FOREST_FIRE_THRESHOLDS:
        reached = tuple(name for name in values if values[name] >= getattr(threshold, name))
        if reached:
            grade, label = threshold.grade, threshold.label
            break
    reasons = []
    if grade in NATIONAL_REPORT_GRADES:
        reasons.append(f"属{label}")
    if values["deaths"] >= NATIONAL_REPORT_DEATHS:
        reasons.append(f"死亡{NATIONAL_REPORT_DEATHS}人以上")
    if values["serious_injuries"] >= NATIONAL_REPORT_SERIOUS_INJURIES:
        reasons.append(f"重伤{NATIONAL_REPORT_SERIOUS_INJURIES}人以上")
    if threatens:
        reasons.append("威胁居民区或者重要设施")
    if hours is not None and hours >= NATIONAL_REPORT_BURNING_HOURS:
        reasons.append(f"发生后{NATIONAL_REPORT_BURNING_HOURS}小时尚未扑灭明火")
    criteria = "、".join(_FIRE_CRITERIA[name] for name in reached)
    basis = (f"{FOREST_REGULATION}第四十条：{criteria}达到{label}标准（“以上”含本数，“以下”不含本数，取最高等级）"
             if reached else f"{FOREST_REGULATION}第四十条：各项均未达到较大森林火灾标准")
    basis += (f"；第三十二条：{'、'.join(reasons)}，省级森林防火指挥机构立即报告国家森林防火指挥机构"
              if reasons else "；不属第三十二条须立即报告国家森林防火指挥机构的情形（边境、原始林区等由人判断）")
    return ForestFireGrade(grade=grade, label=label, decided_by=reached, report_to_national=bool(reasons),
                           national_reasons=tuple(reasons), basis=basis)
