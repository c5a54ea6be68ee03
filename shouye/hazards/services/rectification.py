"""The rectification loop: order it, report it done, re-inspect (close or reject), close on the spot, and
the deadline extensions in between."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.attachments import save_photos
from shouye.core.registry import reinspection_recorders

from .. import totals, workflow
from ..choices import ExtensionState, HazardLevel, PhotoKind
from ..models import Extension, Hazard, HazardPhoto, ListedSupervision
from .common import (
    as_text,
    check_after_photos,
    enterprise_users,
    lock_for_act,
    notify_on_commit,
    require_text,
    summary_of,
    township_officers,
)
from .governance import ensure_expert_passed, ensure_major_prerequisites

# --- the rectification loop ------------------------------------------------------------------------


def assign_rectification(*, actor, hazard: Hazard, deadline: date, responsible_person: str, measures: str,
                         funds=None) -> Hazard:
    """Order rectification (责令限期整改): reported → rectifying, with deadline, responsible person, measures
    and funds. A major hazard needs its complete governance plan and listed supervision first."""
    with transaction.atomic():
        hazard = lock_for_act(actor, hazard, "assign")
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
            ensure_major_prerequisites(hazard)
        before = hazard.state
        hazard.state = workflow.ensure_allowed(hazard.state, "assign")
        hazard.deadline = deadline
        hazard.responsible_person = responsible_person.strip()
        hazard.measures = measures.strip()
        hazard.funds = funds
        hazard.full_clean()
        hazard.save()
        audit.record(actor=actor, verb="hazard.assign", target=hazard, changes={
            "state": [before, hazard.state], "deadline": as_text(deadline),
            "responsible_person": hazard.responsible_person, "funds": as_text(funds)})
        notify_on_commit(enterprise_users(hazard.enterprise_id), verb="hazard.assigned",
                         title=_("Rectify by %(deadline)s: %(summary)s")
                         % {"deadline": deadline.isoformat(), "summary": summary_of(hazard)},
                         body=hazard.measures[:500], hazard_id=hazard.pk)
    return hazard


def submit_rectification(*, actor, hazard: Hazard, note: str, photos: Iterable) -> Hazard:
    """The enterprise reports the rectification done (rectifying → submitted) with after-photos; the
    township officers are told to re-inspect."""
    with transaction.atomic():
        hazard = lock_for_act(actor, hazard, "submit")
        note = require_text(note, "note", _("Describe what was done."))
        checked = check_after_photos(photos)
        before = hazard.state
        hazard.state = workflow.ensure_allowed(hazard.state, "submit")
        hazard.rectification_note = note
        hazard.submitted_at = timezone.now()
        hazard.save()
        save_photos(HazardPhoto, {"hazard": hazard, "kind": PhotoKind.AFTER}, checked, actor)
        audit.record(actor=actor, verb="hazard.submit", target=hazard, note=note,
                     changes={"state": [before, hazard.state], "photos": len(checked)})
        notify_on_commit(township_officers(hazard.township_id), verb="hazard.submitted",
                         title=_("Rectification submitted for re-inspection: %(summary)s")
                         % {"summary": summary_of(hazard)}, body=note[:500], hazard_id=hazard.pk)
    return hazard


def _record_reinspection(*, actor, hazard: Hazard, passed: bool, note: str, recorded: bool) -> None:
    """The re-inspection decided here is also the inspection record of it: the registered recorders (the
    inspections app's) write it in this transaction, unless the caller is that record (``recorded``: an
    inspection of kind "re-inspection" being finished)."""
    if recorded:
        return
    for recorder in reinspection_recorders:
        recorder(actor=actor, hazard=hazard, passed=passed, note=note)


def verify_rectification(*, actor, hazard: Hazard, passed: bool, note: str = "", recorded: bool = False) -> Hazard:
    """Re-inspection (复查) of a submitted rectification. Passing closes the hazard (销号; a major one also
    needs the expert's passed verification, and its listed supervision is lifted); failing is a rejection
    and sends it back to rectifying with the reason. Decided from the hazard, it is recorded as a
    re-inspection inspection in the same transaction (``recorded``: see :func:`_record_reinspection`)."""
    if not passed:
        return reject_rectification(actor=actor, hazard=hazard, reason=note, recorded=recorded)
    with transaction.atomic():
        hazard = lock_for_act(actor, hazard, "verify")
        if hazard.level == HazardLevel.MAJOR:
            ensure_expert_passed(hazard)
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
        _record_reinspection(actor=actor, hazard=hazard, passed=True, note=hazard.reinspection_result,
                             recorded=recorded)
        notify_on_commit(enterprise_users(hazard.enterprise_id), verb="hazard.closed",
                         title=_("Hazard closed out: %(summary)s") % {"summary": summary_of(hazard)},
                         hazard_id=hazard.pk)
    return hazard


def reject_rectification(*, actor, hazard: Hazard, reason: str, recorded: bool = False) -> Hazard:
    """A failed re-inspection: submitted → rectifying, with the reason the enterprise is told; recorded as
    a re-inspection inspection like :func:`verify_rectification`."""
    with transaction.atomic():
        hazard = lock_for_act(actor, hazard, "reject")
        reason = require_text(reason, "reason", _("Give the reason for the rejection."))
        before = hazard.state
        hazard.state = workflow.ensure_allowed(hazard.state, "reject")
        hazard.reinspected_at = timezone.now()
        hazard.reinspected_by = actor
        hazard.reinspection_result = reason
        hazard.save()
        audit.record(actor=actor, verb="hazard.reject", target=hazard, note=reason,
                     changes={"state": [before, hazard.state]})
        _record_reinspection(actor=actor, hazard=hazard, passed=False, note=reason, recorded=recorded)
        notify_on_commit(enterprise_users(hazard.enterprise_id), verb="hazard.rejected",
                         title=_("Rectification rejected: %(summary)s") % {"summary": summary_of(hazard)},
                         body=reason[:500], hazard_id=hazard.pk)
    return hazard


def close_on_spot(*, actor, hazard: Hazard, note: str, photos: Iterable) -> Hazard:
    """An ordinary hazard rectified immediately on discovery (16号令 Art. 3, 一般事故隐患) is closed at once
    with an after-photo: reported → closed."""
    with transaction.atomic():
        hazard = lock_for_act(actor, hazard, "close-on-spot")
        if hazard.level != HazardLevel.ORDINARY:
            raise ValidationError({"level": _("A major hazard cannot be closed on the spot.")})
        note = require_text(note, "note", _("Describe what was done."))
        checked = check_after_photos(photos)
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
        hazard = lock_for_act(actor, hazard, "request-extension")
        limit = settings.SHOUYE_HAZARD_MAX_EXTENSIONS
        if hazard.extension_count >= limit:
            raise ValidationError({"requested_deadline": _(
                "The deadline has already been extended %(count)d times, the most allowed.") % {"count": limit}})
        if hazard.extensions.filter(state=ExtensionState.PENDING).exists():
            raise ValidationError({"requested_deadline": _("An extension request is already waiting for a decision.")})
        if requested_deadline is None or (hazard.deadline and requested_deadline <= hazard.deadline):
            raise ValidationError({"requested_deadline": _("The new deadline must be after the current one.")})
        reason = require_text(reason, "reason", _("Give the reason for the extension."))
        extension = Extension.objects.create(hazard=hazard, requested_deadline=requested_deadline, reason=reason,
                                             requested_by=actor)
        audit.record(actor=actor, verb="hazard.request-extension", target=hazard, note=reason, changes={
            "extension": extension.pk, "deadline": [as_text(hazard.deadline), as_text(requested_deadline)]})
        notify_on_commit(township_officers(hazard.township_id), verb="hazard.extension_requested",
                         title=_("Extension requested until %(deadline)s: %(summary)s")
                         % {"deadline": requested_deadline.isoformat(), "summary": summary_of(hazard)},
                         body=reason[:500], hazard_id=hazard.pk)
    return extension


def approve_extension(*, actor, extension: Extension, approved: bool = True, note: str = "") -> Extension:
    """Decide an extension request. Approving moves the deadline, counts the extension and clears the
    overdue mark (and the escalation), so the new deadline is watched afresh; refusing needs a reason."""
    with transaction.atomic():
        hazard = lock_for_act(actor, extension.hazard, "approve-extension")
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
            "deadline": [as_text(old_deadline), as_text(hazard.deadline)]})
        title = (_("Extension approved until %(deadline)s: %(summary)s") if approved
                 else _("Extension refused, deadline stays %(deadline)s: %(summary)s"))
        notify_on_commit(enterprise_users(hazard.enterprise_id), verb="hazard.extension_decided",
                         title=title % {"deadline": as_text(hazard.deadline), "summary": summary_of(hazard)},
                         body=note[:500], hazard_id=hazard.pk)
    return extension
