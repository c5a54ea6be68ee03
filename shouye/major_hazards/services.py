"""Every act on a major hazard installation: one transaction, the scope (404), the role and the state (403,
409, from the workflow), the input (400, a Chinese message naming the field), one audit event. The
identification (GB 18218-2018) is recomputed inside the act whenever the inventory or the exposed population
changes, so the stored figures always match the stored inputs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.moments import ensure_not_before_2000
from shouye.regions.scoping import ensure_in_scope
from shouye.risks.services.tasks import enterprise_people
from shouye.rules.errors import RuleInputError
from shouye.rules.major_hazard import MAX_SUBSTANCES, identify_major_hazard

from . import duties
from .choices import InstallationState, PersonRole
from .models import (
    DutyItem,
    DutyTask,
    InstallationSubstance,
    MajorHazardInstallation,
    ResponsiblePerson,
)
from .workflow import MANAGE, WORKFLOW

#: The fields an edit may change (the state, the computation and the stamps have their own acts).
EDITABLE = ("name", "kind", "location", "longitude", "latitude", "exposed_population", "last_assessed_on",
            "next_assessment_due")


def _lock(actor, installation: MajorHazardInstallation, action: str) -> MajorHazardInstallation:
    """Lock the row, then: out of scope (404), not permitted (403), not in this state (409)."""
    installation = MajorHazardInstallation.objects.select_for_update().get(pk=installation.pk)
    ensure_in_scope(actor, installation)
    WORKFLOW.ensure_may(actor, installation, action)
    return installation


def _q(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))


def _as_json(value):
    return None if value is None else str(value)


def recompute(installation: MajorHazardInstallation) -> dict:
    """Identify and grade the installation from its inventory now (GB 18218-2018 4.2, 4.3), store the result
    with its inputs on the row (the caller saves it) and on each inventory line (Q, β), and answer the
    changes for the audit event. Without inventory nothing is identified. A major hazard installation
    whose exposed population is not given yet keeps S but no α, R or grade, and its basis says what is
    missing. An inventory the rule refuses is a ValidationError naming the line."""
    lines = list(installation.substances.order_by("id"))
    items = [line.as_rule_input() for line in lines]
    before = {"ratio_sum": _as_json(installation.ratio_sum), "is_major": installation.is_major,
              "grade": installation.grade, "r": _as_json(installation.r_value)}
    inputs = {"substances": [{**item, "quantity_t": f"{item['quantity_t'].normalize():f}"} for item in items],
              "exposed_population": installation.exposed_population}
    installation.inputs = inputs
    installation.computed_at = timezone.now()
    if not items:
        installation.ratio_sum = installation.alpha = installation.r_value = installation.grade = None
        installation.is_major = False
        installation.basis = _("No substances listed: not identified.")
        return {"computed": [before, {"ratio_sum": None, "is_major": False, "grade": None, "r": None}]}
    population = installation.exposed_population
    missing_population = population is None
    try:
        result = identify_major_hazard(items, 0 if missing_population else population)
    except RuleInputError as exc:
        raise ValidationError({"substances": _("The inventory cannot be identified: %(reason)s")
                               % {"reason": exc.message}}) from exc
    for line, item in zip(lines, result.items, strict=True):
        line.critical_quantity_t, line.beta = item.critical_quantity_t, item.beta
    InstallationSubstance.objects.bulk_update(lines, ["critical_quantity_t", "beta"])
    installation.ratio_sum = _q(Decimal(result.ratio_sum.numerator) / Decimal(result.ratio_sum.denominator))
    installation.is_major = result.is_major
    installation.basis = result.basis
    if result.is_major and missing_population:
        installation.alpha = installation.r_value = installation.grade = None
        installation.basis = "；".join([result.basis.split("；")[0], _(
            "Grade not computed: enter the people normally resident within 500 m of the plant boundary "
            "(GB 18218-2018 Table 5).")])
    else:
        installation.alpha = result.alpha
        installation.r_value = (None if result.r is None
                                else _q(Decimal(result.r.numerator) / Decimal(result.r.denominator)))
        installation.grade = result.grade
    after = {"ratio_sum": _as_json(installation.ratio_sum), "is_major": installation.is_major,
             "grade": installation.grade, "r": _as_json(installation.r_value)}
    return {"computed": [before, after]} if before != after else {}


def _clean_substance(name: str, category: str, quantity_t) -> tuple[str, str, Decimal]:
    name, category = (name or "").strip(), (category or "").strip().upper()
    if not name and not category:
        raise ValidationError({"name": _("Give the substance's name (GB 18218-2018 Table 1) or its Table 2 "
                                         "category.")})
    if quantity_t is None or Decimal(quantity_t) < 0:
        raise ValidationError({"quantity_t": _("Give the design maximum quantity in tonnes (0 or more).")})
    return name, category, Decimal(quantity_t)


def create_installation(*, actor, enterprise, name: str, kind: str, location: str = "", longitude=None,
                        latitude=None, exposed_population: int | None = None, last_assessed_on: date | None = None,
                        next_assessment_due: date | None = None,
                        substances: Iterable[dict] = ()) -> MajorHazardInstallation:
    """Register an installation of ``enterprise`` with its inventory, identified at once."""
    substances = list(substances)
    with transaction.atomic():
        ensure_in_scope(actor, enterprise)
        if not actor.has_perm(MANAGE):
            raise PermissionDenied(_("You do not have permission to do this."))
        if len(substances) > MAX_SUBSTANCES:
            raise ValidationError({"substances": _("At most %(n)d substances per unit.") % {"n": MAX_SUBSTANCES}})
        installation = MajorHazardInstallation(
            name=(name or "").strip(), kind=kind, location=(location or "").strip(), longitude=longitude,
            latitude=latitude, exposed_population=exposed_population, last_assessed_on=last_assessed_on,
            next_assessment_due=next_assessment_due).stamp_from(enterprise)
        installation.full_clean(exclude=["enterprise", "township", "industry"])
        installation.save()
        lines = [_clean_substance(s.get("name", ""), s.get("category", ""), s.get("quantity_t"))
                 for s in substances]
        InstallationSubstance.objects.bulk_create(
            InstallationSubstance(installation=installation, name=n, category=c, quantity_t=q) for n, c, q in lines)
        recompute(installation)
        installation.save()
        audit.record(actor=actor, verb="major-hazard.create", target=installation, changes={
            "enterprise": enterprise.pk, "name": installation.name, "substances": len(lines),
            "is_major": installation.is_major, "grade": installation.grade})
    return installation


def update_installation(*, actor, installation: MajorHazardInstallation, **fields) -> MajorHazardInstallation:
    """Change the installation's description; a change of the exposed population recomputes the grade."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        installation = _lock(actor, installation, "edit")
        before = {name: getattr(installation, name) for name in fields}
        for name, value in fields.items():
            setattr(installation, name, value.strip() if isinstance(value, str) else value)
        installation.full_clean(exclude=["enterprise", "township", "industry"])
        changes = audit.diff({k: _as_json(v) for k, v in before.items()},
                             {k: _as_json(getattr(installation, k)) for k in fields})
        if "exposed_population" in changes:
            changes.update(recompute(installation))
        installation.save()
        audit.record(actor=actor, verb="major-hazard.edit", target=installation, changes=changes)
    return installation


