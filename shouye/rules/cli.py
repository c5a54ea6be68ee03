"""``shouye rules NAME [--json '{…}']``: one rule, one JSON object in, one JSON object out.

The input object comes from ``--json`` or, without it, from standard input. Success prints the answer and
exits 0; bad input (including bad JSON, an unknown rule or an unknown field) prints
``{"error": "…", "field": "…"}`` and exits 2. Every answer carries ``basis``. Dates and times are ISO 8601,
in Asia/Shanghai time. :func:`run` is the same contract without the text handling.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import IO

from shouye.rules import (
    accidents,
    certificates,
    early_warnings,
    emergency_plans,
    enterprise_risk,
    gas_alarms,
    identifiers,
    incidents,
    major_hazard,
    permits,
    risk,
)
from shouye.rules._values import to_date, to_int
from shouye.rules.data.risk import COLOUR_GRADES
from shouye.rules.errors import RuleInputError
from shouye.rules.workdays import BASIS as WORKDAYS_BASIS
from shouye.rules.workdays import default_calendar

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Payload:
    """The input object, read field by field; fields nobody asked for are reported as unknown."""

    def __init__(self, data: dict):
        self.data = data
        self.read: set[str] = set()

    def get(self, field: str, default: object = None) -> object:
        self.read.add(field)
        return self.data.get(field, default)

    def require(self, field: str, label: str) -> object:
        self.read.add(field)
        if self.data.get(field) is None:
            raise RuleInputError(f"缺少{label}（{field}）", field)
        return self.data[field]

    def text(self, field: str, label: str) -> str:
        value = self.require(field, label)
        if not isinstance(value, str):
            raise RuleInputError(f"{label}应为文字，收到 {value!r}", field)
        return value

    def ensure_all_read(self) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise RuleInputError(f"无法识别的字段：{'、'.join(unknown)}", unknown[0])


def _number(value: Decimal | Fraction | int) -> int | float:
    """JSON number: whole values as integers, others as the nearest float."""
    if isinstance(value, int):
        return value
    return int(value) if value == int(value) else float(value)


def _credit_code(p: _Payload) -> dict:
    result = identifiers.check_credit_code(p.text("code", "统一社会信用代码"))
    out: dict = {"valid": result.valid}
    if not result.valid:
        out["reason"] = result.reason
    if result.expected_check is not None:
        out["expected_check"] = result.expected_check
    return out | {"basis": result.basis}


def _id_number(p: _Payload) -> dict:
    result = identifiers.check_id_number(p.text("number", "身份证号码"))
    out = {
        "valid": result.valid,
        "reason": result.reason,
        "birth_date": result.birth_date.isoformat() if result.birth_date else None,
        "sex": result.sex,
    }
    if result.expected_check is not None:
        out["expected_check"] = result.expected_check
    return out | {"basis": result.basis}


def _lec(p: _Payload) -> dict:
    result = risk.assess_lec(p.get("l"), p.get("e"), p.get("c"))
    return {"d": _number(result.d), "band": result.band, "colour": result.colour, "basis": result.basis}


def _risk_matrix(p: _Payload) -> dict:
    result = risk.assess_risk_matrix(p.get("l"), p.get("s"))
    return {"r": result.r, "colour": result.colour, "basis": result.basis}


def _mes(p: _Payload) -> dict:
    result = risk.assess_mes(p.get("m"), p.get("e"), p.get("s"))
    return {
        "r": _number(result.r),
        "band": result.band,
        "grade": COLOUR_GRADES[result.colour],
        "colour": result.colour,
        "basis": result.basis,
    }


def _enterprise_risk_colour(p: _Payload) -> dict:
    result = enterprise_risk.enterprise_risk_colour(p.get("score"), p.get("direct_red", False))
    return {"colour": result.colour, "basis": result.basis}


def _park_risk_grade(p: _Payload) -> dict:
    result = enterprise_risk.park_risk_grade(p.get("score"))
    return {"grade": result.grade, "basis": result.basis}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _certificate_review(p: _Payload) -> dict:
    result = certificates.review(
        p.text("kind", "证书类型"),
        p.require("issued_on", "发证日期"),
        last_review_on=p.get("last_review_on"),
        continuous_years=p.get("continuous_years", 0),
        compliant=p.get("compliant", True),
    )
    return {
        "expires_on": result.expires_on.isoformat(),
        "next_review_due": _iso(result.next_review_due),
        "apply_from": _iso(result.apply_from),
        "apply_by": result.apply_by.isoformat(),
        "basis": result.basis,
    }


def _risk_point_grade(p: _Payload) -> dict:
    result = risk.assess_risk_point(
        p.require("assessments", "风险评价列表"), forced_major=p.get("forced_major", False)
    )
    return {
        "grade": result.grade,
        "colour": result.colour,
        "control_level": result.control_level,
        "basis": result.basis,
    }


def _major_hazard(p: _Payload) -> dict:
    result = major_hazard.identify_major_hazard(
        p.require("substances", "物质列表"), p.get("exposed_population")
    )
    out: dict = {"ratio_sum": _number(result.ratio_sum), "is_major": result.is_major}
    if result.is_major:
        out |= {"alpha": _number(result.alpha), "r": _number(result.r), "grade": result.grade}
    out["items"] = [
        {
            "name": item.name,
            "row": item.row,
            "category": item.category,
            "quantity_t": _number(item.quantity_t),
            "critical_quantity_t": _number(item.critical_quantity_t),
            "beta": _number(item.beta) if item.beta is not None else None,
            "ratio": _number(item.ratio),
        }
        for item in result.items
    ]
    return out | {"basis": result.basis}


def _hot_work_grade(p: _Payload) -> dict:
    flags = (
        "fire_explosion_area",
        "on_operating_equipment",
        "in_mhi_tank_farm_dike",
        "on_pipe_rack",
        "shut_down_and_isolated",
    )
    result = permits.hot_work_grade(
        start=p.require("start", "动火开始时间"),
        wind_force=p.get("wind_force"),
        outdoor=p.get("outdoor", True),
        **{flag: p.get(flag, False) for flag in flags},
    )
    return {"grade": result.grade, "raised_by": list(result.raised_by), "basis": result.basis}


def _permit_validity(p: _Payload) -> dict:
    result = permits.permit_validity(p.require("kind", "作业类型"), p.get("grade"))
    out: dict = {"max_hours": result.max_hours}
    if result.extended_max_hours is not None:
        out["extended_max_hours"] = result.extended_max_hours
    return out | {"basis": result.basis}


def _gas_test(p: _Payload) -> dict:
    result = permits.gas_test(
        kind=p.require("kind", "作业类型"),
        lel_percent=p.get("lel_percent"),
        flammable_percent_vol=p.get("flammable_percent_vol"),
        oxygen_percent=p.get("oxygen_percent"),
        oxygen_enriched=p.get("oxygen_enriched", False),
        sampled_at=p.require("sampled_at", "取样时间"),
        work_starts_at=p.require("work_starts_at", "作业开始时间"),
    )
    return {"passed": result.passed, "failures": list(result.failures), "basis": result.basis}


def _height_grade(p: _Payload) -> dict:
    result = permits.work_at_height_grade(
        p.get("height_m"), p.require("objective_hazards", "是否存在客观危险因素")
    )
    return {"grade": result.grade, "basis": result.basis}


def _lifting_grade(p: _Payload) -> dict:
    result = permits.lifting_grade(p.get("mass_t"))
    return {"grade": result.grade, "permit_required": result.permit_required, "basis": result.basis}


def _accident(p: _Payload) -> dict:
    result = accidents.assess_accident(
        deaths=p.get("deaths"),
        serious_injuries=p.get("serious_injuries"),
        direct_loss_yuan=p.get("direct_loss_yuan"),
        occurred_at=p.require("occurred_at", "事故发生时间"),
        kind=p.get("kind"),
    )
    return {
        "grade": result.grade,
        "report_deadlines": [{"level": d.level, "by": d.by.isoformat()} for d in result.report_deadlines],
        "supplement_until": result.supplement_until.isoformat(),
        "basis": result.basis,
    }


def _direct_report(p: _Payload) -> dict:
    result = incidents.direct_report(p.require("grade", "事故等级"), p.require("received_at", "接报时间"))
    written = result.written_report_by
    return {"direct_report_by": result.direct_report_by.isoformat(),
            "written_report_by": written.isoformat() if written else None, "basis": result.basis}


def _investigation_report_due(p: _Payload) -> dict:
    result = incidents.investigation_report_due(p.require("occurred_on", "事故发生日期"),
                                                p.get("extension_days", 0))
    return {"due_on": result.due_on.isoformat(), "latest_possible_on": result.latest_possible_on.isoformat(),
            "basis": result.basis}


def _forest_fire(p: _Payload) -> dict:
    result = incidents.forest_fire(p.require("burnt_area_ha", "受害森林面积"), p.require("deaths", "死亡人数"),
                                   p.require("serious_injuries", "重伤人数"), p.get("burning_hours"),
                                   p.get("threatens_residential"))
    return {"grade": result.grade, "report_to_national": result.report_to_national, "basis": result.basis}


def _workdays(p: _Payload) -> dict:
    calendar = default_calendar()
    check, add = p.get("check"), p.get("add")
    if (check is None) == (add is None):
        raise RuleInputError("请给出 check（判断某日）或 start 与 add（加若干工作日）中的一种", "add")
    if check is not None:
        day = to_date(check, "check", label="日期")
        return {"is_workday": calendar.is_workday(day, field="check"), "basis": WORKDAYS_BASIS}
    start = to_date(p.require("start", "起始日期"), "start", label="起始日期")
    n = to_int(add, "add", label="工作日数", minimum=None)
    return {"date": calendar.add_workdays(start, n).isoformat(), "basis": WORKDAYS_BASIS}


def _gas_alarm_setpoints(p: _Payload) -> dict:
    result = gas_alarms.gas_alarm_setpoints(
        p.require("kind", "气体类型"),
        oel_mg_m3=p.get("oel_mg_m3"),
        idlh_mg_m3=p.get("idlh_mg_m3"),
        range_max_mg_m3=p.get("range_max_mg_m3"),
    )
    if result.kind == "oxygen":
        out: dict = {"high": _number(result.high), "low": _number(result.low)}
    else:
        out = {"level_1": _number(result.level_1), "level_2": _number(result.level_2)}
    return out | {"unit": result.unit, "basis": result.basis}


def _drill_frequency(p: _Payload) -> dict:
    result = emergency_plans.drill_frequency(p.require("unit", "单位类别"), p.get("jurisdiction", "shandong"))
    return {
        "any_drill_every_months": result.any_drill_every_months,
        "each_special_plan_every_months": result.each_special_plan_every_months,
        "each_onsite_plan_every_months": result.each_onsite_plan_every_months,
        "basis": result.basis,
    }
def _warning_measures(p: _Payload) -> dict:
    result = early_warnings.warning_measures(p.require("level", "预警级别"))
    return {"colour": result.colour, "articles": list(result.articles), "basis": result.basis}


COMMANDS: dict[str, Callable[[_Payload], dict]] = {
    "credit-code": _credit_code,
    "id-number": _id_number,
    "lec": _lec,
    "risk-matrix": _risk_matrix,
    "mes": _mes,
    "enterprise-risk-colour": _enterprise_risk_colour,
    "park-risk-grade": _park_risk_grade,
    "certificate-review": _certificate_review,
    "risk-point-grade": _risk_point_grade,
    "major-hazard": _major_hazard,
    "hot-work-grade": _hot_work_grade,
    "permit-validity": _permit_validity,
    "gas-test": _gas_test,
    "height-grade": _height_grade,
    "lifting-grade": _lifting_grade,
    "accident": _accident,
    "direct-report": _direct_report,
    "investigation-report-due": _investigation_report_due,
    "forest-fire": _forest_fire,
    "workdays": _workdays,
    "gas-alarm-setpoints": _gas_alarm_setpoints,
    "drill-frequency": _drill_frequency,
    "warning-measures": _warning_measures,
}

USAGE = (
    "用法：shouye rules NAME [--json '{…}']（不给 --json 时从标准输入读取一个JSON对象）\n"
    f"NAME：{'、'.join(COMMANDS)}\n"
)


def _error(message: str, field: str) -> tuple[int, dict]:
    return EXIT_BAD_INPUT, {"error": message, "field": field}


def run(name: str, payload: object) -> tuple[int, dict]:
    """Apply rule ``name`` to ``payload``; return the exit code and the answer (or the error object)."""
    handler = COMMANDS.get(name)
    if handler is None:
        return _error(f"未知的规则“{name}”，可用：{'、'.join(COMMANDS)}", "name")
    if not isinstance(payload, dict):
        return _error("输入应为一个JSON对象（{…}）", "json")
    reader = _Payload(payload)
    try:
        answer = handler(reader)
        reader.ensure_all_read()
    except RuleInputError as exc:
        return _error(exc.message, exc.field)
    return EXIT_OK, answer


def _parse_args(argv: list[str]) -> tuple[str | None, str | None]:
    """NAME and the ``--json`` text (``None`` when absent); raises RuleInputError on anything else."""
    name, text = None, None
    args = iter(argv)
    for arg in args:
        if arg == "--json":
            text = next(args, None)
            if text is None:
                raise RuleInputError("--json 后应跟一个JSON对象", "json")
        elif arg.startswith("--json="):
            text = arg.removeprefix("--json=")
        elif arg.startswith("-") or name is not None:
            raise RuleInputError(f"无法识别的参数“{arg}”。{USAGE}", "name")
        else:
            name = arg
    if name is None:
        raise RuleInputError(f"缺少规则名称。{USAGE}", "name")
    return name, text


def main(argv: list[str], stdin: IO[str], stdout: IO[str] | None = None) -> int:
    """Entry point for ``shouye rules …``: ``argv`` are the arguments after ``rules``."""
    stdout = stdout or sys.stdout
    if argv and argv[0] in ("-h", "--help"):
        stdout.write(USAGE)
        return EXIT_OK
    try:
        name, text = _parse_args(argv)
        if text is None:
            text = stdin.read()
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RuleInputError(
                f"输入不是有效的JSON：{exc.msg}（第{exc.lineno}行第{exc.colno}列）", "json"
            ) from exc
        code, answer = run(name, payload)
    except RuleInputError as exc:
        code, answer = _error(exc.message, exc.field)
    stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], sys.stdin))
