"""The enterprise's risk register (风险分级管控清单): risk points, their hazard sources, assessments, control
measures and special control plans, publication, and re-grading by the tables in force.

Every act runs in one transaction, checks scope (404) then permission (403), and writes one audit event.
A risk point's grade and control level and a source's grade are kept on the rows in the same transaction as
the assessment that changes them (REGULATIONS-2 §A.3, §A.4), so lists read them without the assessments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.accounts.selectors import users_with_role
from shouye.audit import services as audit
from shouye.core.exceptions import InvalidTransition
from shouye.regions.scoping import ensure_in_scope
from shouye.rules.data.risk import COLOUR_GRADES, GRADE_COLOURS
from shouye.rules.errors import RuleInputError
from shouye.rules.risk import assess_lec, assess_mes, assess_risk_matrix, grade_risk_point

from ..choices import AssessmentMethod, RegisterState, RiskLevel
from ..liveness_summary import recount_points
from ..models import (
    ControlMeasure,
    HazardSource,
    InvestigationTask,
    RiskAssessment,
    RiskPoint,
    RiskRegister,
    SpecialControlPlan,
    TaskCheck,
)
from .settings import SCALE_FIELDS, EffectiveTables, effective_tables

MANAGE = "risks.manage_risk_list"
PUBLISH = "risks.publish_risk_list"
#: Grades that need a special control plan before the list is published (山东省安全生产条例 Art. 31 ¶2).
PLAN_GRADES = (RiskLevel.MAJOR, RiskLevel.HIGH)

POINT_FIELDS = ("code", "name", "kind", "location", "department", "responsible_person", "responsible_user",
                "control_focus", "control_unit")
SOURCE_FIELDS = ("identification_method", "step_or_item", "name", "factor_category", "consequence")
MEASURE_FIELDS = ("category", "subcategory", "own_category", "description", "check_content", "data_source",
                  "is_active")
PLAN_FIELDS = ("access_restriction", "patrol_cycle", "patrol_cycle_unit", "monitoring", "max_people",
               "other_measures", "approved_by", "approved_on")


def _allowed(actor, obj, perm: str = MANAGE) -> None:
    """Out of scope is 404 (NotInScope), without the verb 403."""
    ensure_in_scope(actor, obj)
    if not actor.has_perm(perm):
        raise PermissionDenied


def _locked_point(actor, risk_point: RiskPoint) -> RiskPoint:
    _allowed(actor, risk_point)
    return RiskPoint.objects.select_for_update().select_related("enterprise").get(pk=risk_point.pk)


def mark_changed(enterprise_id: int) -> None:
    """Editing a published list marks it "已修改，待重新发布" until it is published again. Every edit of the list
    passes here, so the enterprise's liveness summary recounts its points here too."""
    RiskRegister.objects.filter(enterprise_id=enterprise_id, state=RegisterState.PUBLISHED,
                                changed_since_publication=False).update(changed_since_publication=True)
    recount_points(enterprise_id)


def _clean(row, exclude: tuple[str, ...] = ()) -> None:
    row.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def _check_responsible_user(enterprise_id: int, user) -> None:
    if user is not None and not users_with_role(Role.ENTERPRISE_USER, enterprise=enterprise_id).filter(
            pk=user.pk).exists():
        raise ValidationError({"responsible_user": _("Choose an account of this enterprise.")})


def _check_code(enterprise_id: int, code: str, exclude_pk: int | None = None) -> None:
    taken = RiskPoint.objects.filter(enterprise_id=enterprise_id, code=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"code": _("The enterprise already has a risk point numbered %(code)s.")
                               % {"code": code}})


# --- risk points ------------------------------------------------------------------------------------------


