"""``shouye rules NAME`` as a service of the platform: the same names, input and answers as the command
(:func:`shouye.rules.cli.run`), except that the rules that need the work calendar use the one stored in the
database (``workcalendar.selectors.work_calendar``) instead of the chinese_calendar package's, so that a year
an administrator added counts (REGULATIONS.md §8; GB 30871-2022 5.1.1)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from shouye.rules import cli, permits
from shouye.rules._values import to_date, to_int
from shouye.rules.errors import RuleInputError
from shouye.rules.workdays import BASIS as WORKDAYS_BASIS
from shouye.rules.workdays import WorkCalendar
from shouye.workcalendar.selectors import work_calendar

NAMES = tuple(cli.COMMANDS)

HOT_WORK_FLAGS = ("fire_explosion_area", "on_operating_equipment", "in_mhi_tank_farm_dike", "on_pipe_rack",
                  "shut_down_and_isolated")


def _required(payload: dict, field: str, label: str) -> object:
    if payload.get(field) is None:
        raise RuleInputError(_("%(label)s (%(field)s) is missing.") % {"label": label, "field": field}, field)
    return payload[field]


def _hot_work_grade(payload: dict, calendar: WorkCalendar) -> dict:
    result = permits.hot_work_grade(
        start=_required(payload, "start", _("Start of the work")),
        wind_force=payload.get("wind_force"),
        outdoor=payload.get("outdoor", True),
        calendar=calendar,
        **{flag: payload.get(flag, False) for flag in HOT_WORK_FLAGS},
    )
    return {"grade": result.grade, "raised_by": list(result.raised_by), "basis": result.basis}


def _workdays(payload: dict, calendar: WorkCalendar) -> dict:
    check, add = payload.get("check"), payload.get("add")
    if (check is None) == (add is None):
        raise RuleInputError(_("Give either check (is this date a working day) or start and add (add working "
                               "days)."), "add")
    if check is not None:
        day = to_date(check, "check", label="日期")
        return {"is_workday": calendar.is_workday(day, field="check"), "basis": WORKDAYS_BASIS}
    start = to_date(_required(payload, "start", _("Start date")), "start", label="起始日期")
    n = to_int(add, "add", label="工作日数", minimum=None)
    return {"date": calendar.add_workdays(start, n).isoformat(), "basis": WORKDAYS_BASIS}


#: The rules that read the work calendar, with the fields each accepts.
CALENDAR_RULES: dict[str, tuple[Callable[[dict, WorkCalendar], dict], frozenset[str]]] = {
    "hot-work-grade": (_hot_work_grade, frozenset({"start", "wind_force", "outdoor", *HOT_WORK_FLAGS})),
    "workdays": (_workdays, frozenset({"start", "add", "check"})),
}


def run(name: str, payload: object) -> tuple[int, dict]:
    """Exit code (0 or 2, as the command's) and the answer or ``{"error", "field"}``."""
    if name not in CALENDAR_RULES or not isinstance(payload, dict):
        return cli.run(name, payload)
    handler, fields = CALENDAR_RULES[name]
    try:
        answer = handler(payload, work_calendar())
        unknown = sorted(set(payload) - fields)
        if unknown:
            raise RuleInputError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)}, unknown[0])
    except RuleInputError as exc:
        return cli.EXIT_BAD_INPUT, {"error": exc.message, "field": exc.field}
    return cli.EXIT_OK, answer
