"""Investigation tasks (排查任务, REGULATIONS-2 §A.5, §A.6): setting one up for a risk point, setting up the
whole risk list at once from a default frequency, and doing an instance — each measure OK or not, a photo for
a measure not OK, which becomes a hazard in the existing loop.

Every act is one keyword-only function and one transaction: it checks scope (404), permission (403), the
state (409) and its input (400), writes, and records exactly one audit event. A refused act changes nothing.

Who may do an instance: its person when the task names one; otherwise any user of the enterprise who may carry
out investigations (the post is a description, not an account). An instance may be done while its window is
open — from ``due_from`` until ``due_by`` — and not after: then it is missed (``shouye.risks.generation``),
which is what the bureau's liveness counts.

Hazards from failed checks (issue 11, and the national interface's rule that every hazard from a task is
bound to a control measure, §A.6): source "control measure failed" (``HazardSource.MEASURE_FAILED``, dangerSrc
9) and ``investigation_type`` the task's own type; the data exchange sends dangerSrc from the hazard's
``investigation_type`` when it is set and 9 otherwise for this source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.accounts.selectors import users_with_role
from shouye.audit import services as audit
from shouye.core.attachments import check_photos, save_photos
from shouye.core.exceptions import InvalidTransition
from shouye.hazards import services as hazard_services
from shouye.hazards.choices import HazardCategory, InvestigationType
from shouye.regions.scoping import ensure_in_scope

from .. import generation
from ..choices import CheckOutcome, CycleUnit, FactorCategory, InstanceState, TaskWorkType, WorkDayType
from ..models import (
    ControlMeasure,
    InvestigationTask,
    RiskPoint,
    TaskCheck,
    TaskCheckPhoto,
    TaskFrequencyDefault,
    TaskInstance,
)

MANAGE = "risks.manage_investigation_task"
PERFORM = "risks.perform_investigation"

#: A hazard's category (16号令 Art. 3) from the aspect of the hazard source whose measure failed (§A.3).
CATEGORY_OF_FACTOR = {
    FactorCategory.PEOPLE: HazardCategory.BEHAVIOUR,
    FactorCategory.THINGS: HazardCategory.THINGS,
    FactorCategory.ENVIRONMENT: HazardCategory.ENVIRONMENT,
    FactorCategory.MANAGEMENT: HazardCategory.MANAGEMENT,
}


def _require(actor, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


def enterprise_people(enterprise_id: int):
    """The accounts a task of the enterprise may be assigned to: its active enterprise users."""
    return users_with_role(Role.ENTERPRISE_USER, enterprise=enterprise_id).order_by("username")


# --- setting up -----------------------------------------------------------------------------------------------


@dataclass
class TaskInput:
    """What a task is set up with (the form's and the API's fields, already parsed)."""

    investigation_type: str = InvestigationType.ROUTINE
    cycle: int | None = None
    cycle_unit: str = ""
    work_day_type: str = WorkDayType.EVERY_DAY
    work_start: time | None = None
    work_end: time | None = None
    starts_at: datetime | None = None
    ends_on: date | None = None
    post: str = ""
    assignee: object = None
    title: str = ""
    measures: list = field(default_factory=list)
    all_measures: bool = False


def _validate_schedule(data: TaskInput, errors: dict) -> None:
    if data.investigation_type not in InvestigationType.values:
        errors["investigation_type"] = _("Choose an investigation type.")
    if data.cycle_unit not in CycleUnit.values:
        errors["cycle_unit"] = _("Choose the unit of the cycle: hours, days, months or years.")
    if not isinstance(data.cycle, int) or data.cycle < 1:
        errors["cycle"] = _("The cycle is a whole number of at least 1.")
    elif data.cycle_unit == CycleUnit.HOUR and data.cycle > 24:
        errors["cycle"] = _("A cycle in hours is at most 24 hours; use days for a longer one.")
    if data.work_day_type not in WorkDayType.values:
        errors["work_day_type"] = _("Choose on which days the task runs.")
    if data.cycle_unit == CycleUnit.HOUR:
        if data.work_start is None:
            errors["work_start"] = _("A cycle in hours needs the start of the working hours.")
        if data.work_end is None:
            errors["work_end"] = _("A cycle in hours needs the end of the working hours.")
        if data.work_start is not None and data.work_start == data.work_end:
            errors["work_end"] = _("The working hours must not start and end at the same time.")
    if data.starts_at is None:
        errors["starts_at"] = _("Give the date and time the task starts.")
    elif data.starts_at < generation.local_midnight(timezone.localdate()):
        errors["starts_at"] = _("A task cannot start before today.")
    if data.ends_on is not None and data.starts_at is not None and data.ends_on < timezone.localtime(
            data.starts_at).date():
        errors["ends_on"] = _("The end date cannot be before the start.")


def _validate_people(enterprise, data: TaskInput, errors: dict) -> None:
    data.post = (data.post or "").strip()
    if data.assignee is not None and not enterprise_people(enterprise.pk).filter(pk=data.assignee.pk).exists():
        errors["assignee"] = _("The person must be a user account of this enterprise.")
    if not data.post and data.assignee is None:
        errors["post"] = _("Name the post or choose the person who does the task.")


def create_task(*, actor, risk_point: RiskPoint, data: TaskInput) -> InvestigationTask:
    """Set up a task for ``risk_point`` checking the chosen measures of the point (or all its measures in use),
    and create its instances up to the end of tomorrow at once."""
    with transaction.atomic():
        ensure_in_scope(actor, risk_point)
        _require(actor, MANAGE)
        errors: dict = {}
        available = list(ControlMeasure.objects.filter(hazard_source__risk_point=risk_point, is_active=True))
        if data.all_measures:
            measures = available
        else:
            chosen = {getattr(m, "pk", m) for m in data.measures}
            measures = [m for m in available if m.pk in chosen]
            if len(measures) != len(chosen):
                errors["measures"] = _("Choose measures of this risk point that are in use.")
        if not measures and "measures" not in errors:
            errors["measures"] = _("The risk point has no control measure in use to check: add its measures "
                                   "first.") if not available else _("Choose at least one measure to check.")
        _validate_schedule(data, errors)
        _validate_people(risk_point.enterprise, data, errors)
        if errors:
            raise ValidationError(errors)
        task = _save_task(actor, risk_point, data, measures)
        audit.record(actor=actor, verb="risk-task.create", target=task, changes={
            "risk_point": risk_point.pk, "measures": [m.pk for m in measures], "cycle": task.cycle,
            "cycle_unit": task.cycle_unit, "work_day_type": task.work_day_type,
            "investigation_type": task.investigation_type})
        generation.generate_instances(tasks=InvestigationTask.objects.filter(pk=task.pk))
    return task


def _save_task(actor, risk_point, data: TaskInput, measures) -> InvestigationTask:
    title = (data.title or "").strip() or _("%(point)s · %(kind)s") % {
        "point": risk_point.name, "kind": InvestigationType(data.investigation_type).label}
    task = InvestigationTask(
        risk_point=risk_point, title=title[:200], investigation_type=data.investigation_type,
        work_type=TaskWorkType.ROUTINE, cycle=data.cycle, cycle_unit=data.cycle_unit,
        work_day_type=data.work_day_type,
        work_start=data.work_start if data.cycle_unit == CycleUnit.HOUR else None,
        work_end=data.work_end if data.cycle_unit == CycleUnit.HOUR else None,
        starts_at=data.starts_at, ends_on=data.ends_on, post=data.post, assignee=data.assignee, created_by=actor,
    ).stamp_from(risk_point.enterprise)
    task.full_clean(exclude=["measures"])
    task.save()
    task.measures.set(measures)
    return task


def stop_task(*, actor, task: InvestigationTask) -> InvestigationTask:
    """Stop a task: no new instances; those already created stay as they are (done, missed or due). A
    responsible person's duty task is ended by its appointment (shouye.major_hazards), never here: 409."""
    with transaction.atomic():
        task = InvestigationTask.objects.select_for_update().get(pk=task.pk)
        ensure_in_scope(actor, task)
        _require(actor, MANAGE)
        if not task.is_active:
            raise InvalidTransition(state="stopped", action="stop", allowed=[],
                                    message=_("The task is already stopped."))
        if task.work_type != TaskWorkType.ROUTINE:
            raise InvalidTransition(state="active", action="stop", allowed=[],
                                    message=_("A responsible person's duty ends with the appointment, not here."))
        task.is_active = False
        task.save(update_fields=["is_active"])
        audit.record(actor=actor, verb="risk-task.stop", target=task, changes={"is_active": [True, False]})
    return task


