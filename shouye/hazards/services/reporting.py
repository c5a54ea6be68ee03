"""Recording a hazard (16号令 Art. 10: the enterprise's own inspection, an officer's, an expert's)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.attachments import check_photos, save_photos, share_photos
from shouye.regions.scoping import ensure_in_scope

from .. import totals
from ..choices import HazardCategory, HazardLevel, HazardSource, PhotoKind
from ..models import Hazard, HazardPhoto
from ..workflow import ASSIGN, REPORT
from .common import CLOCK_SKEW, OWN_SOURCES, notify_on_commit, township_officers


def _reporting_source(actor, source: str) -> None:
    """Officers report from any source; an enterprise user only from its own self-inspection and an
    expert only from an expert inspection (issue 3: enterprise users report their own hazards). A failed
    control measure is recorded only by doing the investigation task (:func:`report_from_investigation`)."""
    if source == HazardSource.MEASURE_FAILED:
        raise ValidationError({"source": _(
            "A hazard from a failed control measure is recorded by doing its investigation task.")})
    if actor.has_perm(ASSIGN):
        return
    own = {OWN_SOURCES[role] for role in actor.active_roles() if role in OWN_SOURCES}
    if source not in own:
        raise ValidationError({"source": _("You can only report hazards found by your own inspection.")})


def create_hazard(*, actor, enterprise, found_at, found_by_name: str, fields: dict) -> Hazard:
    """The one place a hazard row is made. A hazard from a tip-off is found by the officer who records it:
    its "found by" is shown to the enterprise and the township, and the sender of a tip-off is named only
    where tip-offs are triaged (ARCHITECTURE.md §10)."""
    if fields.get("source") == HazardSource.TIP_OFF and found_by_name != str(actor):
        raise ValidationError({"found_by_name": _(
            "A hazard from a tip-off is found by you, the officer recording it: leave 'Found by' empty. "
            "Who sent a tip-off is never named on the hazard.")})
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
        hazard = create_hazard(
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
            notify_on_commit(township_officers(hazard.township_id), verb="hazard.major_reported",
                             title=_("Major hazard reported: %(enterprise)s") % {"enterprise": enterprise.name},
                             body=hazard.description[:200], hazard_id=hazard.pk)
    return hazard


def report_from_investigation(*, actor, enterprise, description: str, investigation_type: str,
                              category: str = HazardCategory.THINGS, location: str = "",
                              stored_photos: Iterable = ()) -> Hazard:
    """Record the hazard of a control measure found not OK while doing an investigation task (issue 11): source
    "control measure failed" (dangerSrc 9 of REGULATIONS-2 §A.6), ``investigation_type`` the task's kind, its
    before-photos the check's (shared, not copied). The caller (``shouye.risks.services.tasks``) has checked
    the scope and the permission to carry out the task and runs this inside its own transaction, so a refusal
    here leaves nothing of the check behind. Found now, by the actor."""
    if not actor.has_perm("risks.perform_investigation"):
        raise PermissionDenied(_("You do not have permission to do this."))
    ensure_in_scope(actor, enterprise)
    with transaction.atomic():
        hazard = create_hazard(
            actor=actor, enterprise=enterprise, found_at=timezone.now(), found_by_name=str(actor),
            fields={"description": (description or "").strip(), "source": HazardSource.MEASURE_FAILED,
                    "investigation_type": investigation_type, "level": HazardLevel.ORDINARY,
                    "category": category, "location": (location or "").strip()},
        )
        saved = share_photos(HazardPhoto, {"hazard": hazard, "kind": PhotoKind.BEFORE}, stored_photos, actor)
        audit.record(actor=actor, verb="hazard.report", target=hazard, changes={
            "state": [None, hazard.state], "level": hazard.level, "source": hazard.source,
            "investigation_type": investigation_type, "enterprise": enterprise.pk, "photos": len(saved)})
    return hazard
