"""The bureau records an enterprise's 100-point safety risk assessment (应急〔2018〕19号, REGULATIONS-2 §A.7): the
score and/or the direct-red conditions give the enterprise's colour; the newest record is the current one and
the earlier ones stay as its history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.enterprises.models import Enterprise
from shouye.enterprises.stamps import locked_for_stamping
from shouye.regions.scoping import ensure_in_scope

from ..models import EnterpriseRiskScore
from ..scoring import DIRECT_RED_CODES, MAX_SCORE, enterprise_risk_colour

RECORD_SCORE = "risks.record_enterprise_risk_score"


def _score(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": _("Give the score as a number from 0 to 100.")}) from None
    if not score.is_finite() or not Decimal(0) <= score <= MAX_SCORE:
        raise ValidationError({"score": _("Give the score as a number from 0 to 100.")})
    if score != score.quantize(Decimal("0.01")):
        raise ValidationError({"score": _("Give the score with at most two decimals.")})
    return score


def record_score(*, actor, enterprise: Enterprise, score=None, direct_red_reasons: Iterable[str] = (),
                 assessed_on: date, assessor: str = "") -> EnterpriseRiskScore:
    """Record an assessment of ``enterprise``: one transaction, scope and permission checked, the previous
    current record kept as history, one audit event. A score is needed unless a direct-red condition is
    ticked; the colour follows §A.7's bands (lower bound included) or is red for a direct-red condition."""
    with transaction.atomic():
        ensure_in_scope(actor, enterprise)
        if not actor.has_perm(RECORD_SCORE):
            raise PermissionDenied(_("You do not have permission to do this."))
        enterprise = locked_for_stamping(Enterprise.objects.filter(pk=enterprise.pk)).get()
        reasons = list(dict.fromkeys(direct_red_reasons))
        errors = {}
        try:
            value = _score(score)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            value = None
        unknown = [code for code in reasons if code not in DIRECT_RED_CODES]
        if unknown:
            errors["direct_red_reasons"] = _("Unknown direct-red condition: %(codes)s.") % {"codes": ", ".join(unknown)}
        if value is None and not reasons and "score" not in errors:
            errors["score"] = _("Give the score, or tick a condition that makes the enterprise red directly.")
        if assessed_on is None:
            errors["assessed_on"] = _("Give the date of the assessment.")
        elif assessed_on > timezone.localdate():
            errors["assessed_on"] = _("The date of the assessment cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        colour = enterprise_risk_colour(value, bool(reasons))
        previous = (EnterpriseRiskScore.objects.select_for_update().filter(enterprise=enterprise, current=True)
                    .first())
        if previous is not None:
            previous.current = False
            previous.save(update_fields=["current"])
        record = EnterpriseRiskScore(score=value, direct_red_reasons=reasons, colour=colour.colour,
                                     basis=colour.basis, assessed_on=assessed_on, assessor=(assessor or "").strip(),
                                     current=True, recorded_by=actor).stamp_from(enterprise, locked=True)
        record.full_clean()
        record.save()
        audit.record(actor=actor, verb="risk_score.record", target=record, changes={
            "enterprise": enterprise.pk, "score": None if value is None else str(value),
            "direct_red_reasons": reasons, "colour": [previous.colour if previous else None, record.colour]})
    return record