def create_risk_point(*, actor, enterprise, **fields) -> RiskPoint:
    """A new risk point of ``enterprise`` (风险点, REGULATIONS-2 §A.3); its number is unique in the enterprise."""
    unknown = set(fields) - set(POINT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    _allowed(actor, enterprise)
    with transaction.atomic():
        point = RiskPoint(enterprise=enterprise, **{k: (v.strip() if isinstance(v, str) else v)
                                                     for k, v in fields.items()})
        point.stamp_from(enterprise)
        _clean(point, exclude=("grade", "control_level"))
        _check_code(enterprise.pk, point.code)
        _check_responsible_user(enterprise.pk, point.responsible_user)
        point.save()
        mark_changed(enterprise.pk)
        audit.record(actor=actor, verb="risks.point-create", target=point,
                     changes={"code": point.code, "name": point.name})
    return point


def update_risk_point(*, actor, risk_point: RiskPoint, **fields) -> RiskPoint:
    unknown = set(fields) - set(POINT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    with transaction.atomic():
        point = _locked_point(actor, risk_point)
        before = {name: getattr(point, name) for name in fields}
        for name, value in fields.items():
            setattr(point, name, value.strip() if isinstance(value, str) else value)
        _clean(point)
        _check_code(point.enterprise_id, point.code, exclude_pk=point.pk)
        _check_responsible_user(point.enterprise_id, point.responsible_user)
        point.save()
        after = {name: getattr(point, name) for name in fields}
        changes = audit.diff({k: str(v) if v is not None else None for k, v in before.items()},
                             {k: str(v) if v is not None else None for k, v in after.items()})
        if changes:
            mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.point-update", target=point, changes=changes)
    return point


def retire_risk_point(*, actor, risk_point: RiskPoint) -> RiskPoint:
    """A risk point no longer in use (the facility removed, the activity stopped) leaves the list; its
    history stays."""
    with transaction.atomic():
        point = _locked_point(actor, risk_point)
        if not point.is_active:
            raise InvalidTransition(state="retired", action="retire", allowed=[],
                                    message=_("The risk point is already retired."))
        point.is_active = False
        point.save(update_fields=["is_active", "updated_at"])
        mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.point-retire", target=point)
    return point


def set_forced_major(*, actor, risk_point: RiskPoint, reasons: list[str]) -> RiskPoint:
    """Tick the district's conditions that apply to the point (RiskSettings.forced_major_conditions, DB37/T
    2882 重大风险确定原则 [P]): any makes it major whatever its scores; none lets its scores grade it."""
    with transaction.atomic():
        point = _locked_point(actor, risk_point)
        tables = effective_tables(point.enterprise_id)
        allowed = set(tables.forced_major_conditions)
        chosen = [reason for reason in tables.forced_major_conditions if reason in set(reasons)]
        unknown = [reason for reason in reasons if reason not in allowed]
        if unknown:
            raise ValidationError({"reasons": _("Not one of the district's conditions: %(reason)s")
                                   % {"reason": unknown[0]}})
        before = {"forced_major": point.forced_major, "reasons": list(point.forced_major_reasons),
                  "grade": point.grade}
        point.forced_major = bool(chosen)
        point.forced_major_reasons = chosen
        regrade_points([point], tables)
        mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.point-forced-major", target=point, changes=audit.diff(
            before, {"forced_major": point.forced_major, "reasons": chosen, "grade": point.grade}))
    return point


def regrade_points(points: list[RiskPoint], tables: EffectiveTables) -> None:
    """Grade and control level of each point from its sources' grades (the highest) or forced major
    (``grade_risk_point``, DB37/T 2882 [P]; control levels §A.4 from the effective table). Saves the points
    whose values changed; a point with nothing assessed and not forced has no grade."""
    grades: dict[int, list[str]] = {point.pk: [] for point in points}
    for point_id, grade in (HazardSource.objects.filter(risk_point__in=[p.pk for p in points])
                            .exclude(grade="").values_list("risk_point_id", "grade")):
        grades[point_id].append(GRADE_COLOURS[grade])
    changed = []
    for point in points:
        colours = grades[point.pk]
        if colours or point.forced_major:
            result = grade_risk_point(colours, forced_major=point.forced_major,
                                      control_levels=tables.control_levels)
            grade, level = result.grade, result.control_level
        else:
            grade, level = "", ""
        point.grade, point.control_level = grade, level
        changed.append(point)
    if changed:
        RiskPoint.objects.bulk_update(changed, ["grade", "control_level", "forced_major", "forced_major_reasons"],
                                      batch_size=1000)


