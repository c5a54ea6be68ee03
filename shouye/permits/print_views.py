"""The printed permit and the live status page its QR code opens (issue 12: "a permit prints as the standard's
form … with a QR code that opens its live status, so a paper copy can be checked against the system"). Both are
scoped like the permit's page: signed in, the permit visible to the user (404 otherwise), the view permission
(403 otherwise)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import chains, documents, selectors
from .choices import LIVE_STATES, PermitPersonRole, ProblemCode
from .workflow import OPEN, VIEW


def _permit(request, pk):
    permit = get_object_or_404(selectors.permit_detail(request.user), pk=pk)
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    return permit


@login_required
@require_GET
def print_pdf(request, pk):
    """The permit's three copies (A4) with the QR code of its status page."""
    permit = _permit(request, pk)
    status_url = request.build_absolute_uri(reverse("permits:status", kwargs={"pk": permit.pk}))
    response = HttpResponse(documents.render_pdf(permit, status_url=status_url), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(request.GET.get("download") == "1",
                                                                 documents.filename(permit))
    return response


@login_required
@require_GET
def status(request, pk):
    """What a paper copy is checked against, on a phone: the state now, the validity left, the watchperson,
    the last gas test, the problems found, and who signed which line."""
    permit = _permit(request, pk)
    now = timezone.now()
    gas_tests = sorted(permit.gas_tests.all(), key=lambda g: g.sampled_at)
    signed = {s.step: s for s in permit.signatures.all()}
    labels = dict(ProblemCode.choices)
    return render(request, "permits/status.html", {
        "permit": permit,
        "grade": documents.grade_text(permit),
        "open": permit.state in OPEN,
        "live": permit.state in LIVE_STATES,
        "expired_window": permit.planned_end <= now,
        "watchpersons": [p for p in permit.people.all() if p.role == PermitPersonRole.WATCHPERSON],
        "last_gas_test": gas_tests[-1] if gas_tests else None,
        "gas_analysed": bool(gas_tests) or permit.kind in chains.GAS_TEST_KINDS,
        "problems": [{"label": labels.get(p.get("code"), p.get("code")), "detail": p.get("detail", "")}
                     for p in permit.problems],
        "signatures": [{"label": step.label, "signature": signed.get(step.key)}
                       for step in chains.chain(permit.kind)],
        "checked_at": now,
    })
