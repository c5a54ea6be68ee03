"""Inspection pages. Thin: the object comes from the scoped selector (404 outside the user's scope), the
input from a form, the act from one service."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import DetailView, ListView

from shouye.audit.selectors import timeline
from shouye.core.views import ScopedDetailView, ScopedListView

from . import selectors, services, workflow
from .choices import InspectionKind
from .filters import InspectionFilter, InspectionPlanFilter
from .forms import (
    LEVEL_CHOICES,
    RESULT_CHOICES,
    DocumentForm,
    GeneratePlansForm,
    InspectionForm,
    PlanForm,
    parse_drafts,
    parse_results,
)
from .models import Checklist, Inspection, InspectionPlan

VIEW = "inspections.view_inspection"
VIEW_PLAN = "inspections.view_inspectionplan"
#: The deadline the rectification-order form proposes; the officer sets the real one.
DEFAULT_DEADLINE_DAYS = 15


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _error_list(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages_ in exc.message_dict.values() for message in messages_]
    return list(exc.messages)


def _apply_errors(form, exc: ValidationError) -> None:
    """Field errors on their fields, the rest on the form."""
    for field, messages_ in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():
        form.add_error(field if field in form.fields else None, messages_)


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
    _require(request.user, services.START)
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
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The inspection is open. Mark each item."))
            return redirect("inspections:detail", pk=inspection.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/form.html", {"form": form, "enforcement": InspectionKind.ENFORCEMENT},
                  status=status)


class InspectionDetailView(ScopedDetailView):
    """The record page: the checklist to mark (large touch targets, photos from the camera), the documents
    and the timeline."""

    model = Inspection
    template_name = "inspections/detail.html"

    def scoped_queryset(self, qs):
        return selectors.inspection_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_detail_context(self.request, self.object))
        return context


def _detail_context(request, inspection, errors=()) -> dict:
    user = request.user
    return {
        "inspection": inspection,
        "can_record": services.may_record(user, inspection),
        "can_issue": inspection.is_finished and user.has_perm(services.ISSUE),
        "result_choices": RESULT_CHOICES,
        "timeline": timeline(inspection),
        "errors": list(errors),
        "allowed_actions": workflow.allowed_actions(inspection.state),
    }


@login_required
@require_POST
def inspection_record(request, pk):
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    _require(request.user, services.RECORD)
    results, photos = parse_results(request.POST, request.FILES, inspection.items.all())
    try:
        services.record_results(actor=request.user, inspection=inspection, results=results, photos=photos,
                                notes=request.POST.get("notes"))
    except ValidationError as exc:
        return render(request, "inspections/detail.html", _detail_context(request, inspection, _error_list(exc)),
                      status=400)
    messages.success(request, _("Saved."))
    if request.POST.get("next") == "finish":
        return redirect("inspections:finish", pk=inspection.pk)
    return redirect("inspections:detail", pk=inspection.pk)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_finish(request, pk):
    """The confirmation page: the draft hazards (one per non-compliant item), editable, then finish."""
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    _require(request.user, services.RECORD)
    drafts = services.draft_hazards(inspection)
    errors = []
    if request.method == "POST":
        try:
            services.finish_inspection(actor=request.user, inspection=inspection,
                                       drafts=parse_drafts(request.POST, drafts))
        except ValidationError as exc:
            errors = _error_list(exc)
        else:
            messages.success(request, _("The inspection is finished; its hazards are in the hazard ledger."))
            return redirect("inspections:detail", pk=inspection.pk)
    return render(request, "inspections/finish.html", {
        "inspection": inspection, "drafts": drafts, "level_choices": LEVEL_CHOICES, "errors": errors,
        "unchecked": sum(item.result == "pending" for item in inspection.items.all()),
        "can_finish": services.may_record(request.user, inspection),
    }, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_documents(request, pk):
    """The inspection's documents and the form that issues a new one."""
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    _require(request.user, VIEW)
    form = DocumentForm(request.POST or None,
                        initial={"deadline": timezone.localdate() + timedelta(days=DEFAULT_DEADLINE_DAYS)})
    if request.method == "POST":
        _require(request.user, services.ISSUE)
        if form.is_valid():
            try:
                document = services.issue_document(actor=request.user, inspection=inspection,
                                                   kind=form.cleaned_data["kind"],
                                                   deadline=form.cleaned_data["deadline"],
                                                   opinion=form.cleaned_data["opinion"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Issued %(number)s.") % {"number": document.number})
                return redirect("inspections:documents", pk=inspection.pk)
    return render(request, "inspections/documents.html", {
        "inspection": inspection, "form": form,
        "can_issue": inspection.is_finished and request.user.has_perm(services.ISSUE),
        "documents": selectors.document_list(request.user).filter(inspection=inspection),
    }, status=400 if form.errors else 200)


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
    if filterset.is_bound and filterset.is_valid():
        rows = filterset.qs
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inspections/plans.html", {
        "year": year, "years": range(today.year - 2, today.year + 2), "filterset": filterset, "page_obj": page,
        "paginator": page.paginator, "is_paginated": page.has_other_pages(), "querystring": query.urlencode(),
        "coverage": selectors.coverage(request.user, year, today),
        "can_generate": request.user.has_perm(services.PLAN_GENERATE),
        "generate_form": GeneratePlansForm(initial={"year": year}),
    })


@login_required
@require_POST
def plan_generate(request):
    _require(request.user, services.PLAN_GENERATE)
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
    _require(request.user, services.PLAN_CHANGE)
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
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
