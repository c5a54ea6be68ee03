"""Every act on plans, drills and units: one transaction, the scope (404), the role and the state (403, 409,
from the workflows), the input (400, a Chinese message naming the field), one audit event, and the clocks
recomputed (:mod:`shouye.plans.clocks`) in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.attachments import check_documents, save_documents
from shouye.hazards.choices import HazardSource
from shouye.hazards.services.reporting import report_hazard
from shouye.regions.scoping import ensure_in_scope, is_in_scope
from shouye.rules.emergency_plans import filing_deadline
from shouye.rules.errors import RuleInputError
from shouye.workcalendar.selectors import work_calendar

from . import clocks
from .choices import (
    Audience,
    DocumentKind,
    DrillCategory,
    DrillState,
    PlanState,
    ProblemOutcome,
    RevisionTrigger,
    UnitKind,
)
from .models import Drill, DrillProblem, EmergencyPlan, PlanDocument, PlanUnit
from .workflow import DRILL_WORKFLOW, PLAN_WORKFLOW, UNIT_WORKFLOW, may_manage

#: Fields a draft's edit may change.
EDITABLE = ("kind", "title", "topics", "audience", "summary")


def _text(value, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _topics(values) -> list:
    """The topics given, once each; a value that is not a list of codes is left for the model to refuse."""
    if isinstance(values, list | tuple) and all(isinstance(value, str) for value in values):
        return [str(value) for value in dict.fromkeys(values)]
    return values


def _not_future(day: date | None, field: str) -> date:
    if day is None:
        raise ValidationError({field: _("Give the date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return day


# --- units ---------------------------------------------------------------------------------------------


def unit_for(*, enterprise=None, township=None, department=None) -> PlanUnit:
    """The unit of an enterprise, a township, a department or (none given) the district, made on first use
    (inside the caller's transaction; the caller checks the scope)."""
    if enterprise is not None:
        unit = PlanUnit.objects.filter(enterprise=enterprise).first()
        if unit is None:
            unit = PlanUnit(kind=UnitKind.ENTERPRISE, name=enterprise.name).stamp_from(enterprise)
            clocks.refresh_category(unit)
            unit.save()
        return unit
    if township is not None:
        lookup, defaults = {"kind": UnitKind.TOWNSHIP, "township": township}, {"name": township.name}
    elif department is not None:
        lookup, defaults = {"kind": UnitKind.DEPARTMENT, "department": department}, {"name": department.name}
    else:
        lookup, defaults = {"kind": UnitKind.DISTRICT}, {"name": _("District government")}
    unit, _created = PlanUnit.objects.get_or_create(
        **lookup, defaults={**defaults, "category": DrillCategory.GOVERNMENT})
    return unit


def _lock_unit(actor, unit: PlanUnit) -> PlanUnit:
    unit = PlanUnit.objects.select_for_update(of=("self",)).select_related("enterprise__industry").get(pk=unit.pk)
    ensure_in_scope(actor, unit)
    return unit


def set_category(*, actor, unit: PlanUnit, category: str) -> PlanUnit:
    """The bureau sets an enterprise's drill category (empty: back to the derived one); the clocks follow."""
    if category and category not in (DrillCategory.HIGH_RISK, DrillCategory.OTHER):
        raise ValidationError({"category": _("An enterprise is a high-risk unit or another unit.")})
    with transaction.atomic():
        unit = _lock_unit(actor, unit)
        UNIT_WORKFLOW.ensure_may(actor, unit, "set-category")
        before = {"category": unit.category, "override": unit.category_override}
        unit.category_override = category
        clocks.refresh_category(unit)
        clocks.refresh_clocks(unit)
        audit.record(actor=actor, verb="plans.set-category", target=unit, changes=audit.diff(
            before, {"category": unit.category, "override": unit.category_override}))
    return unit


# --- plans ---------------------------------------------------------------------------------------------


def _lock_plan(actor, plan: EmergencyPlan, action: str) -> EmergencyPlan:
    plan = EmergencyPlan.objects.select_for_update().get(pk=plan.pk)
    ensure_in_scope(actor, plan)
    PLAN_WORKFLOW.ensure_may(actor, plan, action)
    return plan


def create_plan(*, actor, kind: str, title: str, topics=(), audience: str = Audience.WORKFORCE, summary: str = "",
                enterprise=None, township=None, department=None) -> EmergencyPlan:
    """A draft plan of the unit named (an enterprise, a township, a department, or the district); a special plan
    names the topics it covers (:class:`~shouye.plans.choices.PlanTopic`)."""
    if sum(x is not None for x in (enterprise, township, department)) > 1:
        raise ValidationError({"enterprise": _("Name one unit: an enterprise, a township or a department.")})
    with transaction.atomic():
        if enterprise is not None:
            ensure_in_scope(actor, enterprise)
        unit = unit_for(enterprise=enterprise, township=township, department=department)
        if enterprise is township is department is None and not is_in_scope(actor, unit):
            # Naming no unit means the district's own plans, which only the bureau keeps: ask for the unit.
            raise ValidationError({"enterprise": _("Name the unit whose plan this is.")})
        ensure_in_scope(actor, unit)
        if not may_manage(actor, unit):
            raise PermissionDenied(_("Only the unit that owns these plans keeps them."))
        plan = EmergencyPlan(unit=unit, kind=kind, title=_text(title, "title", _("Give the plan's title.")),
                             topics=_topics(topics), audience=audience, summary=(summary or "").strip())
        plan.full_clean()
        plan.save()
        audit.record(actor=actor, verb="plans.create", target=plan, changes={
            "unit": unit.pk, "kind": kind, "title": plan.title, "topics": plan.topics, "version": plan.version})
    return plan


def update_plan(*, actor, plan: EmergencyPlan, **fields) -> EmergencyPlan:
    """Change a draft's description."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        plan = _lock_plan(actor, plan, "edit")
        before = {name: getattr(plan, name) for name in fields}
        for name, value in fields.items():
            setattr(plan, name, value.strip() if isinstance(value, str) else value)
        plan.topics = _topics(plan.topics)
        plan.title = _text(plan.title, "title", _("Give the plan's title."))
        plan.full_clean()
        plan.save()
        audit.record(actor=actor, verb="plans.edit", target=plan,
                     changes=audit.diff(before, {name: getattr(plan, name) for name in fields}))
    return plan


def publish_plan(*, actor, plan: EmergencyPlan, published_on: date) -> EmergencyPlan:
    """Publish a draft (公布): the filing is due 20 working days later (2号令 Art. 26, the work calendar), the
    evaluation and the drill clocks start; the version it revises is superseded."""
    with transaction.atomic():
        plan = _lock_plan(actor, plan, "publish")
        published_on = _not_future(published_on, "published_on")
        previous = plan.previous
        if previous is not None and previous.published_on and published_on < previous.published_on:
            raise ValidationError({"published_on": _("A new version cannot be published before the one it "
                                                     "revises.")})
        try:
            plan.filing_due_on = filing_deadline(published_on, work_calendar()).due
        except RuleInputError as exc:
            raise ValidationError({"published_on": exc.message}) from exc
        plan.state, plan.published_on = PlanState.PUBLISHED, published_on
        unit = PlanUnit.objects.select_related("enterprise").get(pk=plan.unit_id)
        plan.evaluation_due_on = clocks.evaluation_due(unit, plan)
        plan.save()
        changes = {"state": [PlanState.DRAFT, plan.state], "published_on": str(published_on),
                   "filing_due_on": str(plan.filing_due_on)}
        if previous is not None:
            EmergencyPlan.objects.filter(pk=previous.pk).update(state=PlanState.SUPERSEDED)
            changes["superseded"] = previous.pk
        clocks.refresh_clocks(unit)
        audit.record(actor=actor, verb="plans.publish", target=plan, changes=changes)
    return plan


def file_plan(*, actor, plan: EmergencyPlan, filed_on: date, filing_number: str) -> EmergencyPlan:
    """Record the filing (备案) with the office and its number (备案登记表).

    The plan's text must be attached first: 2号令 Art. 26 files the plan by submitting its materials, which the
    office checks for completeness before it files and issues the 备案登记表 (REGULATIONS.md §6.1); a filing
    recorded without the text it filed would leave the platform's copy of the plan empty where the office holds
    one. The receipt itself is not required: the office may not issue one (no reply within 5 working days
    counts as filed, §6.1 [P]), and the filing number records the act."""
    with transaction.atomic():
        plan = _lock_plan(actor, plan, "file")
        if not PlanDocument.objects.filter(plan=plan, kind=DocumentKind.PLAN_TEXT).exists():
            raise ValidationError(_("Attach the plan's text before recording its filing: the filing submits it "
                                    "(2号令 Art. 26)."))
        filed_on = _not_future(filed_on, "filed_on")
        if filed_on < plan.published_on:
            raise ValidationError({"filed_on": _("A plan is filed after it is published.")})
        plan.filing_number = _text(filing_number, "filing_number", _("Give the filing number."))
        plan.state, plan.filed_on = PlanState.FILED, filed_on
        plan.save()
        audit.record(actor=actor, verb="plans.file", target=plan, changes={
            "state": [PlanState.PUBLISHED, plan.state], "filed_on": str(filed_on),
            "filing_number": plan.filing_number, "late": filed_on > plan.filing_due_on})
    return plan


def attach_documents(*, actor, plan: EmergencyPlan, kind: str, files: Iterable) -> list[PlanDocument]:
    """Attach documents of one kind to a plan version not yet superseded: its text, the filing receipt or an
    evaluation report (PDF, Word, Excel or OFD, checked by content before anything is written)."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    with transaction.atomic():
        plan = _lock_plan(actor, plan, "attach")
        checked = check_documents(files, field="files", required=True,
                                  required_message=_("Add at least one document (PDF, Word, Excel or OFD)."))
        rows = save_documents(PlanDocument, {"plan": plan, "kind": kind}, checked, actor)
        audit.record(actor=actor, verb="plans.attach", target=plan, changes={
            "kind": kind, "documents": [{"name": row.original_name, "sha256": row.sha256} for row in rows]})
    return rows


def evaluate_plan(*, actor, plan: EmergencyPlan, evaluated_on: date, conclusion: str) -> EmergencyPlan:
    """Record the periodic evaluation (2号令 Art. 35); the next one is due 3 years later for the units that must."""
    with transaction.atomic():
        plan = _lock_plan(actor, plan, "evaluate")
        evaluated_on = _not_future(evaluated_on, "evaluated_on")
        if evaluated_on < plan.published_on:
            raise ValidationError({"evaluated_on": _("A plan is evaluated after it is published.")})
        plan.evaluation_note = _text(conclusion, "conclusion", _("Give the evaluation's conclusion."))
        plan.last_evaluated_on = evaluated_on
        plan.evaluation_due_on = clocks.evaluation_due(PlanUnit.objects.select_related("enterprise")
                                                       .get(pk=plan.unit_id), plan)
        plan.save()
        audit.record(actor=actor, verb="plans.evaluate", target=plan, changes={
            "evaluated_on": str(evaluated_on), "evaluation_due_on": str(plan.evaluation_due_on)})
    return plan


def revise_plan(*, actor, plan: EmergencyPlan, trigger: str, reason: str) -> EmergencyPlan:
    """Open a revision for one of the six reasons of 708号令 Art. 6 ¶2: the plan is under revision (it still
    applies) and a new draft version is written from it. Returns the new draft."""
    if trigger not in RevisionTrigger.values:
        raise ValidationError({"trigger": _("Choose one of the six reasons for revision.")})
    with transaction.atomic():
        plan = _lock_plan(actor, plan, "revise")
        reason = _text(reason, "reason", _("Say what changed."))
        draft = _open_revision(actor, plan, trigger, reason)
    return draft


def _open_revision(actor, plan: EmergencyPlan, trigger: str, reason: str) -> EmergencyPlan:
    before = plan.state
    plan.state = PlanState.UNDER_REVISION
    plan.save(update_fields=["state", "updated_at"])
    draft = EmergencyPlan.objects.create(
        unit_id=plan.unit_id, kind=plan.kind, title=plan.title, topics=plan.topics, version=plan.version + 1,
        previous=plan, audience=plan.audience, summary=plan.summary, revision_trigger=trigger,
        revision_reason=reason)
    audit.record(actor=actor, verb="plans.revise", target=plan, changes={
        "state": [before, plan.state], "trigger": trigger, "new_version": draft.pk})
    return draft


# --- drills --------------------------------------------------------------------------------------------


def _lock_drill(actor, drill: Drill, action: str) -> Drill:
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    ensure_in_scope(actor, drill)
    DRILL_WORKFLOW.ensure_may(actor, drill, action)
    return drill


def plan_drill(*, actor, unit: PlanUnit, title: str, kind: str, planned_on: date, plans: Iterable[EmergencyPlan],
               scope: str = "") -> Drill:
    """Plan a drill of some of the unit's plans in force."""
    plans = list(plans)
    with transaction.atomic():
        unit = _lock_unit(actor, unit)
        if not may_manage(actor, unit):
            raise PermissionDenied(_("Only the unit that owns these plans keeps them."))
        if not plans:
            raise ValidationError({"plans": _("Choose the plans the drill exercises.")})
        plans = list(EmergencyPlan.objects.filter(pk__in=[plan.pk for plan in plans]))  # their state now
        if any(plan.unit_id != unit.pk or plan.state not in (PlanState.PUBLISHED, PlanState.FILED,
                                                              PlanState.UNDER_REVISION) for plan in plans):
            raise ValidationError({"plans": _("Choose plans of this unit that are in force.")})
        if planned_on is None:
            raise ValidationError({"planned_on": _("Give the date.")})
        drill = Drill(unit=unit, title=_text(title, "title", _("Give the drill's title.")), kind=kind,
                      planned_on=planned_on, scope=(scope or "").strip())
        drill.full_clean()
        drill.save()
        drill.plans.set(plans)
        audit.record(actor=actor, verb="plans.drill-plan", target=drill, changes={
            "unit": unit.pk, "planned_on": str(planned_on), "plans": sorted(p.pk for p in plans)})
    return drill


def hold_drill(*, actor, drill: Drill, held_on: date, participants: int, evaluation: str) -> Drill:
    """Record the drill held; the unit's and its plans' clocks run again from this day."""
    with transaction.atomic():
        drill = _lock_drill(actor, drill, "hold")
        drill.held_on = _not_future(held_on, "held_on")
        if participants is None or participants < 1:
            raise ValidationError({"participants": _("Give the number of participants (at least 1).")})
        drill.participants = participants
        drill.evaluation = _text(evaluation, "evaluation", _("Give the drill's evaluation."))
        drill.state = DrillState.HELD
        drill.full_clean()
        drill.save()
        unit = PlanUnit.objects.select_related("enterprise").get(pk=drill.unit_id)
        clocks.refresh_clocks(unit)
        audit.record(actor=actor, verb="plans.drill-hold", target=drill, changes={
            "state": [DrillState.PLANNED, drill.state], "held_on": str(drill.held_on),
            "participants": participants})
    return drill


def cancel_drill(*, actor, drill: Drill, reason: str) -> Drill:
    with transaction.atomic():
        drill = _lock_drill(actor, drill, "cancel")
        drill.cancelled_reason = _text(reason, "reason", _("Give the reason."))
        drill.state = DrillState.CANCELLED
        drill.save()
        audit.record(actor=actor, verb="plans.drill-cancel", target=drill, changes={
            "state": [DrillState.PLANNED, drill.state], "reason": drill.cancelled_reason})
    return drill


def record_problem(*, actor, drill: Drill, description: str, outcome: str = ProblemOutcome.NOTED,
                   plan: EmergencyPlan | None = None) -> DrillProblem:
    """A problem the held drill found; ``hazard`` reports it as a hazard of the drill's enterprise (hazards
    service), ``revision`` opens a revision of ``plan`` (one of the drilled plans) for the reason "problems
    found in a drill" (708号令 Art. 6 ¶2 (5))."""
    with transaction.atomic():
        drill = _lock_drill(actor, drill, "problem")
        description = _text(description, "description", _("Describe the problem."))
        problem = DrillProblem(drill=drill, description=description, outcome=outcome, recorded_by=actor)
        if outcome == ProblemOutcome.HAZARD:
            unit = PlanUnit.objects.select_related("enterprise").get(pk=drill.unit_id)
            if unit.enterprise is None:
                raise ValidationError({"outcome": _("Only an enterprise's drill reports hazards.")})
            problem.hazard = report_hazard(
                actor=actor, enterprise=unit.enterprise, source=HazardSource.SELF_INSPECTION,
                description=_("Found in the drill “%(title)s”: %(problem)s") % {
                    "title": drill.title, "problem": description})
        elif outcome == ProblemOutcome.REVISION:
            if plan is None or not drill.plans.filter(pk=plan.pk).exists():
                raise ValidationError({"plan": _("Choose one of the plans this drill exercised.")})
            plan = _lock_plan(actor, plan, "revise")
            problem.revision = _open_revision(actor, plan, RevisionTrigger.DRILL_PROBLEMS, description)
        elif outcome != ProblemOutcome.NOTED:
            raise ValidationError({"outcome": _("Choose what becomes of the problem.")})
        problem.save()
        audit.record(actor=actor, verb="plans.drill-problem", target=drill, changes={
            "problem": problem.pk, "outcome": outcome, "hazard": problem.hazard_id,
            "revision": problem.revision_id})
    return problem
