"""The reporting clocks an incident's grade starts, from the rules (no Django here beyond the model's values):

- 493号令 Art. 9–11 (:func:`shouye.rules.accidents.reporting_deadlines`): the report reaches each level up to
  the one the grade requires, from the accident;
- 山东省安全生产条例 Art. 64: the unit's head reports within 1 hour (for an incident at a unit);
- Art. 65 ¶2 (:func:`shouye.rules.incidents.direct_report`): direct report within 30 minutes of the receipt,
  written within 1 hour for 较大 and above;
- 493号令 Art. 13 (:func:`shouye.rules.accidents.supplement_window`): casualty supplements until the end of the
  window's last day;
- 493号令 Art. 29 (:func:`shouye.rules.incidents.investigation_report_due`): the investigation report by the
  end of its due day, moved by the extension granted (``shouye.incidents.investigation``).

These are rules for production safety accidents; a forest fire, flood or other emergency starts none of them
(its reports are "at once", 森林防火条例 Art. 32, and the page says so)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shouye.rules.accidents import reporting_deadlines, supplement_window
from shouye.rules.data.incidents import SHANDONG_REGULATION
from shouye.rules.incidents import direct_report, investigation_report_due

from .choices import AccidentKind, ClockKind, IncidentKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Art. 64: the unit's head reports to the county within 1 hour.
UNIT_HEAD_WITHIN = timedelta(hours=1)
#: When the duty officers are warned before a clock runs out (a working choice, not a regulation): minutes for
#: the report clocks counted in hours, days for those counted in days.
WARN_BEFORE = {ClockKind.SUPPLEMENT: timedelta(days=3), ClockKind.INVESTIGATION: timedelta(days=7)}
WARN_BEFORE_DEFAULT = timedelta(minutes=15)


@dataclass(frozen=True)
class PlannedClock:
    kind: str
    due_at: datetime
    basis: str


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in Asia/Shanghai (a deadline "by the day" ends at its midnight)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=SHANGHAI)


def planned_clocks(incident) -> list[PlannedClock]:
    """The clocks of ``incident`` as its grade, times, unit and kind give them now."""
    if incident.kind != IncidentKind.ACCIDENT:
        return []
    occurred = incident.occurred_at.astimezone(SHANGHAI)
    clocks = []
    if incident.enterprise_id or incident.unit_name:
        clocks.append(PlannedClock(ClockKind.ENTERPRISE_HEAD, occurred + UNIT_HEAD_WITHIN,
                                   f"{SHANDONG_REGULATION}第六十四条：单位负责人接到报告后1小时内报告"))
    levels = reporting_deadlines(incident.grade, occurred)
    clocks += [PlannedClock(f"report_{d.level}", d.by, levels.basis) for d in levels.deadlines]
    direct = direct_report(incident.grade, incident.received_at)
    clocks.append(PlannedClock(ClockKind.DIRECT_REPORT, direct.direct_report_by, direct.basis))
    if direct.written_report_by is not None:
        clocks.append(PlannedClock(ClockKind.WRITTEN_REPORT, direct.written_report_by, direct.basis))
    kind = incident.accident_kind if incident.accident_kind != AccidentKind.OTHER else None
    window = supplement_window(occurred, kind)
    clocks.append(PlannedClock(ClockKind.SUPPLEMENT, end_of_day(window.until), window.basis))
    due = investigation_report_due(occurred.date(), incident.investigation_extension_days)
    clocks.append(PlannedClock(ClockKind.INVESTIGATION, end_of_day(due.due_on), due.basis))
    return clocks


def warn_before(kind: str) -> timedelta:
    return WARN_BEFORE.get(kind, WARN_BEFORE_DEFAULT)
