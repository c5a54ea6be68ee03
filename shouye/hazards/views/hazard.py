"""One hazard: its page with the actions its user may take now, and reporting a new one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.registry import hazard_panels
from shouye.core.views import ScopedDetailView

from .. import actions, forms, selectors, services, workflow
from ..choices import HazardLevel, PhotoKind
from ..models import GovernancePlan, Hazard


def hazard_page(request, hazard: Hazard, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The hazard's page: its facts, photos before and after, a major hazard's governance plan, listed
    supervision and expert verifications, the extensions, its timeline, and a form for each action its user
    is offered now (the one just refused, bound with its errors, is open)."""
    available = services.available_actions(request.user, hazard)
    action_forms = []
    for name, act in actions.HAZARD.actions.items():
        if name not in available:
            continue
        is_bound = state.form is not None and state.action == name
        form = state.form if is_bound else core_actions.unbound(act, request, hazard)
        action_forms.append({"action": name, "form": form, "title": act.title, "button": act.button,
                             "url": reverse(f"hazards:{name}", kwargs={"pk": hazard.pk}),
                             "open": is_bound or (state.form is None and not action_forms)})
    photos = list(hazard.photos.all())
    plan = getattr(hazard, "governance_plan", None)
    major = hazard.level == HazardLevel.MAJOR
    check = getattr(hazard, "investigation_check", None)
    return "hazards/detail.html", {
        "hazard": hazard,
        "investigation_instance_url": (reverse("risks:instance", kwargs={"pk": check.instance_id})
                                       if check is not None else ""),
        "overdue": hazard.is_overdue(timezone.localdate()),
        "major": major,
        "before_photos": [p for p in photos if p.kind == PhotoKind.BEFORE],
        "after_photos": [p for p in photos if p.kind == PhotoKind.AFTER],
        "plan": plan,
        "plan_parts": [(GovernancePlan._meta.get_field(part).verbose_name, getattr(plan, part, ""))
                       for part in GovernancePlan.PARTS],
        "listing": getattr(hazard, "listed_supervision", None),
        "verifications": list(hazard.expert_verifications.all()),
        "extensions": list(hazard.extensions.all()),
        "action_forms": action_forms,
        "refusal": state.refusal,
        "timeline": timeline(hazard),
        "panels": [(panel, panel.context(request, hazard)) for panel in hazard_panels.for_object(request.user, hazard)],
    }


class HazardDetailView(ScopedDetailView):
    """A hazard: its facts, photos before and after, a major hazard's governance plan, listed supervision and
    expert verifications, the extensions, its timeline, and a form for each action its user may take now."""

    model = Hazard
    template_name = "hazards/detail.html"

    def scoped_queryset(self, qs):
        return selectors.hazard_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(hazard_page(self.request, self.object)[1])
        return context


@login_required
@require_http_methods(["GET", "POST"])
def hazard_report(request):
    """Report a hazard of an enterprise in the user's scope, with photos taken before rectification."""
    if not request.user.has_perm(workflow.REPORT):
        raise PermissionDenied
    initial = {"enterprise": request.GET["enterprise"]} if request.GET.get("enterprise", "").isdigit() else {}
    form = forms.ReportForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            hazard = services.report_hazard(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The hazard is reported."))
            return redirect("hazards:detail", pk=hazard.pk)
    return render(request, "hazards/report.html", {"form": form}, status=400 if form.errors else 200)
