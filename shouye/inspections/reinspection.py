"""One way to re-inspect (复查, issue 10): a hazard's re-inspection decided on its page and an inspection of
kind "re-inspection" are the same act seen from two places.

- Decided from the hazard (``verify``/``reject`` on its page or API): the hazards service calls
  :func:`record_hazard_reinspection` (registered in ``core.registry.reinspection_recorders``) in its
  transaction. The hazard's item in an open re-inspection of its enterprise is marked; without one, a
  finished re-inspection record of this one hazard is written, so the inspection list, the plan figures
  and the documents see every re-inspection.
- Decided from the inspection: finishing a re-inspection (:func:`decide_hazards`, called by
  ``services.finish_inspection`` in its transaction) passes each hazard awaiting re-inspection whose item
  is compliant and rejects each whose item is non-compliant, through the same hazards services, told the
  record already exists. A hazard not awaiting re-inspection (not yet submitted, or decided already) is
  left as it is: its loop has not reached the re-inspection."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.hazards import services as hazard_services
from shouye.hazards.choices import HazardState

from .choices import InspectionKind, InspectionState, ItemResult
from .models import Inspection, InspectionItem


def record_hazard_reinspection(*, actor, hazard, passed: bool, note: str) -> Inspection:
    """Record a re-inspection decided on the hazard's page as an inspection of kind "re-inspection" (runs in
    the hazards service's transaction, after its checks)."""
    result = ItemResult.COMPLIANT if passed else ItemResult.NON_COMPLIANT
    open_item = (InspectionItem.objects.select_related("inspection")
                 .filter(hazard=hazard, inspection__kind=InspectionKind.REINSPECTION,
                         inspection__state=InspectionState.IN_PROGRESS)
                 .order_by("-inspection__inspected_at", "-id").first())
    if open_item is not None:
        inspection = Inspection.objects.select_for_update().get(pk=open_item.inspection_id)
        before = open_item.result
        open_item.result, open_item.finding = result, note
        open_item.save(update_fields=["result", "finding"])
        inspection.save(update_fields=["updated_at"])
        audit.record(actor=actor, verb="inspection.record", target=inspection,
                     changes={"items": {str(open_item.order): [before, result]}, "hazard": hazard.pk})
        return inspection
    found = (InspectionItem.objects.select_related("inspection").filter(hazard=hazard)
             .exclude(inspection__kind=InspectionKind.REINSPECTION).order_by("inspection__inspected_at").first())
    now = timezone.now()
    inspection = Inspection(
        kind=InspectionKind.REINSPECTION, inspected_at=now, place=hazard.location,
        subject=_("Re-inspection of hazard #%(id)d") % {"id": hazard.pk},
        reinspection_of=found.inspection if found else None, state=InspectionState.FINISHED, finished_at=now,
        finished_by=actor, created_by=actor,
    ).stamp_from(hazard.enterprise)
    inspection.save()
    inspection.inspectors.set([actor])
    InspectionItem.objects.create(
        inspection=inspection, checklist_item=found.checklist_item if found else None, order=1,
        text=found.text if found else hazard.description, legal_basis=hazard.legal_basis,
        default_level=hazard.level, category=hazard.category, location=hazard.location, hazard=hazard,
        result=result, finding=note)
    audit.record(actor=actor, verb="inspection.reinspect", target=inspection,
                 changes={"hazard": hazard.pk, "passed": passed,
                          "reinspection_of": inspection.reinspection_of_id})
    return inspection


def decide_hazards(*, actor, inspection: Inspection) -> dict[str, list[int]]:
    """Finishing a re-inspection decides its hazards awaiting re-inspection: compliant passes (销号),
    non-compliant sends back to rectifying with the finding as the reason. Runs in the finishing
    transaction; a refusal (a major hazard without the expert's passed verification) refuses the finish."""
    decided: dict[str, list[int]] = {"verified": [], "rejected": []}
    items = (inspection.items.filter(hazard__state=HazardState.SUBMITTED,
                                     result__in=(ItemResult.COMPLIANT, ItemResult.NON_COMPLIANT))
             .select_related("hazard").order_by("order", "id"))
    for item in items:
        if item.result == ItemResult.COMPLIANT:
            hazard_services.verify_rectification(actor=actor, hazard=item.hazard, passed=True,
                                                 note=item.finding, recorded=True)
            decided["verified"].append(item.hazard_id)
        else:
            reason = item.finding.strip() or _("Not rectified at the re-inspection of %(date)s.") % {
                "date": timezone.localtime(inspection.inspected_at).date().isoformat()}
            hazard_services.reject_rectification(actor=actor, hazard=item.hazard, reason=reason, recorded=True)
            decided["rejected"].append(item.hazard_id)
    return decided
