"""Business acts on hidden hazards (事故隐患), 安全生产事故隐患排查治理暂行规定 (16号令).

Every act is one keyword-only function and one transaction: it locks the hazard, checks scope (404),
permission (403) and the transition (409, workflow.py), validates its input (400), saves, writes exactly
one audit event and schedules its in-app notifications for after the commit. A refused act changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.accounts.selectors import users_with_role
from shouye.audit import services as audit
from shouye.core import ratelimit
from shouye.core.attachments import check_photos, save_photos, share_photo, share_photos
from shouye.core.uploads import CheckedPhoto, check_photo
from shouye.notifications.services import notify
from shouye.regions.choices import RegionLevel
from shouye.regions.scoping import ensure_in_scope

from . import totals, workflow
from .choices import (
    ExtensionState,
    HazardCategory,
    HazardLevel,
    HazardSource,
    HazardState,
    PhotoKind,
    TipOffState,
)
from .models import (
    ExpertVerification,
    Extension,
    GovernancePlan,
    Hazard,
    HazardPhoto,
    ListedSupervision,
    TipOff,
)
from .workflow import (
    ASSIGN,
    REPORT,
    TIPOFF_WORKFLOW,
    WORKFLOW,
)

#: The source an actor who is not an officer may report from: its own self-inspection, or the expert's.
OWN_SOURCES = {Role.ENTERPRISE_USER: HazardSource.SELF_INSPECTION, Role.EXPERT: HazardSource.EXPERT_INSPECTION}
#: Tolerated clock difference between a phone and the server for "found at".
CLOCK_SKEW = timedelta(minutes=10)


class TooManyTipOffs(Exception):
    """The public tip-off form's rate limit (SHOUYE_TIPOFF_RATE_PER_HOUR per client address) is reached."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(_("Too many tip-offs from your address. Please try again in %(minutes)d minutes.")
                         % {"minutes": max(1, retry_after // 60)})


# --- helpers ------------------------------------------------------------------------------------------


def ensure_may_act(actor, hazard: Hazard, action: str) -> None:
    """The permission (403) and state (409) checks an act starts with (the workflow's), without locking or
    writing. The act repeats them under its lock."""
    WORKFLOW.ensure_may(actor, hazard, action)


def _start(actor, hazard: Hazard, action: str) -> Hazard:
    """Lock the hazard and run the checks every act shares, in the order of their answers: out of scope
    (404), not permitted (403), not allowed in the current state (409)."""
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    ensure_in_scope(actor, hazard)
    ensure_may_act(actor, hazard, action)
    return hazard


def _require_text(value, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _ensure_major(hazard: Hazard) -> None:
    if hazard.level != HazardLevel.MAJOR:
        raise ValidationError({"level": _("Only a major hazard needs this.")})


def _check_after_photos(photos: Iterable) -> list[CheckedPhoto]:
    """A rectification is reported done, or closed on the spot, with at least one after-photo."""
    return check_photos(photos, required=True,
                        required_message=_("Add at least one photo taken after the rectification."))


def enterprise_users(enterprise_id: int):
    return users_with_role(Role.ENTERPRISE_USER, enterprise=enterprise_id)


def township_officers(township_id: int):
    return users_with_role(Role.TOWNSHIP_OFFICER, township=township_id)


def bureau_staff():
    return users_with_role(Role.BUREAU_STAFF)


def hazard_link(hazard_id: int) -> str:
    return reverse("hazards:detail", kwargs={"pk": hazard_id})


def _notify_on_commit(recipients, *, verb: str, title: str, hazard_id: int, body: str = "") -> None:
    """Schedule an in-app notification linking to the hazard for after the commit (a rolled-back act sends
    nothing). The recipients are a queryset, evaluated when the notification is sent."""
    link = hazard_link(hazard_id)
    transaction.on_commit(lambda: notify(recipients=list(recipients), verb=verb, title=title, body=body,
                                         link=link))


def _summary(hazard: Hazard) -> str:
    return f"{hazard.enterprise.name}：{hazard.description[:80]}"


def _value(value):
    return str(value) if value is not None else None


# --- what the current user may do -------------------------------------------------------------------


def available_actions(actor, hazard: Hazard) -> list[str]:
    """The actions ``actor`` is offered on ``hazard`` now (the workflow's steps its state, the actor's role
    and the hazard's level allow). Preconditions that can still be met (the plan complete, the expert's
    verification passed) are left to the service, which names what is missing."""
    return WORKFLOW.available(actor, hazard)


# --- reporting ----------------------------------------------------------------------------------------


def _reporting_source(actor, source: str) -> None:
    """Officers report from any source; an enterprise user only from its own self-inspection and an
    expert only from an expert inspection (issue 3: enterprise users report their own hazards)."""
    if actor.has_perm(ASSIGN):
        return
    own = {OWN_SOURCES[role] for role in actor.active_roles() if role in OWN_SOURCES}
    if source not in own:
        raise ValidationError({"source": _("You can only report hazards found by your own inspection.")})


def _create_hazard(*, actor, enterprise, found_at, found_by_name: str, fields: dict) -> Hazard:
    hazard = Hazard(found_at=found_at, found_by=actor if getattr(actor, "is_authenticated", False) else None,
                    found_by_name=found_by_name, **fields).stamp_from(enterprise)
    hazard.full_clean()
    hazard.save()
    totals.hazard_reported(hazard)
    return hazard


def report_hazard(*, actor, enterprise, description: str, source: str, level: str = HazardLevel.ORDINARY,
                  category: str = HazardCategory.THINGS, location: str = "", legal_basis: str = "",
                  found_at: datetime | None = None, found_by_name: str = "", photos: Iterable = (),
                  stored_photos: Iterable = ()) -> Hazard:
    """Record a hazard with its before-photos: ``photos`` uploaded now, ``stored_photos`` rows of photos
    already checked and stored (an inspection item's), whose files the hazard's photos share. Township and
    industry are stamped from the enterprise (the scope filter and the ledger's filters use them)."""
    with transaction.atomic():
        ensure_in_scope(actor, enterprise)
        if not actor.has_perm(REPORT):
            raise PermissionDenied(_("You do not have permission to do this."))
        _reporting_source(actor, source)
        found_at = found_at or timezone.now()
        if found_at > timezone.now() + CLOCK_SKEW:
            raise ValidationError({"found_at": _("The time found cannot be in the future.")})
        checked = check_photos(photos)
        hazard = _create_hazard(
            actor=actor, enterprise=enterprise, found_at=found_at,
            found_by_name=(found_by_name or "").strip() or str(actor),
            fields={"description": (description or "").strip(), "source": source, "level": level,
                    "category": category, "location": (location or "").strip(),
                    "legal_basis": (legal_basis or "").strip()},
        )
        before = {"hazard": hazard, "kind": PhotoKind.BEFORE}
        saved = [*save_photos(HazardPhoto, before, checked, actor),
                 *share_photos(HazardPhoto, before, stored_photos, actor)]
        audit.record(actor=actor, verb="hazard.report", target=hazard, changes={
            "state": [None, hazard.state], "level": hazard.level, "source": hazard.source,
            "enterprise": enterprise.pk, "photos": len(saved)})
        if hazard.level == HazardLevel.MAJOR:
            _notify_on_commit(township_officers(hazard.township_id), verb="hazard.major_reported",
                              title=_("Major hazard reported: %(enterprise)s") % {"enterprise": enterprise.name},
                              body=hazard.description[:200], hazard_id=hazard.pk)
    return hazard


# --- major hazards: governance plan and listed supervision ------------------------------------------


def save_governance_plan(*, actor, hazard: Hazard, **parts) -> GovernancePlan:
    """Write (part of) the governance plan of a major hazard: the six parts of 16号令 Art. 15. Parts not
    given keep their text; the plan must be complete before rectification is ordered."""
    unknown = set(parts) - set(GovernancePlan.PARTS)
    if unknown:
        raise ValidationError({part: _("Unknown part of the governance plan.") for part in sorted(unknown)})
    with transaction.atomic():
        hazard = _start(actor, hazard, "governance-plan")
        _ensure_major(hazard)
        plan = GovernancePlan.objects.filter(hazard=hazard).first() or GovernancePlan(hazard=hazard)
        before = {part: getattr(plan, part) for part in GovernancePlan.PARTS}
        for part, text in parts.items():
            setattr(plan, part, (text or "").strip())
        plan.updated_by = actor
        plan.full_clean(exclude=["hazard"])
        plan.save()
        after = {part: getattr(plan, part) for part in GovernancePlan.PARTS}
        audit.record(actor=actor, verb="hazard.governance-plan", target=hazard, changes={
            "parts": sorted(audit.diff(before, after)), "missing": plan.missing_parts()})
    return plan


def list_for_supervision(*, actor, hazard: Hazard, supervising_leader: str,
                         document_number: str = "") -> ListedSupervision:
    """Put a major hazard under listed supervision (挂牌督办) with the leader answerable for it; listing it
    again changes the leader or the document number."""
    with transaction.atomic():
        hazard = _start(actor, hazard, "listed-supervision")
        _ensure_major(hazard)
        leader = _require_text(supervising_leader, "supervising_leader", _("Name the supervising leader."))
        listing = ListedSupervision.objects.filter(hazard=hazard).first()
        before = {"supervising_leader": listing.supervising_leader if listing else None,
                  "document_number": listing.document_number if listing else None}
        if listing is None:
            listing = ListedSupervision(hazard=hazard, listed_by=actor)
        listing.supervising_leader = leader
        listing.document_number = (document_number or "").strip()
        listing.full_clean(exclude=["hazard", "listed_by"])
        listing.save()
        audit.record(actor=actor, verb="hazard.listed-supervision", target=hazard, changes=audit.diff(
            before, {"supervising_leader": listing.supervising_leader, "document_number": listing.document_number}))
        recipients = enterprise_users(hazard.enterprise_id) | township_officers(hazard.township_id)
        _notify_on_commit(recipients, verb="hazard.listed",
                          title=_("Major hazard under listed supervision: %(enterprise)s")
                          % {"enterprise": hazard.enterprise.name},
                          body=_("Supervising leader: %(leader)s") % {"leader": leader}, hazard_id=hazard.pk)
    return listing


def _major_prerequisites(hazard: Hazard) -> None:
    """Before a major hazard's rectification starts it needs a governance plan with all six parts of 16号令
    Art. 15 and listed supervision (issue 3, "Major hazards"). Raises naming what is missing."""
    errors = {}
    plan = GovernancePlan.objects.filter(hazard=hazard).first()
    if plan is None:
        errors["governance_plan"] = _("A major hazard needs a governance plan first.")
    elif plan.missing_parts():
        labels = "、".join(str(GovernancePlan._meta.get_field(part).verbose_name) for part in plan.missing_parts())
        errors["governance_plan"] = _("The governance plan is missing: %(parts)s.") % {"parts": labels}
    if not ListedSupervision.objects.filter(hazard=hazard).exists():
        errors["listed_supervision"] = _("A major hazard must be put under listed supervision first.")
    if errors:
        raise ValidationError(errors)


# --- the rectification loop ------------------------------------------------------------------------


def assign_rectification(*, actor, hazard: Hazard, deadline: date, responsible_person: str, measures: str,
                         funds=None) -> Hazard:
    """Order rectification (责令限期整改): reported → rectifying, with deadline, responsible person, measures
    and funds. A major hazard needs its complete governance plan and listed supervision first."""
    with transaction.atomic():
        hazard = _start(actor, hazard, "assign")
        errors = {}
        if deadline is None:
            errors["deadline"] = _("Set a deadline.")
        elif deadline < timezone.localdate():
            errors["deadline"] = _("The deadline cannot be in the past.")
        if not (responsible_person or "").strip():
            errors["responsible_person"] = _("Name the person responsible.")
        if not (measures or "").strip():
            errors["measures"] = _("Describe the rectification measures.")
        if errors:
            raise ValidationError(errors)
        if hazard.level == HazardLevel.MAJOR:
            _major_prerequisites(hazard)
        before = hazard.state
        hazard.state = workflow.ensure_allowed(hazard.state, "assign")
        hazard.deadline = deadline
        hazard.responsible_person = responsible_person.strip()
        hazard.measures = measures.strip()
        hazard.funds = funds
        hazard.full_clean()
        hazard.save()
        audit.record(actor=actor, verb="hazard.assign", target=hazard, changes={
            "state": [before, hazard.state], "deadline": _value(deadline),
            "responsible_person": hazard.responsible_person, "funds": _value(funds)})
        _notify_on_commit(enterprise_users(hazard.enterprise_id), verb="hazard.assigned",
                          title=_("Rectify by %(deadline)s: %(summary)s")
                          % {"deadline": deadline.isoformat(), "summary": _summary(hazard)},
                          body=hazard.measures[:500], hazard_id=hazard.pk)
    return hazard


def submit_rectification(*, actor, hazard: Hazard, note: str, photos: Iterable) -> Hazard:
    """The enterprise reports the rectification done (rectifying → submitted) with after-photos; the
    township officers are told to re-inspect."""
    with transaction.atomic():
        hazard = _start(actor, hazard, "submit")
        note = _require_text(note, "note", _("Describe what was done."))
        checked = _check_after_photos(photos)
        before = hazard.state
        hazard.state = workflow.ensure_allowed(hazard.state, "submit")
        hazard.rectification_note = note
        hazard.submitted_at = timezone.now()
        hazard.save()
        save_photos(HazardPhoto, {"hazard": hazard, "kind": PhotoKind.AFTER}, checked, actor)
        audit.record(actor=actor, verb="hazard.submit", target=hazard, note=note,
                     changes={"state": [before, hazard.state], "photos": len(checked)})
        _notify_on_commit(township_officers(hazard.township_id), verb="hazard.submitted",
                          title=_("Rectification submitted for re-inspection: %(summary)s")
                          % {"summary": _summary(hazard)}, body=note[:500], hazard_id=hazard.pk)
    return hazard


def expert_verify(*, actor, hazard: Hazard, passed: bool, opinion: str) -> ExpertVerification:
    """An expert's verification (复核) of a major hazard's submitted rectification; closing it needs a
    passed one given after the latest submission."""
    with transaction.atomic():
        hazard = _start(actor, hazard, "expert-verify")
        _ensure_major(hazard)
        opinion = _require_text(opinion, "opinion", _("Give your opinion."))
        verification = ExpertVerification.objects.create(hazard=hazard, expert=actor, passed=bool(passed),
                                                         opinion=opinion)
        audit.record(actor=actor, verb="hazard.expert-verify", target=hazard, note=opinion,
                     changes={"passed": bool(passed), "verification": verification.pk})
        _notify_on_commit(township_officers(hazard.township_id), verb="hazard.expert_verified",
                          title=(_("Expert verification passed: %(summary)s") if passed else
                                 _("Expert verification failed: %(summary)s")) % {"summary": _summary(hazard)},
                          body=opinion[:500], hazard_id=hazard.pk)
    return verification


def _ensure_expert_passed(hazard: Hazard) -> None:
    latest = hazard.expert_verifications.order_by("-verified_at", "-id").first()
    if latest is None or not latest.passed or (hazard.submitted_at and latest.verified_at < hazard.submitted_at):
        raise ValidationError({"expert_verification": _(
            "A major hazard can only be closed after an expert has verified its rectification.")})


def verify_rectification(*, actor, hazard: Hazard, passed: bool, note: str = "") -> Hazard:
    """Re-inspection (复查) of a submitted rectification. Passing closes the hazard (销号; a major one also
    needs the expert's passed verification, and its listed supervision is lifted); failing is a rejection
    and sends it back to rectifying with the reason."""
    if not passed:
        return reject_rectification(actor=actor, hazard=hazard, reason=note)
    with transaction.atomic():
        hazard = _start(actor, hazard, "verify")
        if hazard.level == HazardLevel.MAJOR:
            _ensure_expert_passed(hazard)
        now = timezone.now()
        before = hazard.state
        hazard.state = workflow.ensure_allowed(hazard.state, "verify")
        hazard.reinspected_at = hazard.closed_at = now
        hazard.reinspected_by = actor
        hazard.reinspection_result = (note or "").strip() or _("Rectification verified.")
        hazard.save()
        totals.hazard_closed(hazard)
        ListedSupervision.objects.filter(hazard=hazard, lifted_at__isnull=True).update(lifted_at=now)
        audit.record(actor=actor, verb="hazard.verify", target=hazard, note=hazard.reinspection_result,
                     changes={"state": [before, hazard.state]})
        _notify_on_commit(enterprise_users(hazard.enterprise_id), verb="hazard.closed",
                          title=_("Hazard closed out: %(summary)s") % {"summary": _summary(hazard)},
                          hazard_id=hazard.pk)
    return hazard


def reject_rectification(*, actor, hazard: Hazard, reason: str) -> Hazard:
    """A failed re-inspection: submitted → rectifying, with the reason the enterprise is told."""
    with transaction.atomic():
        hazard = _start(actor, hazard, "reject")
        reason = _require_text(reason, "reason", _("Give the reason for the rejection."))
        before = hazard.state
        hazard.state = workflow.ensure_allowed(hazard.state, "reject")
        hazard.reinspected_at = timezone.now()
        hazard.reinspected_by = actor
        hazard.reinspection_result = reason
        hazard.save()
        audit.record(actor=actor, verb="hazard.reject", target=hazard, note=reason,
                     changes={"state": [before, hazard.state]})
        _notify_on_commit(enterprise_users(hazard.enterprise_id), verb="hazard.rejected",
                          title=_("Rectification rejected: %(summary)s") % {"summary": _summary(hazard)},
                          body=reason[:500], hazard_id=hazard.pk)
    return hazard


def close_on_spot(*, actor, hazard: Hazard, note: str, photos: Iterable) -> Hazard:
    """An ordinary hazard rectified immediately on discovery (16号令 Art. 3, 一般事故隐患) is closed at once
    with an after-photo: reported → closed."""
    with transaction.atomic():
        hazard = _start(actor, hazard, "close-on-spot")
        if hazard.level != HazardLevel.ORDINARY:
            raise ValidationError({"level": _("A major hazard cannot be closed on the spot.")})
        note = _require_text(note, "note", _("Describe what was done."))
        checked = _check_after_photos(photos)
        now = timezone.now()
        before = hazard.state
        hazard.state = workflow.ensure_allowed(hazard.state, "close-on-spot")
        hazard.rectification_note = hazard.reinspection_result = note
        hazard.reinspected_at = hazard.closed_at = now
        hazard.reinspected_by = actor
        hazard.save()
        totals.hazard_closed(hazard)
        save_photos(HazardPhoto, {"hazard": hazard, "kind": PhotoKind.AFTER}, checked, actor)
        audit.record(actor=actor, verb="hazard.close-on-spot", target=hazard, note=note,
                     changes={"state": [before, hazard.state], "photos": len(checked)})
    return hazard


# --- deadline extensions ------------------------------------------------------------------------------


def request_extension(*, actor, hazard: Hazard, requested_deadline: date, reason: str) -> Extension:
    """Ask for a later deadline. Refused when one request is pending or the hazard has already been extended
    SHOUYE_HAZARD_MAX_EXTENSIONS times (local practice, configurable)."""
    with transaction.atomic():
        hazard = _start(actor, hazard, "request-extension")
        limit = settings.SHOUYE_HAZARD_MAX_EXTENSIONS
        if hazard.extension_count >= limit:
            raise ValidationError({"requested_deadline": _(
                "The deadline has already been extended %(count)d times, the most allowed.") % {"count": limit}})
        if hazard.extensions.filter(state=ExtensionState.PENDING).exists():
            raise ValidationError({"requested_deadline": _("An extension request is already waiting for a decision.")})
        if requested_deadline is None or (hazard.deadline and requested_deadline <= hazard.deadline):
            raise ValidationError({"requested_deadline": _("The new deadline must be after the current one.")})
        reason = _require_text(reason, "reason", _("Give the reason for the extension."))
        extension = Extension.objects.create(hazard=hazard, requested_deadline=requested_deadline, reason=reason,
                                             requested_by=actor)
        audit.record(actor=actor, verb="hazard.request-extension", target=hazard, note=reason, changes={
            "extension": extension.pk, "deadline": [_value(hazard.deadline), _value(requested_deadline)]})
        _notify_on_commit(township_officers(hazard.township_id), verb="hazard.extension_requested",
                          title=_("Extension requested until %(deadline)s: %(summary)s")
                          % {"deadline": requested_deadline.isoformat(), "summary": _summary(hazard)},
                          body=reason[:500], hazard_id=hazard.pk)
    return extension


def approve_extension(*, actor, extension: Extension, approved: bool = True, note: str = "") -> Extension:
    """Decide an extension request. Approving moves the deadline, counts the extension and clears the
    overdue mark (and the escalation), so the new deadline is watched afresh; refusing needs a reason."""
    with transaction.atomic():
        hazard = _start(actor, extension.hazard, "approve-extension")
        extension = Extension.objects.select_for_update().get(pk=extension.pk, hazard=hazard)
        if extension.state != ExtensionState.PENDING:
            raise ValidationError({"extension": _("This extension request has already been decided.")})
        note = (note or "").strip()
        if not approved and not note:
            raise ValidationError({"note": _("Give the reason for refusing the extension.")})
        if approved and hazard.extension_count >= settings.SHOUYE_HAZARD_MAX_EXTENSIONS:
            raise ValidationError({"extension": _(
                "The deadline has already been extended %(count)d times, the most allowed.")
                % {"count": settings.SHOUYE_HAZARD_MAX_EXTENSIONS}})
        old_deadline = hazard.deadline
        extension.state = ExtensionState.APPROVED if approved else ExtensionState.REFUSED
        extension.decided_by = actor
        extension.decided_at = timezone.now()
        extension.decision_note = note
        extension.save()
        if approved:
            hazard.deadline = extension.requested_deadline
            hazard.extension_count += 1
            hazard.overdue_since = None
            hazard.escalated_at = None
            hazard.save()
        audit.record(actor=actor, verb="hazard.approve-extension", target=hazard, note=note, changes={
            "extension": extension.pk, "approved": bool(approved),
            "deadline": [_value(old_deadline), _value(hazard.deadline)]})
        title = (_("Extension approved until %(deadline)s: %(summary)s") if approved
                 else _("Extension refused, deadline stays %(deadline)s: %(summary)s"))
        _notify_on_commit(enterprise_users(hazard.enterprise_id), verb="hazard.extension_decided",
                          title=title % {"deadline": _value(hazard.deadline), "summary": _summary(hazard)},
                          body=note[:500], hazard_id=hazard.pk)
    return extension


# --- the daily deadline job --------------------------------------------------------------------------


def mark_overdue_and_notify(*, today: date) -> dict:
    """The daily job. Idempotent: run twice on the same day, it marks, escalates and notifies nothing new.

    - marks hazards past their deadline and not rectified with ``overdue_since`` and tells the enterprise's
      users and the township's officers in-app;
    - escalates to the bureau staff those overdue SHOUYE_HAZARD_ESCALATE_AFTER_DAYS days or more
      (``escalated_at``);
    - reminds the enterprise's users of deadlines in the next SHOUYE_HAZARD_REMINDER_DAYS days (issue 3:
      three days before).
    Notifications carry a dedupe key per hazard and deadline, so a new deadline after an extension is
    watched afresh. One audit event per run that changed something."""
    now = timezone.now()
    escalate_by = today - timedelta(days=settings.SHOUYE_HAZARD_ESCALATE_AFTER_DAYS)
    with transaction.atomic():
        overdue = Hazard.objects.overdue(today)
        newly_overdue = list(overdue.filter(overdue_since__isnull=True).values_list("pk", flat=True))
        Hazard.objects.filter(pk__in=newly_overdue).update(overdue_since=today)
        to_escalate = list(overdue.filter(deadline__lte=escalate_by, escalated_at__isnull=True)
                           .values_list("pk", flat=True))
        Hazard.objects.filter(pk__in=to_escalate).update(escalated_at=now)
        if newly_overdue or to_escalate:
            audit.record(actor=None, actor_name="system", verb="hazard.mark-overdue",
                         changes={"today": today.isoformat(), "overdue": newly_overdue, "escalated": to_escalate})
    counts = {"overdue": len(newly_overdue), "escalated": len(to_escalate), "notifications": 0, "reminded": 0}
    people: dict[tuple[str, int], list] = {}

    def of_enterprise(enterprise_id):
        return people.setdefault(("enterprise", enterprise_id), list(enterprise_users(enterprise_id)))

    def of_township(township_id):
        return people.setdefault(("township", township_id), list(township_officers(township_id)))

    staff = list(bureau_staff())
    fields = ("pk", "deadline", "description", "escalated_at", "enterprise__name", "township")
    for hazard in Hazard.objects.overdue(today).select_related("enterprise").only(*fields).order_by("pk"):
        days = (today - hazard.deadline).days
        summary = {"days": days, "summary": _summary(hazard)}
        counts["notifications"] += notify(
            recipients=[*of_enterprise(hazard.enterprise_id), *of_township(hazard.township_id)],
            verb="hazard.overdue", title=_("Overdue by %(days)d days: %(summary)s") % summary,
            link=hazard_link(hazard.pk), dedupe_key=f"hazard-overdue:{hazard.pk}:{hazard.deadline}")
        if hazard.escalated_at is not None:
            counts["notifications"] += notify(
                recipients=staff, verb="hazard.escalated", link=hazard_link(hazard.pk),
                title=_("Escalated, overdue by %(days)d days: %(summary)s") % summary,
                dedupe_key=f"hazard-escalated:{hazard.pk}:{hazard.deadline}")
    horizon = today + timedelta(days=settings.SHOUYE_HAZARD_REMINDER_DAYS)
    due_soon = (Hazard.objects.filter(state=HazardState.RECTIFYING, deadline__gte=today, deadline__lte=horizon)
                .select_related("enterprise").only(*fields).order_by("pk"))
    for hazard in due_soon:
        sent = notify(recipients=of_enterprise(hazard.enterprise_id), verb="hazard.deadline_soon",
                      title=_("Deadline %(deadline)s: %(summary)s") % {"deadline": hazard.deadline.isoformat(),
                                                                       "summary": _summary(hazard)},
                      link=hazard_link(hazard.pk), dedupe_key=f"hazard-reminder:{hazard.pk}:{hazard.deadline}")
        counts["reminded"] += bool(sent)
        counts["notifications"] += sent
    return counts


# --- public tip-offs ------------------------------------------------------------------------------------


TIPOFF_FIELDS = ("enterprise_name", "township", "address", "description", "reporter_name", "reporter_phone")


def _rate_limit(ip_address: str | None) -> None:
    """At most SHOUYE_TIPOFF_RATE_PER_HOUR tip-offs per client address per clock hour, counted in the shared
    cache (shouye.core.ratelimit)."""
    count, remaining = ratelimit.count_in_window(("tip-off", ip_address or "unknown"), window=3600)
    if count > settings.SHOUYE_TIPOFF_RATE_PER_HOUR:
        raise TooManyTipOffs(retry_after=remaining)


def submit_tip_off(*, data: dict, photo=None, ip_address: str | None) -> TipOff:
    """A report from the public (举报), without signing in. Checked first, then counted against the rate
    limit, then stored; the bureau staff are told."""
    unknown = set(data) - set(TIPOFF_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    fields = {key: (value.strip() if isinstance(value, str) else value) for key, value in data.items()}
    tip_off = TipOff(ip_address=ip_address, **fields)
    errors = {}
    if tip_off.township is not None and tip_off.township.level != RegionLevel.TOWNSHIP:
        errors["township"] = [_("Choose a township.")]
    try:
        tip_off.full_clean(exclude=["photo", "hazard", "state"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    checked = None
    if photo:
        try:
            checked = check_photo(photo)
        except ValidationError as exc:
            errors["photo"] = exc.messages
    if errors:
        raise ValidationError(errors)
    _rate_limit(ip_address)
    with transaction.atomic():
        if checked is not None:
            tip_off.photo.save(checked.image.name, checked.image, save=False)
        tip_off.save()
        audit.record(actor=None, actor_name=_("the public"), verb="tipoff.submit", target=tip_off,
                     ip_address=ip_address, changes={"photo": checked is not None})
        transaction.on_commit(lambda: notify(
            recipients=list(bureau_staff()), verb="tipoff.new",
            title=_("New tip-off: %(place)s") % {"place": tip_off.enterprise_name}, body=tip_off.description[:500]))
    return tip_off


def ensure_may_triage(actor, tip_off: TipOff, accept: bool = True) -> None:
    """403 without the triage permission; 409 when the tip-off has already been triaged (it is triaged once)."""
    TIPOFF_WORKFLOW.ensure_may(actor, tip_off, "accept" if accept else "dismiss")


def triage_tip_off(*, actor, tip_off: TipOff, accept: bool, enterprise=None, level: str = HazardLevel.ORDINARY,
                   description: str = "", dismiss_reason: str = "") -> TipOff:
    """Bureau staff turn a tip-off into a hazard of the enterprise it is about (source: tip-off, the public's
    photo as its before-photo), or dismiss it with a reason. A tip-off is triaged once."""
    with transaction.atomic():
        tip_off = TipOff.objects.select_for_update().get(pk=tip_off.pk)
        ensure_in_scope(actor, tip_off)
        ensure_may_triage(actor, tip_off, accept)
        tip_off.triaged_by = actor
        tip_off.triaged_at = timezone.now()
        if not accept:
            tip_off.dismiss_reason = _require_text(dismiss_reason, "dismiss_reason",
                                                   _("Give the reason for dismissing the tip-off."))
            tip_off.state = TipOffState.DISMISSED
            tip_off.save()
            audit.record(actor=actor, verb="tipoff.dismiss", target=tip_off, note=tip_off.dismiss_reason)
            return tip_off
        if enterprise is None:
            raise ValidationError({"enterprise": _("Choose the enterprise the tip-off is about.")})
        ensure_in_scope(actor, enterprise)
        hazard = _create_hazard(
            actor=actor, enterprise=enterprise, found_at=tip_off.created_at,
            found_by_name=tip_off.reporter_name or _("Public tip-off"),
            fields={"description": (description or "").strip() or tip_off.description, "level": level,
                    "source": HazardSource.TIP_OFF, "location": tip_off.address},
        )
        if tip_off.photo:
            share_photo(HazardPhoto, {"hazard": hazard, "kind": PhotoKind.BEFORE}, image=tip_off.photo, actor=actor)
        tip_off.state = TipOffState.ACCEPTED
        tip_off.hazard = hazard
        tip_off.enterprise = enterprise
        tip_off.township_id = enterprise.township_id
        tip_off.save()
        audit.record(actor=actor, verb="hazard.report", target=hazard, changes={
            "state": [None, hazard.state], "level": hazard.level, "source": hazard.source,
            "enterprise": enterprise.pk, "tip_off": tip_off.pk})
    return tip_off