@dataclass(frozen=True)
class WholeListResult:
    created: int
    skipped: int
    without_measures: int


def generate_for_whole_list(*, actor, enterprise, default: TaskFrequencyDefault, starts_at: datetime,
                            work_day_type: str = WorkDayType.EVERY_DAY, work_start: time | None = None,
                            work_end: time | None = None, post: str = "") -> WholeListResult:
    """One task per risk point in use of ``enterprise`` checking all its measures, at the frequency of
    ``default`` (REGULATIONS-2 §A.5), for the point's responsible person's account when it has one, else the
    post given, else the point's responsible department. Points that already have an active task are skipped,
    and so are points without a measure in use (they have nothing to check)."""
    with transaction.atomic():
        ensure_in_scope(actor, enterprise)
        _require(actor, MANAGE)
        schedule = TaskInput(investigation_type=default.investigation_type, cycle=default.cycle,
                             cycle_unit=default.cycle_unit, work_day_type=work_day_type, work_start=work_start,
                             work_end=work_end, starts_at=starts_at)
        errors: dict = {}
        _validate_schedule(schedule, errors)
        if errors:
            raise ValidationError(errors)
        people = set(enterprise_people(enterprise.pk).values_list("pk", flat=True))
        points = (RiskPoint.objects.filter(enterprise=enterprise, is_active=True).select_related("enterprise")
                  .order_by("code", "pk"))
        with_task = set(InvestigationTask.objects.filter(enterprise=enterprise, is_active=True,
                                                         risk_point__isnull=False)
                        .values_list("risk_point_id", flat=True))
        measures_of: dict[int, list] = {}
        for measure in ControlMeasure.objects.filter(hazard_source__risk_point__enterprise=enterprise,
                                                     is_active=True).select_related("hazard_source"):
            measures_of.setdefault(measure.hazard_source.risk_point_id, []).append(measure)
        created, skipped, bare = [], 0, 0
        for point in points:
            if point.pk in with_task:
                skipped += 1
                continue
            if not measures_of.get(point.pk):
                bare += 1
                continue
            assignee = point.responsible_user if point.responsible_user_id in people else None
            data = TaskInput(**{**schedule.__dict__, "assignee": assignee,
                                "post": (post or "").strip() or (point.department if assignee is None else "")})
            created.append(_save_task(actor, point, data, measures_of[point.pk]))
        audit.record(actor=actor, verb="risk-task.create-for-list", target=enterprise, changes={
            "default": default.key, "created": len(created), "skipped": skipped, "without_measures": bare})
        if created:
            generation.generate_instances(tasks=InvestigationTask.objects.filter(pk__in=[t.pk for t in created]))
    return WholeListResult(created=len(created), skipped=skipped, without_measures=bare)


