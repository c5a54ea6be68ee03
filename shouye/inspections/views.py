"""Inspection pages. Thin: the object comes from the scoped selector (404 outside the user's scope), the
input from a form, the act from one service."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import DetailView, ListView

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.downloads import PDF, download
from shouye.core.exceptions import InvalidTransition
from shouye.core.filters import filtered, status_for
from shouye.core.registry import inspection_priority_sources
from shouye.core.views import ScopedDetailView, ScopedListView

from . import actions, selectors, services, workflow
from .choices import InspectionKind, ItemResult
from .filters import InspectionFilter, InspectionPlanFilter
from .forms import (
    LEVEL_CHOICES,
    RESULT_CHOICES,
    GeneratePlansForm,
    InspectionForm,
    PlanForm,
)
from .models import Checklist, Inspection, InspectionPlan
from .workflow import PLAN_CHANGE, PLAN_GENERATE, RECORD, START

VIEW = "inspections.view_inspection"
VIEW_PLAN = "inspections.view_inspectionplan"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


# --- inspections ---------------------------------------------------------------------------------------


class InspectionListView(ScopedListView):
    model = Inspection
    filterset_class = InspectionFilter
    template_name = "inspections/list.html"
    ordering_options = {"date": "inspected_at", "enterprise": "enterprise__name", "kind": "kind",
                        "state": "state"}
    default_ordering = "-inspected_at"

    def scoped_queryset(self, qs):
        return selectors.inspection_list(self.request.user)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    _require(request.user, START)
    initial = {}
    if request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = int(request.GET["enterprise"])
    form = InspectionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.start_inspection(
                actor=request.user, enterprise=data["enterprise"], kind=data["kind"],
                inspected_at=data["inspected_at"], inspectors=list(data["inspectors"]),
                experts=list(data["experts"]), checklist=data["checklist"], place=data["place"],
                subject=data["subject"], notes=data["notes"], reinspection_of=data["reinspection_of"])
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The inspection is open. Mark each item."))
            return redirect("inspections:detail", pk=inspection.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/form.html", {"form": form, "enforcement": InspectionKind.ENFORCEMENT},
                  status=status)


@login_required
@require_GET
def enterprise_search(request):
    """The new-inspection form's enterprise picker: at most 20 enterprises of the user's scope matching the
    name, credit code or address typed, each with the checklist suggested for its industry (JSON)."""
    _require(request.user, START)
    results = selectors.enterprise_search(request.user, request.GET.get("q", ""))
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


class InspectionDetailView(ScopedDetailView):
    """The record page: the checklist to mark (large touch targets, photos from the camera), the documents
    and the timeline."""

    model = Inspection
    template_name = "inspections/detail.html"

    def scoped_queryset(self, qs):
        return selectors.inspection_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(record_page(self.request, self.object)[1])
        return context


def _errors(state: PageState) -> list[str]:
    """A refused act's messages, as the record and confirmation pages list them above the form."""
    if state.form is None:
        return []
    return [message for messages_ in state.form.errors.values() for message in messages_]


def _detail_context(request, inspection, state: PageState = FIRST_VIEW) -> dict:
    user = request.user
    items = inspection.items.all()
    return {
        "inspection": inspection,
        "progress": {"checked": sum(item.result != ItemResult.PENDING for item in items), "total": len(items)},
        "can_record": services.may_record(user, inspection),
        "can_issue": "issue-document" in actions.INSPECTION.available(user, inspection),
        "result_choices": RESULT_CHOICES,
        "timeline": timeline(inspection),
        "errors": _errors(state),
        "refusal": state.refusal,
        "allowed_actions": workflow.allowed_actions(inspection.state),
    }


