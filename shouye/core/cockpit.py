"""The cockpit (驾驶舱, issue 10): the duty room's big screen (1920×1080, dark theme) built from the panels the apps
register (``shouye.core.registry.cockpit_panels``), and its JSON, which the page fetches every
``SHOUYE_COCKPIT_REFRESH_SECONDS`` to redraw its charts without reloading.

Every panel reads through scoped selectors, so a township officer's cockpit is its township's and a department
officer's its industries'. The page opens on the data already embedded, so the first paint needs no second
round trip."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .registry import cockpit_panels

#: Who may open the cockpit: those who hold the year's supervision plans (监督检查计划) — the bureau, its leaders,
#: township and department officers; not enterprise users or experts, whose work is one enterprise's, not the
#: district's. Core names the verb and does not import the app that declares it.
COCKPIT_PERMISSION = "inspections.view_inspectionplan"


def may_open(user) -> bool:
    return user.is_authenticated and user.has_perm(COCKPIT_PERMISSION)


def cockpit_data(user) -> dict:
    """Every panel the user may see, with its data, and the header's figures gathered from them, by their
    ``order``."""
    now = timezone.localtime()
    panels, kpis = [], []
    for panel in cockpit_panels.for_user(user):
        data = panel.data(user)
        kpis += data.pop("kpis", [])
        panels.append({"key": panel.key, "title": panel.title, "size": panel.size, **data})
    return {"generated_at": now.isoformat(timespec="seconds"), "generated_at_display": f"{now:%Y-%m-%d %H:%M:%S}",
            "refresh_seconds": settings.SHOUYE_COCKPIT_REFRESH_SECONDS,
            "kpis": sorted(kpis, key=lambda kpi: kpi["order"]), "panels": panels}


def _ensure_allowed(user) -> None:
    if not may_open(user):
        raise PermissionDenied


@require_safe
@login_required
def cockpit(request):
    _ensure_allowed(request.user)
    payload = cockpit_data(request.user)
    return render(request, "core/cockpit.html", {"payload": payload})


@require_safe
@login_required
@never_cache
def cockpit_json(request):
    """The panels' data the page refreshes from: ``{"generated_at", "refresh_seconds", "kpis": [...],
    "panels": [{"key", "title", "size", "option" | "rows"}]}``."""
    _ensure_allowed(request.user)
    return JsonResponse(cockpit_data(request.user))