def add_substance(*, actor, installation, name: str = "", category: str = "", quantity_t=None):
    """Add an inventory line and recompute; a line the rule refuses adds nothing."""
    with transaction.atomic():
        installation = _lock(actor, installation, "add-substance")
        if installation.substances.count() >= MAX_SUBSTANCES:
            raise ValidationError({"name": _("At most %(n)d substances per unit.") % {"n": MAX_SUBSTANCES}})
        name, category, quantity = _clean_substance(name, category, quantity_t)
        line = InstallationSubstance.objects.create(installation=installation, name=name, category=category,
                                                    quantity_t=quantity)
        changes = recompute(installation)
        installation.save()
        audit.record(actor=actor, verb="major-hazard.add-substance", target=installation, changes={
            "substance": [None, {"name": name, "category": category, "quantity_t": str(quantity)}],
            "line": line.pk, **changes})
    return installation


def remove_substance(*, actor, installation, substance: InstallationSubstance):
    """Remove an inventory line and recompute."""
    with transaction.atomic():
        installation = _lock(actor, installation, "remove-substance")
        if substance.installation_id != installation.pk:
            raise ValidationError({"substance": _("This substance is not in this installation's inventory.")})
        removed = {"name": substance.name, "category": substance.category, "quantity_t": str(substance.quantity_t)}
        substance.delete()
        changes = recompute(installation)
        installation.save()
        audit.record(actor=actor, verb="major-hazard.remove-substance", target=installation,
                     changes={"substance": [removed, None], **changes})
    return installation


def file_installation(*, actor, installation, filing_number: str, filed_on: date):
    """Record the filing (备案) with the bureau: only an identified major hazard installation (S ≥ 1) is filed."""
    with transaction.atomic():
        installation = _lock(actor, installation, "filing")
        if not installation.is_major:
            raise ValidationError({"filing_number": _(
                "Only a major hazard installation (S = Σq/Q ≥ 1, GB 18218-2018 4.2.1) is filed: list its "
                "substances first.")})
        filing_number = (filing_number or "").strip()
        if not filing_number:
            raise ValidationError({"filing_number": _("Enter the filing number.")})
        if filed_on > timezone.localdate():
            raise ValidationError({"filed_on": _("The filing date cannot be in the future.")})
        installation.filing_number, installation.filed_on = filing_number, filed_on
        installation.state = InstallationState.FILED
        installation.save()
        audit.record(actor=actor, verb="major-hazard.file", target=installation, changes={
            "state": [InstallationState.DRAFT, InstallationState.FILED], "filing_number": filing_number,
            "filed_on": filed_on.isoformat()})
    return installation