# --- hazard sources -----------------------------------------------------------------------------------------


def add_hazard_source(*, actor, risk_point: RiskPoint, **fields) -> HazardSource:
    """A hazard source of the point (JHA step or SCL item; people/things/environment/management, §A.3)."""
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    with transaction.atomic():
        point = _locked_point(actor, risk_point)
        if not point.is_active:
            raise ValidationError(_("The risk point is retired."))
        order = point.hazard_sources.count() + 1
        source = HazardSource(risk_point=point, order=order,
                              **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()})
        _clean(source, exclude=("risk_point", "grade"))
        source.save()
        mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.source-add", target=point, changes={"source": source.name})
    return source


def update_hazard_source(*, actor, source: HazardSource, **fields) -> HazardSource:
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    with transaction.atomic():
        point = _locked_point(actor, source.risk_point)
        source = HazardSource.objects.get(pk=source.pk)
        before = {name: getattr(source, name) for name in fields}
        for name, value in fields.items():
            setattr(source, name, value.strip() if isinstance(value, str) else value)
        _clean(source, exclude=("risk_point",))
        source.save()
        changes = audit.diff(before, {name: getattr(source, name) for name in fields})
        if changes:
            mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.source-update", target=point,
                     changes={"source": source.pk, **changes})
    return source


def deletion_refusal(measures) -> str:
    """Why the hazard source or measure whose ``measures`` (a queryset) are given cannot be deleted, or "".

    Investigation records (TaskCheck, 排查记录, REGULATIONS-2 §A.6) are evidence and keep their measure
    (PROTECT): a measure with records is retired ("in use" off) instead. A measure an active investigation
    task checks would silently leave the task: the task is stopped first."""
    records = TaskCheck.objects.filter(measure__in=measures).count()
    if records:
        return _("%(count)d investigation records refer to it; records are evidence, so it cannot be deleted. "
                 "Mark its control measures as not in use instead.") % {"count": records}
    task = (InvestigationTask.objects.filter(measures__in=measures, is_active=True).order_by("pk")
            .values_list("title", flat=True).first())
    if task is not None:
        return _("The active investigation task “%(task)s” checks it: stop the task first.") % {"task": task}
    return ""


def delete_hazard_source(*, actor, source: HazardSource) -> RiskPoint:
    """Delete a hazard source entered by mistake, with its assessments and measures, when no investigation
    record or active task refers to its measures; the point is re-graded in the same transaction (its grade is
    the highest of its sources', DB37/T 2882 [P]) and one audit event keeps what was deleted."""
    with transaction.atomic():
        point = _locked_point(actor, source.risk_point)
        source = HazardSource.objects.select_for_update().get(pk=source.pk)
        refusal = deletion_refusal(ControlMeasure.objects.filter(hazard_source=source))
        if refusal:
            raise InvalidTransition(state="referenced", action="delete", allowed=[], message=refusal)
        before = point.grade
        details = {"source": source.name, "grade": source.grade, "measures": source.measures.count(),
                   "assessments": source.assessments.count()}
        source.delete()
        regrade_points([point], effective_tables(point.enterprise_id))
        mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.source-delete", target=point,
                     changes={**details, "point_grade": [before, point.grade]})
    return point


def delete_measure(*, actor, measure: ControlMeasure) -> HazardSource:
    """Delete a control measure entered by mistake when no investigation record or active task refers to it
    (otherwise it is retired: "in use" off); one audit event keeps what was deleted."""
    with transaction.atomic():
        point = _locked_point(actor, measure.hazard_source.risk_point)
        measure = ControlMeasure.objects.select_for_update().select_related("hazard_source").get(pk=measure.pk)
        refusal = deletion_refusal(ControlMeasure.objects.filter(pk=measure.pk))
        if refusal:
            raise InvalidTransition(state="referenced", action="delete", allowed=[], message=refusal)
        source = measure.hazard_source
        details = {"source": source.pk, "measure": measure.description[:80], "category": measure.subcategory}
        measure.delete()
        mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.measure-delete", target=point, changes=details)
    return source


