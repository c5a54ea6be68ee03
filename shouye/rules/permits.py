"""Special-operation permits (特殊作业票) under GB 30871-2022: grades, validity, gas tests, approvers.

REGULATIONS.md §2; the tables are in :mod:`shouye.rules.data.gb30871`. Grades are spelt as in the API:
hot work ``"special"``/``"1"``/``"2"``, work at height ``"I"``–``"IV"``, lifting ``1``–``3``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shouye.rules._values import to_bool, to_datetime, to_decimal, to_int
from shouye.rules.data.gb30871 import (
    APPROVALS,
    FLAMMABLE_LIMIT_HIGH_LEL,
    FLAMMABLE_LIMIT_LOW_LEL,
    GAS_SAMPLE_MAX_AGE,
    HEIGHT_BAND_UPPER_M,
    HEIGHT_GRADES,
    HOT_WORK_GRADE_LABELS,
    HOT_WORK_GRADES,
    HOT_WORK_WIND_FORCE,
    KIND_GRADES,
    LEL_THRESHOLD_PERCENT,
    LIFTING_GRADE_1_ABOVE_T,
    LIFTING_GRADE_2_FROM_T,
    LIFTING_PERMIT_FROM_T,
    NIGHT_HOURS,
    NO_VALIDITY_CLAUSE,
    OXYGEN_ENRICHED_MAX_PERCENT,
    OXYGEN_MAX_PERCENT,
    OXYGEN_MIN_PERCENT,
    PERMIT_KINDS,
    PERMIT_VALIDITY,
    STANDARD,
    WORK_AT_HEIGHT_MIN_M,
    NightHours,
)
from shouye.rules.errors import RuleInputError
from shouye.rules.workdays import WorkCalendar, default_calendar


@dataclass(frozen=True)
class HotWorkGrade:
    """The grade to manage the hot work at, the grade from the situation alone, and why it was raised."""

    grade: str
    situation_grade: str
    raised_by: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class PermitValidity:
    """Longest validity in hours (``None`` where the standard sets none); ``extended_max_hours`` for the
    special-case ceiling of temporary power."""

    max_hours: int | None
    extended_max_hours: int | None
    basis: str


@dataclass(frozen=True)
class GasTestResult:
    """Whether the analysis allows the work to start, and every reason it does not."""

    passed: bool
    failures: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class HeightGrade:
    """Work-at-height grade ``"I"``–``"IV"``, or ``None`` below 2 m (not work at height)."""

    grade: str | None
    basis: str


@dataclass(frozen=True)
class LiftingGrade:
    """Lifting grade 1–3, whether a lifting permit is needed and whether a written lifting plan is."""

    grade: int
    permit_required: bool
    plan_required: bool
    basis: str


@dataclass(frozen=True)
class PermitApproval:
    """Table B.1: who reviews or countersigns (may be ``None``) and who approves."""

    reviewer: str | None
    approver: str
    basis: str


def _kind(kind: object) -> str:
    if kind not in PERMIT_KINDS:
        allowed = "、".join(f"{k}（{v}）" for k, v in PERMIT_KINDS.items())
        raise RuleInputError(f"作业类型应为{allowed}之一，收到 {kind!r}", "kind")
    return kind


def normalise_grade(kind: str, grade: object) -> str | int | None:
    """The grade in its canonical spelling for ``kind``: hot work ``1``→``"1"``, lifting ``"2"``→``2``.

    Kinds without grades take ``None``; a graded kind requires one of its grades.
    """
    kind = _kind(kind)
    allowed = KIND_GRADES.get(kind)
    if allowed is None:
        if grade is not None:
            raise RuleInputError(f"{PERMIT_KINDS[kind]}不分级，不应给出级别（收到 {grade!r}）", "grade")
        return None
    for candidate in allowed:
        if grade is not None and str(grade).strip() == str(candidate):
            return candidate
    spelt = "、".join(f"“{g}”" for g in allowed)
    raise RuleInputError(f"{PERMIT_KINDS[kind]}的级别应为{spelt}之一，收到 {grade!r}", "grade")


def hot_work_grade(
    *,
    start: datetime,
    fire_explosion_area: bool = False,
    on_operating_equipment: bool = False,
    in_mhi_tank_farm_dike: bool = False,
    on_pipe_rack: bool = False,
    shut_down_and_isolated: bool = False,
    wind_force: int | None = None,
    outdoor: bool = True,
    calendar: WorkCalendar | None = None,
    night: NightHours = NIGHT_HOURS,
) -> HotWorkGrade:
    """Grade of hot work outside a fixed hot-work area (GB 30871-2022 5.1).

    From the situation: 特级 for work on operating equipment, pipes, tanks or vessels in a fire/explosion
    hazard area (including hot tapping), or inside the fire dike of a major-hazard tank farm holding
    flammables (5.1.2); 一级 for other work in a fire/explosion hazard area and any work on a pipe rack
    (5.1.3); 二级 otherwise (5.1.4). A fully shut-down, cleaned, purged, tested and isolated unit may be
    managed as 二级 with the approval of the enterprise's production or safety head (5.1.4).

    Raised one grade when ``start`` falls on a holiday or rest day (any non-working day of ``calendar``) or in
    the ``night`` hours (5.1.1), or for outdoor work in wind of force 5 or more (5.2.15, which in principle
    forbids it). Several reasons together still raise one grade: each clause asks for 升级管理 of the
    situation's grade; all reasons are listed. 特级 cannot go higher. The grade is judged at ``start``; work
    that runs into the night or a rest day is graded again for that time.
    """
    for field, value, label in (
        ("fire_explosion_area", fire_explosion_area, "是否在火灾爆炸危险场所"),
        ("on_operating_equipment", on_operating_equipment, "是否在运行状态的设备、管道、储罐、容器上"),
        ("in_mhi_tank_farm_dike", in_mhi_tank_farm_dike, "是否在存有易燃易爆介质的重大危险源罐区防火堤内"),
        ("on_pipe_rack", on_pipe_rack, "是否在管廊上"),
        ("shut_down_and_isolated", shut_down_and_isolated, "是否全部停车并清洗置换分析合格、安全隔离"),
        ("outdoor", outdoor, "是否露天"),
    ):
        to_bool(value, field, label=label)
    moment = to_datetime(start, "start", label="动火开始时间")
    calendar = calendar or default_calendar()

    if shut_down_and_isolated:
        situation, situation_clause = (
            "2",
            "5.1.4（全部停车、清洗置换分析合格并安全隔离，经企业生产负责人或安全管理负责人批准）",
        )
    elif in_mhi_tank_farm_dike or (fire_explosion_area and on_operating_equipment):
        situation, situation_clause = "special", "5.1.2"
    elif fire_explosion_area or on_pipe_rack:
        situation, situation_clause = "1", "5.1.3"
    else:
        situation, situation_clause = "2", "5.1.4"

    raised_by, raise_clauses = [], []
    if not calendar.is_workday(moment.date(), field="start"):
        raised_by.append(f"{moment.date().isoformat()}为节假日或公休日（5.1.1）")
    if night.contains(moment.time()):
        raised_by.append(f"{moment.strftime('%H:%M')}属夜间（5.1.1）")
    if raised_by:
        raise_clauses.append("5.1.1")
    if wind_force is not None:
        force = to_int(wind_force, "wind_force", label="风力等级", minimum=0)
        if force >= HOT_WORK_WIND_FORCE and outdoor:
            raised_by.append(
                f"{force}级风露天动火（5.2.15：五级风以上含五级原则上禁止露天动火，确需动火的升级管理）"
            )
            raise_clauses.append("5.2.15")
    position = HOT_WORK_GRADES.index(situation)
    grade = HOT_WORK_GRADES[min(position + (1 if raised_by else 0), len(HOT_WORK_GRADES) - 1)]

    basis = f"{STANDARD} {situation_clause}：{HOT_WORK_GRADE_LABELS[situation]}动火"
    if raised_by:
        outcome = "已为特级，不再升级" if grade == situation else f"按{HOT_WORK_GRADE_LABELS[grade]}动火管理"
        basis += f"；{'、'.join(raise_clauses)}：升级管理，{outcome}"
    if any("夜间" in r for r in raised_by):
        basis += f"；{night.basis}"
    return HotWorkGrade(grade=grade, situation_grade=situation, raised_by=tuple(raised_by), basis=basis)


def permit_validity(kind: str, grade: object = None) -> PermitValidity:
    """Longest validity of a permit (hot work 5.1.5, confined space 6.10, height 8.2.11, power 10.8).

    Hot work needs its grade; for the other kinds validity does not depend on the grade (one given is still
    checked). Kinds with no validity in the standard return ``max_hours=None`` with the clause that governs
    re-issue.
    """
    kind = _kind(kind)
    grade = normalise_grade(kind, grade) if grade is not None or kind == "hot_work" else None
    key_grade = grade if kind == "hot_work" else None
    validity = PERMIT_VALIDITY.get((kind, key_grade))
    if validity is None:
        return PermitValidity(
            max_hours=None,
            extended_max_hours=None,
            basis=f"{STANDARD} {NO_VALIDITY_CLAUSE[kind]}：未规定{PERMIT_KINDS[kind]}安全作业票的有效期",
        )
    return PermitValidity(
        max_hours=validity.hours,
        extended_max_hours=validity.extended_hours,
        basis=f"{STANDARD} {validity.clause}",
    )


def _percent(value: object, field: str, label: str) -> Decimal:
    number = to_decimal(value, field, label=label, minimum=0)
    if number > 100:
        raise RuleInputError(f"{label}不能超过100%，收到 {value}", field)
    return number


def gas_test(
    *,
    kind: str,
    lel_percent: object,
    flammable_percent_vol: object,
    sampled_at: datetime,
    work_starts_at: datetime,
    oxygen_percent: object = None,
    oxygen_enriched: bool = False,
) -> GasTestResult:
    """Whether a gas analysis allows hot work or confined-space entry to start.

    Flammables (5.3.2, and 6.4 c) for confined spaces): with a lower explosive limit ``lel_percent`` ≥ 4 % the
    measured ``flammable_percent_vol`` must be ≤ 0.5 % (vol), below 4 % it must be ≤ 0.2 % (vol).
    Oxygen: in a confined space 19.5 %–21 % (vol), or up to 23.5 % where ``oxygen_enriched`` (6.4 a)); for hot
    work on equipment that produces, uses or stores oxygen (``oxygen_enriched``) at most 23.5 % (5.2.7).
    Freshness: the sample is taken no more than 30 minutes before the work starts (5.3.1 c), 6.3 a)).
    Toxic substances (GBZ 2.1) are not checked here.
    """
    if kind not in ("hot_work", "confined_space"):
        raise RuleInputError(f"气体分析的作业类型应为“hot_work”或“confined_space”，收到 {kind!r}", "kind")
    lel = _percent(lel_percent, "lel_percent", "被测气体或蒸气的爆炸下限（%）")
    if lel == 0:
        raise RuleInputError("爆炸下限应大于0%", "lel_percent")
    measured = _percent(flammable_percent_vol, "flammable_percent_vol", "可燃气体浓度（%，体积分数）")
    enriched = to_bool(oxygen_enriched, "oxygen_enriched", label="是否富氧环境")
    sampled = to_datetime(sampled_at, "sampled_at", label="取样时间")
    starts = to_datetime(work_starts_at, "work_starts_at", label="作业开始时间")
    oxygen_needed = kind == "confined_space" or enriched
    oxygen = None
    if oxygen_percent is not None or oxygen_needed:
        oxygen = _percent(oxygen_percent, "oxygen_percent", "氧含量（%，体积分数）")

    failures = []
    limit = FLAMMABLE_LIMIT_HIGH_LEL if lel >= LEL_THRESHOLD_PERCENT else FLAMMABLE_LIMIT_LOW_LEL
    if measured > limit:
        failures.append(
            f"可燃气体浓度{measured}%超过{limit}%（爆炸下限{'≥' if lel >= LEL_THRESHOLD_PERCENT else '<'}4%，5.3.2）"
        )
    clauses = ["5.3.2"]
    if kind == "confined_space":
        clauses[:0] = ["6.4"]
        high = OXYGEN_ENRICHED_MAX_PERCENT if enriched else OXYGEN_MAX_PERCENT
        if not OXYGEN_MIN_PERCENT <= oxygen <= high:
            failures.append(f"氧含量{oxygen}%不在{OXYGEN_MIN_PERCENT}%～{high}%之间（6.4 a)）")
    elif enriched:
        clauses.append("5.2.7")
        if oxygen > OXYGEN_ENRICHED_MAX_PERCENT:
            failures.append(f"设备内氧含量{oxygen}%超过{OXYGEN_ENRICHED_MAX_PERCENT}%（5.2.7）")
    age = starts - sampled
    freshness_clause = "5.3.1 c)" if kind == "hot_work" else "6.3 a)"
    clauses.append(freshness_clause)
    if age < timedelta(0):
        failures.append(f"取样时间晚于作业开始时间（{freshness_clause}要求作业前取样分析）")
    elif age > GAS_SAMPLE_MAX_AGE:
        minutes = math.ceil(age.total_seconds() / 60)
        failures.append(f"取样距作业开始{minutes}分钟，超过30分钟，应重新取样分析（{freshness_clause}）")
    return GasTestResult(
        passed=not failures, failures=tuple(failures), basis=f"{STANDARD} {'、'.join(clauses)}"
    )


def work_at_height_grade(height_m: object, objective_hazards: bool) -> HeightGrade:
    """Work-at-height grade from Table 2 (8.1): method A without, method B with objective hazard factors.

    Bands (8.1.1): 2 ≤ h ≤ 5, 5 < h ≤ 15, 15 < h ≤ 30, h > 30 m. Below 2 m it is not work at height (3.8): None.
    The objective hazard factors are the nine of 8.1.2 (wind of force 5, ≤ 5 °C, cold water, slippery
    surfaces, poor light, live conductors, unstable footing, toxic gas or O₂ < 19.5 %, disaster settings).
    """
    height = to_decimal(height_m, "height_m", label="作业高度（m）", minimum=0)
    hazards = to_bool(objective_hazards, "objective_hazards", label="是否存在客观危险因素")
    if height < WORK_AT_HEIGHT_MIN_M:
        return HeightGrade(grade=None, basis=f"{STANDARD} 3.8：距坠落基准面2 m以下，不属于高处作业")
    band = next(i for i, upper in enumerate(HEIGHT_BAND_UPPER_M) if upper is None or height <= upper)
    method = "B" if hazards else "A"
    return HeightGrade(
        grade=HEIGHT_GRADES[method][band],
        basis=f"{STANDARD} 8.1.1、8.1.3，表2（{method}类法{'，存在8.1.2所列客观危险因素' if hazards else ''}）",
    )


def lifting_grade(mass_t: object) -> LiftingGrade:
    """Lifting grade by load mass (9.1): 一级 m > 100 t; 二级 40 t ≤ m ≤ 100 t; 三级 m < 40 t.

    Grades 1 and 2 need a written lifting plan (9.2.1; grade 3 too for complex, flexible, long or precious
    loads or special conditions). Under 10 t no lifting permit is needed, but a risk analysis is
    (Appendix B, Table B.1 note 3).
    """
    mass = to_decimal(mass_t, "mass_t", label="吊物质量（t）", minimum=0)
    if mass == 0:
        raise RuleInputError("吊物质量应大于0 t", "mass_t")
    if mass > LIFTING_GRADE_1_ABOVE_T:
        grade = 1
    elif mass >= LIFTING_GRADE_2_FROM_T:
        grade = 2
    else:
        grade = 3
    permit_required = mass >= LIFTING_PERMIT_FROM_T
    basis = f"{STANDARD} 9.1、9.2.1"
    if not permit_required:
        basis += "；附录B表B.1说明3：吊装质量小于10 t可不办理吊装安全作业票，但应进行风险分析并确保措施可靠"
    return LiftingGrade(
        grade=grade, permit_required=permit_required, plan_required=grade in (1, 2), basis=basis
    )


def permit_approval(kind: str, grade: object = None) -> PermitApproval:
    """Who reviews and who approves a permit (Appendix B, Table B.1); the enterprise issues all permits."""
    kind = _kind(kind)
    approval = APPROVALS[(kind, normalise_grade(kind, grade))]
    return PermitApproval(
        reviewer=approval.reviewer,
        approver=approval.approver,
        basis=f"{STANDARD} 附录B 表B.1（{PERMIT_KINDS[kind]}）",
    )
