"""Pages: the plans (list, page with the acts offered now, new plan), the drills (list, page, planning one),
a unit's page (its category and clocks, its plans and drills) and the bureau's statistics with their Excel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.downloads import download
from shouye.core.views import ScopedDetailView, ScopedListView

from . import actions, exports, forms, selectors, services
from .filters import DrillFilter, PlanFilter
from .models import Drill, EmergencyPlan, PlanUnit
from .permissions import EXPORT, MANAGE_BUREAU, MANAGE_ENTERPRISE, VIEW


def _may_create(user) -> bool:
    return user.has_perm(MANAGE_ENTERPRISE) or user.has_perm(MANAGE_BUREAU)


def _action_forms(request, action_set, obj, state: PageState, url_prefix: str) -> list[dict]:
    available = action_set.available(request.user, obj)
    items = []
    for name, act in action_set.actions.items():
        if name not in available:
            continue
        is_bound = state.form is not None and state.action == name
        items.append({"action": name, "title": act.title, "button": act.button,
                      "form": state.form if is_bound else core_actions.unbound(act, request, obj),
                      "url": reverse(f"plans:{url_prefix}{name}", kwargs={"pk": obj.pk}), "open": is_bound})
    return items


class PlanListView(ScopedListView):
    """The plans the user sees, filtered by township, unit, kind, state and overdue."""

    model = EmergencyPlan
    permission_required = VIEW
    template_name = "plans/list.html"
    filterset_class = PlanFilter
    ordering_options = {"filing": "filing_due_on", "drill": "drill_due_on", "evaluation": "evaluation_due_on"}

    def scoped_queryset(self, qs):
        return qs.select_related("unit", "unit__township")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(can_create=_may_create(self.request.user), today=timezone.localdate(),
                       can_export=self.request.user.has_perm(EXPORT))
        return context


def plan_page(request, plan: EmergencyPlan, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """A plan: its version and predecessor, clocks, documents, drills and the problems they found, and the acts
    offered now."""
    return "plans/detail.html", {
        "plan": plan, "today": timezone.localdate(),
        "drills": selectors.drills(request.user).filter(plans=plan).order_by("-planned_on")[:20],
        "versions": selectors.plans(request.user).filter(unit=plan.unit, kind=plan.kind, title=plan.title)
        .order_by("-version")[:20],
        "documents": plan.documents.select_related("uploaded_by").order_by("kind", "id"),
        "problems": selectors.plan_problems(request.user, plan)[:50],
        "action_forms": _action_forms(request, actions.PLAN, plan, state, ""),
        "refusal": state.refusal, "timeline": timeline(plan),
    }


class PlanDetailView(ScopedDetailView):
    model = EmergencyPlan
    permission_required = VIEW
    template_name = "plans/detail.html"

    def scoped_queryset(self, qs):
        return selectors.plan_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan_page(self.request, self.object)[1])
        return context


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    """A new draft plan of the user's enterprise, or of the district, a department or a township."""
    if not _may_create(request.user):
        raise PermissionDenied
    form = forms.CreatePlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The draft plan is saved. Publish it when it is issued."))
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/create.html", {"form": form, "title": _("New emergency plan")},
                  status=400 if form.errors else 200)


class DrillListView(ScopedListView):
    model = Drill
    permission_required = VIEW
    template_name = "plans/drills.html"
    filterset_class = DrillFilter
    ordering_options = {"planned": "planned_on"}
    default_ordering = "-planned_on"

    def scoped_queryset(self, qs):
        return qs.select_related("unit", "unit__township")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = _may_create(self.request.user)
        return context


def drill_page(request, drill: Drill, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    return "plans/drill.html", {
        "drill": drill, "plans": list(drill.plans.all()), "problems": selectors.problems(request.user, drill),
        "action_forms": _action_forms(request, actions.DRILL, drill, state, "drill-"),
        "refusal": state.refusal, "timeline": timeline(drill),
    }


class DrillDetailView(ScopedDetailView):
    model = Drill
    permission_required = VIEW
    template_name = "plans/drill.html"

    def scoped_queryset(self, qs):
        return selectors.drill_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(drill_page(self.request, self.object)[1])
        return context


@login_required
@require_http_methods(["GET", "POST"])
def drill_create(request):
    """Plan a drill of a unit's plans in force."""
    if not _may_create(request.user):
        raise PermissionDenied
    form = forms.CreateDrillForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            drill = services.plan_drill(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The drill is planned."))
            return redirect("plans:drill", pk=drill.pk)
    return render(request, "plans/create.html", {"form": form, "title": _("Plan a drill")},
                  status=400 if form.errors else 200)


def unit_page(request, unit: PlanUnit, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    return "plans/unit.html", {
        "unit": unit, "today": timezone.localdate(),
        "plans": selectors.plans(request.user).filter(unit=unit).order_by("kind", "-version")[:50],
        "drills": selectors.drills(request.user).filter(unit=unit).order_by("-planned_on")[:20],
        "action_forms": _action_forms(request, actions.UNIT, unit, state, ""),
        "refusal": state.refusal, "timeline": timeline(unit),
    }


class UnitDetailView(ScopedDetailView):
    model = PlanUnit
    permission_required = VIEW
    template_name = "plans/unit.html"

    def scoped_queryset(self, qs):
        return selectors.units(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(unit_page(self.request, self.object)[1])
        return context


@login_required
@require_GET
def statistics(request):
    """Per township and kind of unit: plans in force and filed, overdue plans, drills held in the last 12
    months, units overdue for a drill."""
    if not request.user.has_perm(EXPORT):
        raise PermissionDenied
    return render(request, "plans/statistics.html", {"rows": selectors.statistics(request.user)})


@login_required
@require_GET
def statistics_export(request):
    if not request.user.has_perm(EXPORT):
        raise PermissionDenied
    content, filename = exports.export_statistics(actor=request.user)
    return download(content, filename, content_type=exports.XLSX_CONTENT_TYPE)