# --- doing an instance ---------------------------------------------------------------------------------------


@dataclass
class CheckInput:
    """One measure's result as the form or the API gives it; ``measure`` None for the one record of a task
    without measures (a responsible person's duty)."""

    measure: int | None
    outcome: str
    note: str = ""
    photos: list = field(default_factory=list)


#: The key of the record without a measure in the form's fields and the errors (``checks.duty``).
DUTY_KEY = "duty"


def ensure_may_perform(actor, instance: TaskInstance) -> None:
    """The checks doing an instance starts with: scope (404), permission and person (403), state (409)."""
    ensure_in_scope(actor, instance)
    _require(actor, PERFORM)
    if instance.assignee_id is not None and instance.assignee_id != actor.pk:
        raise PermissionDenied(_("This investigation is assigned to someone else."))
    if instance.state != InstanceState.DUE:
        raise InvalidTransition(state=instance.state, action="complete", allowed=[],
                                message=_("This investigation is already done or recorded as missed."))
    now = timezone.now()
    if now < instance.due_from:
        raise InvalidTransition(state=instance.state, action="complete", allowed=[],
                                message=_("This investigation is not due yet."))
    if now >= instance.due_by:
        raise InvalidTransition(state=instance.state, action="complete", allowed=[],
                                message=_("The time for this investigation has passed: it is recorded as "
                                          "missed."))