# --- assessment ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What an assessment gives: the inputs as stored, the score, colour, grade, the band's meaning and the
    table's basis."""

    inputs: dict
    score: Decimal
    colour: str
    grade: str
    meaning: str
    basis: str

    @property
    def grade_label(self) -> str:
        return RiskLevel(self.grade).label


def _number(value, field: str, label: str) -> Decimal:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return Decimal(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        raise ValidationError({field: _("Choose a value of %(label)s.") % {"label": label}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Choose a value of %(label)s.") % {"label": label}})
    return number


def compute(method: str, inputs: dict, tables: EffectiveTables) -> Outcome:
    """Assess by ``method`` with the enterprise's effective table; bad input is a ValidationError on the
    input's own field (l, e, c, s or m) with the rule's Chinese message."""
    if method not in AssessmentMethod.values:
        raise ValidationError({"method": _("Choose LEC, the risk matrix or MES.")})
    table = tables.for_method(method)
    fields = [name.removesuffix("_values") for name in SCALE_FIELDS[method]]
    labels = dict(zip(fields, SCALE_FIELDS[method].values(), strict=True))
    values = {name: _number((inputs or {}).get(name), name, labels[name]) for name in fields}
    try:
        if method == AssessmentMethod.LEC:
            result = assess_lec(values["l"], values["e"], values["c"], table)
            score = result.d
        elif method == AssessmentMethod.MATRIX:
            result = assess_risk_matrix(values["l"], values["s"], table)
            score = Decimal(result.r)
        else:
            result = assess_mes(values["m"], values["e"], values["s"], table)
            score = result.r
    except RuleInputError as exc:
        raise ValidationError({exc.field if exc.field in fields else "method": exc.message}) from None
    stored = {name: f"{value.normalize():f}" for name, value in values.items()}
    return Outcome(inputs=stored, score=score, colour=result.colour, grade=COLOUR_GRADES[result.colour],
                   meaning=result.meaning, basis=result.basis)


def input_pairs(method: str, inputs: dict) -> list[str]:
    """An assessment's inputs as "L=6" in its method's order (PostgreSQL's jsonb keeps its own key order)."""
    order = [name.removesuffix("_values") for name in SCALE_FIELDS.get(method, {})]
    return [f"{name.upper()}={inputs[name]}" for name in order if name in inputs]


def assess_hazard_source(*, actor, source: HazardSource, method: str, inputs: dict) -> RiskAssessment:
    """Assess a hazard source; the new assessment becomes current, the source takes its grade and the point
    its grade and control level, all in one transaction (REGULATIONS.md §3, REGULATIONS-2 §A.3a, §A.4)."""
    with transaction.atomic():
        point = _locked_point(actor, source.risk_point)
        if not point.is_active:
            raise ValidationError(_("The risk point is retired."))
        source = HazardSource.objects.get(pk=source.pk)
        tables = effective_tables(point.enterprise_id)
        outcome = compute(method, inputs, tables)
        previous = source.assessments.filter(current=True).first()
        if previous is not None:
            RiskAssessment.objects.filter(pk=previous.pk).update(current=False)
        assessment = RiskAssessment.objects.create(
            hazard_source=source, method=method, inputs=outcome.inputs, score=outcome.score, grade=outcome.grade,
            basis=outcome.basis, current=True, assessed_by=actor, assessed_at=timezone.now())
        source.grade = outcome.grade
        source.save(update_fields=["grade"])
        regrade_points([point], tables)
        mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.assess", target=point, changes={
            "source": source.pk, "method": method, "inputs": outcome.inputs, "score": str(outcome.score),
            "grade": [previous.grade if previous else None, outcome.grade], "point_grade": point.grade})
    return assessment


def regrade_enterprise(*, actor, enterprise) -> int:
    """按新标准重新评价: every current assessment of the enterprise assessed again with the same inputs by the
    tables in force now, as new assessments (the old ones kept as history), and every point re-graded — one
    transaction, one audit event. Refused, changing nothing, if an input is no longer on the new scale."""
    _allowed(actor, enterprise)
    with transaction.atomic():
        points = list(RiskPoint.objects.select_for_update().filter(enterprise=enterprise, is_active=True))
        tables = effective_tables(enterprise.pk)
        current = list(RiskAssessment.objects.filter(hazard_source__risk_point__in=points, current=True)
                       .select_related("hazard_source__risk_point"))
        now = timezone.now()
        new, sources, problems, changed = [], [], [], 0
        for old in current:
            try:
                outcome = compute(old.method, old.inputs, tables)
            except ValidationError as exc:
                source = old.hazard_source
                problems.append(f"{source.risk_point.code} {source.name}：{'；'.join(exc.messages)}")
                continue
            if outcome.grade != old.grade or outcome.score != old.score:
                changed += 1
            new.append(RiskAssessment(hazard_source_id=old.hazard_source_id, method=old.method,
                                      inputs=outcome.inputs, score=outcome.score, grade=outcome.grade,
                                      basis=outcome.basis, current=True, assessed_by=actor, assessed_at=now))
            old.hazard_source.grade = outcome.grade
            sources.append(old.hazard_source)
        if problems:
            raise ValidationError({"assessments": problems[:20]})
        RiskAssessment.objects.filter(pk__in=[a.pk for a in current]).update(current=False)
        RiskAssessment.objects.bulk_create(new, batch_size=1000)
        HazardSource.objects.bulk_update(sources, ["grade"], batch_size=1000)
        before = {p.pk: (p.grade, p.control_level) for p in points}
        regrade_points(points, tables)
        moved = sum(1 for p in points if before[p.pk] != (p.grade, p.control_level))
        if changed or moved:
            mark_changed(enterprise.pk)
        audit.record(actor=actor, verb="risks.regrade", target=enterprise,
                     changes={"assessments": len(new), "changed": changed, "points_changed": moved})
    return len(new)


# --- control measures ---------------------------------------------------------------------------------------


def _check_subcategory(category: str, subcategory: str) -> None:
    """classify2's first digit is its classify1 (REGULATIONS-2 §A.6)."""
    if category and subcategory and not subcategory.startswith(f"{category}-"):
        raise ValidationError({"subcategory": _("The subcategory %(sub)s does not belong to the category "
                                                "%(cat)s: choose one of its own.")
                               % {"sub": subcategory, "cat": category}})


def add_measure(*, actor, source: HazardSource, **fields) -> ControlMeasure:
    """A control measure of a hazard source in the national interface's categories (§A.6)."""
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    with transaction.atomic():
        point = _locked_point(actor, source.risk_point)
        measure = ControlMeasure(hazard_source_id=source.pk, order=source.measures.count() + 1,
                                 **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()})
        _check_subcategory(measure.category, measure.subcategory)
        _clean(measure, exclude=("hazard_source",))
        measure.save()
        mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.measure-add", target=point,
                     changes={"source": source.pk, "measure": measure.description[:80]})
    return measure


