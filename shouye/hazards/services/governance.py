"""Major hazards (重大事故隐患, 16号令 Art. 15): the governance plan, listed supervision and the expert's
verification that closing one needs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shouye.audit import services as audit

from ..models import ExpertVerification, GovernancePlan, Hazard, ListedSupervision
from .common import (
    ensure_major,
    enterprise_users,
    lock_for_act,
    notify_on_commit,
    require_text,
    summary_of,
    township_officers,
)

# --- the governance plan and listed supervision, needed before rectification starts ---------------------


def save_governance_plan(*, actor, hazard: Hazard, **parts) -> GovernancePlan:
    """Write (part of) the governance plan of a major hazard: the six parts of 16号令 Art. 15. Parts not
    given keep their text; the plan must be complete before rectification is ordered."""
    unknown = set(parts) - set(GovernancePlan.PARTS)
    if unknown:
        raise ValidationError({part: _("Unknown part of the governance plan.") for part in sorted(unknown)})
    with transaction.atomic():
        hazard = lock_for_act(actor, hazard, "governance-plan")
        ensure_major(hazard)
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
        hazard = lock_for_act(actor, hazard, "listed-supervision")
        ensure_major(hazard)
        leader = require_text(supervising_leader, "supervising_leader", _("Name the supervising leader."))
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
        notify_on_commit(recipients, verb="hazard.listed",
                         title=_("Major hazard under listed supervision: %(enterprise)s")
                         % {"enterprise": hazard.enterprise.name},
                         body=_("Supervising leader: %(leader)s") % {"leader": leader}, hazard_id=hazard.pk)
    return listing


def ensure_major_prerequisites(hazard: Hazard) -> None:
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


def expert_verify(*, actor, hazard: Hazard, passed: bool, opinion: str) -> ExpertVerification:
    """An expert's verification (复核) of a major hazard's submitted rectification; closing it needs a
    passed one given after the latest submission."""
    with transaction.atomic():
        hazard = lock_for_act(actor, hazard, "expert-verify")
        ensure_major(hazard)
        opinion = require_text(opinion, "opinion", _("Give your opinion."))
        verification = ExpertVerification.objects.create(hazard=hazard, expert=actor, passed=bool(passed),
                                                         opinion=opinion)
        audit.record(actor=actor, verb="hazard.expert-verify", target=hazard, note=opinion,
                     changes={"passed": bool(passed), "verification": verification.pk})
        notify_on_commit(township_officers(hazard.township_id), verb="hazard.expert_verified",
                         title=(_("Expert verification passed: %(summary)s") if passed else
                                _("Expert verification failed: %(summary)s")) % {"summary": summary_of(hazard)},
                         body=opinion[:500], hazard_id=hazard.pk)
    return verification


def ensure_expert_passed(hazard: Hazard) -> None:
    latest = hazard.expert_verifications.order_by("-verified_at", "-id").first()
    if latest is None or not latest.passed or (hazard.submitted_at and latest.verified_at < hazard.submitted_at):
        raise ValidationError({"expert_verification": _(
            "A major hazard can only be closed after an expert has verified its rectification.")})
