"""Reads of the permits, always from ``visible_to(user)`` (ARCHITECTURE.md §5)."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from .choices import CLOSED_STATES, PermitKind, PermitState
from .models import PermitSignature, SpecialOperationPermit


def permits(user):
    return SpecialOperationPermit.objects.visible_to(user).select_related("enterprise", "township", "industry")


def permit_detail(user):
    return permits(user).select_related("special_period").prefetch_related(
        "people", "measures", "gas_tests", "photos",
        Prefetch("signatures", queryset=PermitSignature.objects.defer("image")))


def awaiting_signature(user):
    """Permits whose next act is a signature before the work: briefed or being signed, and approved hot work
    waiting for the shift leader's check (oldest planned start first)."""
    return (permits(user).filter(Q(state__in=(PermitState.BRIEFED, PermitState.SIGNING))
                                 | Q(state=PermitState.APPROVED, kind=PermitKind.HOT_WORK))
            .order_by("planned_start", "id"))


def filings_due(user):
    """Permits a special period asks to be filed with the bureau, not filed yet and not closed."""
    return (permits(user).filter(filing_due_by__isnull=False, filed_at__isnull=True)
            .exclude(state__in=CLOSED_STATES).order_by("filing_due_by", "id"))