def record_page(request, inspection, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The record page, after a refused act with its messages."""
    return "inspections/detail.html", _detail_context(request, inspection, state)


@login_required
@require_POST
def inspection_record(request, pk):
    return core_actions.handle(request, actions.INSPECTION, pk, "record", page=record_page)


def finish_page(request, inspection, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The confirmation page: the draft hazards (one per non-compliant item), editable, then finish."""
    return "inspections/finish.html", {
        "inspection": inspection, "drafts": services.draft_hazards(inspection), "level_choices": LEVEL_CHOICES,
        "errors": _errors(state), "refusal": state.refusal,
        "unchecked": sum(item.result == "pending" for item in inspection.items.all()),
        "can_finish": services.may_record(request.user, inspection),
    }


@login_required
@require_http_methods(["GET", "POST"])
def inspection_finish(request, pk):
    if request.method == "POST":
        return core_actions.handle(request, actions.INSPECTION, pk, "finish", page=finish_page)
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    _require(request.user, RECORD)
    return render(request, *finish_page(request, inspection))


def documents_page(request, inspection, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The inspection's documents and the form that issues a new one."""
    act = actions.INSPECTION.actions["issue-document"]
    return "inspections/documents.html", {
        "inspection": inspection, "refusal": state.refusal,
        "form": state.form if state.form is not None else core_actions.unbound(act, request, inspection),
        "can_issue": "issue-document" in actions.INSPECTION.available(request.user, inspection),
        "documents": selectors.document_list(request.user).filter(inspection=inspection),
    }


@login_required
@require_http_methods(["GET", "POST"])
def inspection_documents(request, pk):
    if request.method == "POST":
        return core_actions.handle(request, actions.INSPECTION, pk, "issue-document", page=documents_page)
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    _require(request.user, VIEW)
    return render(request, *documents_page(request, inspection))


@login_required
@require_POST
def document_preview(request, pk):
    """The document the issue form would issue, as an inline PDF without a number and marked 预览/草稿: the
    same input, checks and rendering as the issue, but no number is taken and nothing is written. A refused
    input shows the documents page with its errors, as the issue does."""
    act = actions.INSPECTION.actions["issue-document"]
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    form = core_actions.bind(act, request, inspection)
    try:
        workflow.WORKFLOW.ensure_may(request.user, inspection, act.step_name)
        if form.is_valid():
            pdf = services.preview_document(actor=request.user, inspection=inspection, **form.cleaned_data)
            return download(pdf, "preview.pdf", content_type=PDF, inline=True)
    except InvalidTransition as exc:
        state = PageState(action=act.name, refusal=actions.INSPECTION.refusal_message(exc))
        return render(request, *documents_page(request, inspection, state), status=409)
    except ValidationError as exc:
        core_actions.apply_errors(form, exc)
    return render(request, *documents_page(request, inspection, PageState(action=act.name, form=form)), status=400)


@login_required
@require_GET
def document_download(request, pk):
    document = get_object_or_404(selectors.document_list(request.user), pk=pk)
    _require(request.user, "inspections.view_document")
    return FileResponse(document.file.open("rb"), as_attachment=request.GET.get("inline") != "1",
                        filename=document.filename(), content_type="application/pdf")


# --- plans ---------------------------------------------------------------------------------------------


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def plan_list(request):
    """The year's plans with coverage per township and per squad, and who is overdue."""
    _require(request.user, VIEW_PLAN)
    year, today = _year(request), timezone.localdate()
    rows = selectors.plan_rows(request.user, year, today).order_by("township__code", "enterprise__name")
    filterset = InspectionPlanFilter(request.GET or None, queryset=rows, request=request)
    rows = filtered(filterset)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    reasons = inspection_priority_sources.reasons(request.user, [plan.enterprise_id for plan in page])
    for plan in page:
        plan.priority_reasons = reasons.get(plan.enterprise_id, [])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inspections/plans.html", {
        "year": year, "years": range(today.year - 2, today.year + 2), "filterset": filterset, "page_obj": page,
        "paginator": page.paginator, "is_paginated": page.has_other_pages(), "querystring": query.urlencode(),
        "coverage": selectors.coverage(request.user, year, today),
        "can_generate": request.user.has_perm(PLAN_GENERATE),
        "generate_form": GeneratePlansForm(initial={"year": year}),
    }, status=status_for(filterset))


@login_required
@require_POST
def plan_generate(request):
    _require(request.user, PLAN_GENERATE)
    form = GeneratePlansForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a year between 2000 and 2100."))
        return redirect("inspections:plans")
    year = form.cleaned_data["year"]
    created = services.generate_plans(actor=request.user, year=year)
    messages.success(request, _("%(n)d plans created for %(year)d.") % {"n": created, "year": year})
    return redirect(f"{_plans_url()}?year={year}")


def _plans_url() -> str:
    return reverse("inspections:plans")


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request, pk):
    plan = get_object_or_404(InspectionPlan.objects.visible_to(request.user).select_related("enterprise"), pk=pk)
    _require(request.user, PLAN_CHANGE)
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{_plans_url()}?year={plan.year}")
    return render(request, "inspections/plan_form.html", {"plan": plan, "form": form},
                  status=400 if request.method == "POST" else 200)


# --- checklists (reference data: every signed-in user reads them) ---------------------------------------


class ChecklistListView(LoginRequiredMixin, ListView):
    model = Checklist
    template_name = "inspections/checklists.html"

    def get_queryset(self):
        return Checklist.objects.select_related("industry").order_by("-is_active", "name")


class ChecklistDetailView(LoginRequiredMixin, DetailView):
    model = Checklist
    template_name = "inspections/checklist.html"

    def get_queryset(self):
        return Checklist.objects.select_related("industry").prefetch_related("items")