def is_open(instance: TaskInstance, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return instance.state == InstanceState.DUE and instance.due_from <= now < instance.due_by


def instance_measures(instance: TaskInstance) -> list[ControlMeasure]:
    """The measures an instance checks, in the risk list's order, with their hazard source and point; none
    for a task that checks the duty itself."""
    return list(instance.task.measures.select_related("hazard_source__risk_point")
                .order_by("hazard_source__order", "hazard_source_id", "order", "pk"))


def complete_instance(*, actor, instance: TaskInstance, checks: Iterable[CheckInput | Mapping]) -> TaskInstance:
    """Record the result of every measure of the instance and mark it done. Each measure not OK needs a photo
    and becomes exactly one hazard (source "control measure failed", the task's investigation type, the
    check's photos shared, bound to the check); if any part fails nothing is saved. Done twice: 409.

    A task without measures (a responsible person's duty) takes one result without a measure: not OK needs
    a note saying what was found (photos optional) and becomes one hazard the same way."""
    checks = [c if isinstance(c, CheckInput) else CheckInput(**c) for c in checks]
    with transaction.atomic():
        instance = (TaskInstance.objects.select_for_update(of=("self",)).select_related("task", "enterprise")
                    .get(pk=instance.pk))
        ensure_may_perform(actor, instance)
        measures = {m.pk: m for m in instance_measures(instance)}
        checked_photos = _validate_checks(checks, measures)
        now = timezone.now()
        failed = 0
        rows = TaskCheck.objects.bulk_create([  # one INSERT for every measure's record
            TaskCheck(instance=instance, measure=measures.get(entry.measure), outcome=entry.outcome, note=entry.note,
                      checked_by=actor, checked_at=now) for entry in checks])
        for entry, check in zip(checks, rows, strict=True):
            measure = check.measure
            photos = save_photos(TaskCheckPhoto, {"task_check": check}, checked_photos[entry.measure], actor)
            if entry.outcome == CheckOutcome.NOT_OK:
                failed += 1
                check.hazard = (_report_failed_measure(actor, instance, measure, entry.note, photos)
                                if measure is not None else _report_failed_duty(actor, instance, entry.note, photos))
                check.save(update_fields=["hazard"])
        instance.state, instance.done_at, instance.done_by = InstanceState.DONE, now, actor
        instance.save(update_fields=["state", "done_at", "done_by"])
        generation.add_to_totals({(instance.enterprise_id, instance.township_id, instance.industry_id,
                                   generation.local_date(instance.due_from)): 1}, "done", last_done_at=now)
        audit.record(actor=actor, verb="risk-task.complete", target=instance, changes={
            "state": [InstanceState.DUE, InstanceState.DONE], "checks": len(checks), "not_ok": failed})
    return instance


def _validate_checks(checks: list[CheckInput], measures: dict) -> dict[int | None, list]:
    """Every measure of the instance once, each with a result; a photo for each not OK. Without measures, one
    result without a measure; a note when it is not OK. Answers each measure's checked photos. All uploads
    are checked before anything is written."""
    errors: dict[str, list] = {}
    expected = sorted(measures) if measures else [None]
    given = [entry.measure for entry in checks]
    if sorted(given, key=lambda pk: pk or 0) != expected or len(set(given)) != len(given):
        errors["checks"] = [_("Give one result for each measure of this investigation.") if measures else
                            _("Give one result for this duty.")]
    photos = {}
    for entry in checks:
        key = f"checks.{entry.measure or DUTY_KEY}"
        if entry.outcome not in CheckOutcome.values:
            errors.setdefault(key, []).append(_("Choose OK or not OK."))
        entry.note = (entry.note or "").strip()
        if entry.measure is None and entry.outcome == CheckOutcome.NOT_OK and not entry.note:
            errors.setdefault(key, []).append(_("Say what was found when the result is not OK."))
        try:
            photos[entry.measure] = check_photos(
                entry.photos, field=key, required=entry.measure is not None and entry.outcome == CheckOutcome.NOT_OK,
                required_message=_("Add a photo of the measure found not OK."))
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return photos


def _report_failed_duty(actor, instance: TaskInstance, note: str, photos):
    """The hazard of a responsible person's duty found not OK: a management hazard (16号令 Art. 3) described
    by the duty and what was found."""
    description = _("Responsible person's duty not OK: %(duty)s") % {"duty": instance.task.title}
    return hazard_services.report_from_investigation(
        actor=actor, enterprise=instance.enterprise, description=f"{description}\n{note}",
        investigation_type=instance.task.investigation_type, category=HazardCategory.MANAGEMENT,
        stored_photos=photos)


def _report_failed_measure(actor, instance: TaskInstance, measure: ControlMeasure, note: str, photos):
    source = measure.hazard_source
    point = source.risk_point
    description = _("Control measure not OK: %(measure)s (what to check: %(check)s).") % {
        "measure": measure.description, "check": measure.check_content}
    if note:
        description = f"{description}\n{note}"
    return hazard_services.report_from_investigation(
        actor=actor, enterprise=instance.enterprise, description=description,
        investigation_type=instance.task.investigation_type,
        category=CATEGORY_OF_FACTOR.get(source.factor_category, HazardCategory.THINGS),
        location=(f"{point.name} {point.location}".strip())[:200], stored_photos=photos)
