"""``POST /api/v1/calculators/<name>/``: the rules of ``shouye rules NAME`` over HTTP. The body is the
command's JSON object; 200 with its answer, or 400 in the API's one error shape, the message under the field
the command names (``{"substances[1].quantity_t": ["…"]}``; a body that is not an object under
``non_field_errors``) where the command exits 2 with ``{"error", "field"}``."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.exceptions import ValidationError
from shouye.rules.cli import EXIT_OK

from .. import running


@dataclass(frozen=True)
class RuleDoc:
    summary: str
    description: str
    example: dict


RULE_DOCS: dict[str, RuleDoc] = {
    "credit-code": RuleDoc(
        "统一社会信用代码校验 Check a unified social credit code",
        "GB 32100-2015. Input `code`; answers `valid`, `reason`, `expected_check`.",
        {"code": "91370113000123457X"}),
    "id-number": RuleDoc(
        "身份证号码校验 Check a resident ID number",
        "GB 11643-1999. Input `number`; answers `valid`, `reason`, `birth_date`, `sex`.",
        {"number": "11010519491231002X"}),
    "lec": RuleDoc(
        "LEC作业条件危险性评价 LEC risk score",
        "D = L×E×C with L, E, C on their scales; answers `d`, `band` (1–5) and `colour`. A value on a band "
        "edge takes the more dangerous band.",
        {"l": 3, "e": 6, "c": 7}),
    "risk-matrix": RuleDoc(
        "风险矩阵 Risk matrix",
        "R = L×S with L and S from 1 to 5; answers `r` and `colour`.",
        {"l": 4, "s": 5}),
    "major-hazard": RuleDoc(
        "重大危险源辨识与分级 Major hazard identification and grading",
        "GB 18218-2018. `substances`: list of `{name | cas | category, quantity_t, beta?}`; "
        "`exposed_population`: people within 500 m. Answers `ratio_sum`, `is_major`, and when major `alpha`, "
        "`r`, `grade` (1–4); `items` per substance.",
        {"substances": [{"name": "二氧化硫", "quantity_t": 200}], "exposed_population": 60}),
    "hot-work-grade": RuleDoc(
        "动火作业分级 Hot-work grade",
        "GB 30871-2022 5.1. Situation booleans, `start` (ISO datetime, Asia/Shanghai), `wind_force`; holidays "
        "and rest days come from the platform's work calendar. Answers `grade` (`special`/`1`/`2`) and "
        "`raised_by`.",
        {"fire_explosion_area": True, "start": "2025-10-03T10:00"}),
    "permit-validity": RuleDoc(
        "作业票有效期 Permit validity",
        "GB 30871-2022. `kind` and, for hot work, `grade`; answers `max_hours`.",
        {"kind": "hot_work", "grade": "2"}),
    "gas-test": RuleDoc(
        "气体分析合格判定 Gas test acceptance",
        "GB 30871-2022 5.3, 6.4. Answers `passed` and `failures`.",
        {"kind": "hot_work", "lel_percent": 5, "flammable_percent_vol": 0.3,
         "sampled_at": "2025-06-02T09:00", "work_starts_at": "2025-06-02T09:20"}),
    "height-grade": RuleDoc(
        "高处作业分级 Work-at-height grade",
        "GB 30871-2022 8.1, Table 2. `height_m`, `objective_hazards`; answers `grade` (I–IV) or null below 2 m.",
        {"height_m": 12, "objective_hazards": False}),
    "lifting-grade": RuleDoc(
        "吊装作业分级 Lifting grade",
        "GB 30871-2022 9.1. `mass_t`; answers `grade` (1–3) and `permit_required`.",
        {"mass_t": 60}),
    "accident": RuleDoc(
        "事故等级与报告时限 Accident grade and reporting deadlines",
        "国务院令第493号. `deaths`, `serious_injuries`, `direct_loss_yuan`, `occurred_at`, `kind`; answers "
        "`grade`, `report_deadlines` and `supplement_until`.",
        {"deaths": 3, "serious_injuries": 0, "direct_loss_yuan": 2000000, "occurred_at": "2025-03-01T14:00"}),
    "workdays": RuleDoc(
        "工作日计算 Working days",
        "The platform's work calendar. `check` a date, or `start` and `add` N working days; answers "
        "`is_workday` or `date`. A year not in the calendar is an error.",
        {"start": "2025-09-30", "add": 1}),
    "gas-alarm-setpoints": RuleDoc(
        "气体检测报警设定值 Gas detector setpoints",
        "GB/T 50493-2019 5.5.2. `kind` (combustible, toxic, oxygen); for toxic `oel_mg_m3`, optional "
        "`idlh_mg_m3` and `range_max_mg_m3`; answers `level_1`, `level_2` (or `high`, `low` for oxygen) and "
        "`unit`.",
        {"kind": "toxic", "oel_mg_m3": 10, "idlh_mg_m3": 430, "range_max_mg_m3": 100}),
}

class HasRole(permissions.BasePermission):
    """Any signed-in user with a role may use the calculators."""

    def has_permission(self, request, view):
        return bool(request.user.active_roles())


class CalculatorAPIView(APIView):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    rule = ""

    def post(self, request):
        code, answer = running.run(self.rule, request.data)
        if code != EXIT_OK:
            field = NON_FIELD_ERRORS if answer["field"] == "json" else answer["field"]
            raise ValidationError({field: [answer["error"]]})
        return Response(answer)


def view_for(name: str):
    """The API view of rule ``name``, with its own schema operation."""
    doc = RULE_DOCS.get(name, RuleDoc(f"规则 {name} Rule {name}", f"`shouye rules {name}` over HTTP.", {}))

    @extend_schema(
        operation_id=f"calculators_{name.replace('-', '_')}",
        summary=doc.summary,
        description=doc.description,
        tags=["calculators"],
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="规则的结果，含依据 basis")},
        examples=[OpenApiExample(name, value=doc.example, request_only=True)],
    )
    def post(self, request):
        return CalculatorAPIView.post(self, request)

    class_name = "".join(part.title() for part in name.split("-")) + "CalculatorView"
    return type(class_name, (CalculatorAPIView,), {"rule": name, "post": post})