def update_measure(*, actor, measure: ControlMeasure, **fields) -> ControlMeasure:
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    with transaction.atomic():
        point = _locked_point(actor, measure.hazard_source.risk_point)
        measure = ControlMeasure.objects.get(pk=measure.pk)
        before = {name: getattr(measure, name) for name in fields}
        for name, value in fields.items():
            setattr(measure, name, value.strip() if isinstance(value, str) else value)
        _check_subcategory(measure.category, measure.subcategory)
        _clean(measure, exclude=("hazard_source",))
        measure.save()
        changes = audit.diff(before, {name: getattr(measure, name) for name in fields})
        if changes:
            mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.measure-update", target=point,
                     changes={"measure": measure.pk, **changes})
    return measure


# --- special control plan -----------------------------------------------------------------------------------


def save_special_plan(*, actor, risk_point: RiskPoint, **fields) -> SpecialControlPlan:
    """专项管控方案 of a major or high point (山东省安全生产条例 Art. 31 ¶2; 331号令, REGULATIONS-2 §A.2):
    access restriction with registration and a patrol cycle always; for a major point also real-time
    monitoring or 24-hour duty and the maximum number of people present."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    with transaction.atomic():
        point = _locked_point(actor, risk_point)
        if point.grade not in PLAN_GRADES:
            raise ValidationError(_("Only a major or high risk point needs a special control plan."))
        plan = SpecialControlPlan.objects.filter(risk_point=point).first() or SpecialControlPlan(risk_point=point)
        created = plan.pk is None
        for name, value in fields.items():
            setattr(plan, name, value.strip() if isinstance(value, str) else value)
        plan.updated_by = actor
        if point.grade == RiskLevel.MAJOR:
            errors = {}
            if not (plan.monitoring or "").strip():
                errors["monitoring"] = _("A major risk needs real-time monitoring or 24-hour duty.")
            if not plan.max_people:
                errors["max_people"] = _("A major risk needs the maximum number of people present.")
            if errors:
                raise ValidationError(errors)
        _clean(plan, exclude=("risk_point", "updated_by"))
        plan.save()
        mark_changed(point.enterprise_id)
        audit.record(actor=actor, verb="risks.special-plan", target=point,
                     changes={"created": created, "fields": sorted(fields)})
    return plan


# --- publication --------------------------------------------------------------------------------------------


def publication_problems(enterprise_id: int) -> list[str]:
    """Why the list cannot be published now, one line per risk point: no risk point at all; a point with no
    hazard source, or a source not assessed (unless the point is forced major); a major or high point
    without its special control plan (山东省安全生产条例 Art. 31 ¶2)."""
    points = list(RiskPoint.objects.filter(enterprise_id=enterprise_id, is_active=True)
                  .select_related("special_control_plan").order_by("code"))
    if not points:
        return [_("The list has no risk point.")]
    unassessed: dict[int, int] = {}
    sources: dict[int, int] = {}
    for point_id, grade in HazardSource.objects.filter(risk_point__in=[p.pk for p in points]).values_list(
            "risk_point_id", "grade"):
        sources[point_id] = sources.get(point_id, 0) + 1
        if not grade:
            unassessed[point_id] = unassessed.get(point_id, 0) + 1
    problems = []
    for point in points:
        label = f"{point.code} {point.name}"
        if not point.forced_major:
            if not sources.get(point.pk):
                problems.append(_("%(point)s: no hazard source identified.") % {"point": label})
            elif unassessed.get(point.pk):
                problems.append(_("%(point)s: %(count)d hazard sources not assessed.")
                                % {"point": label, "count": unassessed[point.pk]})
        if point.grade in PLAN_GRADES and not hasattr(point, "special_control_plan"):
            problems.append(_("%(point)s: a %(grade)s point needs a special control plan.")
                            % {"point": label, "grade": point.get_grade_display()})
    return problems


def register_of(enterprise) -> RiskRegister:
    """The enterprise's register row, created as a draft the first time."""
    register = RiskRegister.objects.filter(enterprise=enterprise).first()
    if register is None:
        register = RiskRegister(enterprise=enterprise)
        register.stamp_from(enterprise)
        register.save()
    return register


def publish_register(*, actor, enterprise) -> RiskRegister:
    """Publish the risk list (version + 1). Refused with the list of points to fix while a major or high
    point has no special control plan or a point is not assessed (unless forced major)."""
    _allowed(actor, enterprise, PUBLISH)
    with transaction.atomic():
        register = RiskRegister.objects.select_for_update().filter(pk=register_of(enterprise).pk).get()
        problems = publication_problems(enterprise.pk)
        if problems:
            raise ValidationError({"points": problems})
        register.state = RegisterState.PUBLISHED
        register.version += 1
        register.published_at = timezone.now()
        register.published_by = actor
        register.changed_since_publication = False
        register.save()
        audit.record(actor=actor, verb="risks.publish", target=enterprise, changes={"version": register.version})
    return register