def cancel_installation(*, actor, installation, reason: str):
    """Cancel (核销) the installation with a reason; its records stay, its persons' duty tasks end today."""
    with transaction.atomic():
        installation = _lock(actor, installation, "cancel")
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason for cancelling.")})
        old = installation.state
        installation.state, installation.cancelled_reason = InstallationState.CANCELLED, reason
        installation.save()
        ended = duties.end_tasks(DutyTask.objects.filter(person__installation=installation),
                                 timezone.localdate())
        audit.record(actor=actor, verb="major-hazard.cancel", target=installation,
                     changes={"state": [old, installation.state], "reason": reason, "duty_tasks_ended": ended})
    return installation


def appoint_person(*, actor, installation, role: str, name: str, post: str, phone: str, appointed_on: date,
                   user=None) -> ResponsiblePerson:
    """Appoint the responsible person of ``role``; the current one, if any, ends that day (history kept) and
    so do its duty tasks. The new person gets one investigation task per active duty item of the role from
    the appointment on (shouye.major_hazards.duties), assigned to the linked user account, which must be an
    active user account of the installation's enterprise."""
    with transaction.atomic():
        installation = _lock(actor, installation, "appoint")
        if role not in PersonRole.values:
            raise ValidationError({"role": _("Choose the principal, technical or operational role.")})
        if appointed_on > timezone.localdate():
            raise ValidationError({"appointed_on": _("The appointment date cannot be in the future.")})
        # A duty task starts at the appointment: a year before 2000 is a typing error that would open centuries
        # of windows.
        ensure_not_before_2000(appointed_on, "appointed_on", _("The appointment date"))
        if user is not None and not enterprise_people(installation.enterprise_id).filter(pk=user.pk).exists():
            raise ValidationError({"user": _("The user account must be one of this enterprise's.")})
        current = installation.persons.select_for_update().filter(role=role, ended_on=None).first()
        if current is not None:
            if appointed_on < current.appointed_on:
                raise ValidationError({"appointed_on": _(
                    "The successor cannot be appointed before the current person (%(day)s).")
                    % {"day": current.appointed_on.isoformat()}})
            current.ended_on = appointed_on
            current.save(update_fields=["ended_on"])
            duties.end_tasks(current.duty_tasks.all(), appointed_on)
        person = ResponsiblePerson(installation=installation, role=role, name=(name or "").strip(),
                                   post=(post or "").strip(), phone=(phone or "").strip(),
                                   appointed_on=appointed_on, user=user)
        person.full_clean(exclude=["installation", "user"])
        person.save()
        opened = duties.open_tasks(actor=actor, persons=[person], items=DutyItem.objects.filter(active=True,
                                                                                                role=role))
        audit.record(actor=actor, verb="major-hazard.appoint", target=installation, changes={
            "role": role, "person": [current.name if current else None, person.name],
            "appointed_on": appointed_on.isoformat(), "user": user.pk if user else None,
            "duty_tasks": [link.task_id for link in opened]})
    return person


def update_duty_item(*, actor, item: DutyItem, text: str, frequency_days: int, before_key_periods: bool,
                     active: bool) -> DutyItem:
    """The bureau edits a duty item of the task lists (its text, frequency and flags); an item whose text is
    written is no longer a placeholder. The open duty tasks of the item follow: a new text, frequency or flag
    is carried to them, an item retired ends them today, an item put back in use opens one from now for
    every current person of its role on a live installation. One audit event naming what changed."""
    with transaction.atomic():
        if not actor.has_perm("major_hazards.change_dutyitem"):
            raise PermissionDenied(_("You do not have permission to do this."))
        item = DutyItem.objects.select_for_update().get(pk=item.pk)
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Write the duty.")})
        before = {"text": item.text, "frequency_days": item.frequency_days,
                  "before_key_periods": item.before_key_periods, "active": item.active}
        after = {"text": text, "frequency_days": frequency_days, "before_key_periods": before_key_periods,
                 "active": active}
        for name, value in after.items():
            setattr(item, name, value)
        if text != before["text"]:
            item.placeholder = False
        item.full_clean()
        item.save()
        changes = audit.diff(before, after)
        if not active:
            changes["duty_tasks_ended"] = duties.end_tasks(DutyTask.objects.filter(item=item), timezone.localdate())
        elif not before["active"]:
            persons = (ResponsiblePerson.objects.filter(role=item.role, ended_on=None)
                       .exclude(installation__state=InstallationState.CANCELLED)
                       .select_related("installation__enterprise"))
            changes["duty_tasks_opened"] = len(duties.open_tasks(actor=actor, persons=persons, items=[item],
                                                                 starts_at=timezone.now()))
        else:
            changes["duty_tasks_updated"] = duties.update_item_tasks(item)
        audit.record(actor=actor, verb="major-hazard.duty-item", target=item, changes=changes)
    return item
