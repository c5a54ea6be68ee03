"""The risk register's pages: the officers' list of enterprises, an enterprise's risk list, a risk point's
page with its sources, assessments, measures and special control plan, the forms that edit them, publication,
re-grading, the editable tables and the Excel outputs and import.

Every view checks the permission first (403) and reads its object from ``visible_to`` (404 outside the
scope); the acts are the services' (services/register.py, services/settings.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouye.core.actions import apply_errors
from shouye.core.exceptions import InvalidTransition
from shouye.core.filters import filtered, status_for

from .. import exports, forms, imports
from ..choices import (
    RISK_LEVEL_COLOURS,
    AssessmentMethod,
    ControlLevel,
    MeasureCategory,
    MeasureSubcategory,
    RegisterState,
    RiskLevel,
    RiskPointKind,
)
from ..filters import RiskEnterpriseFilter
from ..selectors import register as selectors
from ..services import register as services
from ..services import settings as risk_settings

VIEW = "risks.view_riskpoint"
MANAGE = services.MANAGE
PUBLISH = services.PUBLISH
EXPORT = "risks.export_risk_list"
EDIT_DISTRICT = risk_settings.EDIT_DISTRICT
#: The badge of each grade in its colour (REGULATIONS.md §3.3), and of a point not assessed.
BADGES = {"major": "text-bg-danger", "high": "text-bg-orange", "moderate": "text-bg-warning",
          "low": "text-bg-primary", "": "text-bg-light border"}


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _enterprise(request, pk: int, perm: str = VIEW):
    _need(request, perm)
    return get_object_or_404(selectors.enterprise_in_scope(request.user), pk=pk)


def _point(request, pk: int, perm: str = VIEW):
    _need(request, perm)
    return get_object_or_404(selectors.risk_points(request.user).select_related("enterprise"), pk=pk)


def _source(request, pk: int, perm: str = MANAGE):
    _need(request, perm)
    return get_object_or_404(selectors.hazard_sources(request.user), pk=pk)


def _form_page(request, form, *, title: str, back: str, perform, success: str, next_url, context=None):
    """GET shows the form; a valid POST runs ``perform(form)`` and redirects to ``next_url(result)``; a
    refusal is put back on the form (400) and changes nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    return render(request, "risks/register/form.html",
                  {"form": form, "title": title, "back": back, **(context or {})},
                  status=400 if form.errors else 200)


# --- lists ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """风险管控: an enterprise user (or an expert of one enterprise) sees its own risk list; an officer the
    enterprises in scope with their points by grade and their list's state."""
    _need(request, VIEW)
    if not request.user.supervises():
        own = list(selectors.enterprise_in_scope(request.user).order_by("pk")[:2])
        if len(own) == 1:
            return _risk_list(request, own[0])
    filterset = RiskEnterpriseFilter(request.GET or None, queryset=selectors.enterprises_with_counts(request.user),
                                     request=request)
    forms.style(filterset.form)
    page = Paginator(filtered(filterset), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "risks/register/enterprises.html", {
        "filterset": filterset, "page_obj": page, "object_list": page.object_list,
        "is_paginated": page.has_other_pages(), "querystring": query.urlencode(),
        "grades": RISK_LEVEL_COLOURS,
    }, status=status_for(filterset))


@login_required
@require_GET
def enterprise_risks(request, pk: int):
    return _risk_list(request, _enterprise(request, pk))


def _risk_list(request, enterprise, *, problems=None, status: int = 200):
    user = request.user
    register = selectors.register_of(user, enterprise.pk)
    rows = list(selectors.risk_list_rows(user, enterprise.pk))
    counts = {grade: 0 for grade in RISK_LEVEL_COLOURS}
    labels = {**dict(RiskLevel.choices), "": _("Not assessed")}
    kinds, levels = dict(RiskPointKind.choices), dict(ControlLevel.choices)
    for row in rows:
        if row.grade:
            counts[row.grade] += 1
        # Labels and the badge's class once here: 500 rows through the template's include cost 100 ms.
        row.badge, row.grade_label = BADGES[row.grade], labels[row.grade]
        row.kind_label, row.level_label = kinds.get(row.kind, ""), levels.get(row.control_level, "—")
    return render(request, "risks/register/list.html", {
        "enterprise": enterprise, "rows": rows, "counts": counts, "register": register,
        "published": register is not None and register.state == RegisterState.PUBLISHED,
        "colours": RISK_LEVEL_COLOURS, "problems": problems,
        "can_manage": user.has_perm(MANAGE), "can_publish": user.has_perm(PUBLISH),
        "can_export": user.has_perm(EXPORT),
    }, status=status)


# --- risk points ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request, pk: int):
    enterprise = _enterprise(request, pk, MANAGE)
    form = forms.RiskPointForm(request.POST or None, enterprise=enterprise)
    return _form_page(
        request, form, title=_("New risk point"), back=reverse("risks:enterprise", args=[enterprise.pk]),
        perform=lambda f: services.create_risk_point(actor=request.user, enterprise=enterprise, **f.cleaned_data),
        success=_("The risk point is added."), next_url=lambda point: reverse("risks:point", args=[point.pk]),
        context={"enterprise": enterprise})


@login_required
@require_GET
def point_detail(request, pk: int):
    """A risk point: its facts, grade and control level, the forced-major conditions, its hazard sources each
    with its current assessment, history and measures, and its special control plan."""
    _need(request, VIEW)
    point = get_object_or_404(selectors.point_detail(request.user), pk=pk)
    sources = []
    for source in point.hazard_sources.all():
        assessments = list(source.assessments.all())
        current = next((a for a in assessments if a.current), None)
        sources.append({"source": source, "current": current,
                        "inputs": " ".join(services.input_pairs(current.method, current.inputs)) if current else "",
                        "history": [a for a in assessments if not a.current],
                        "measures": list(source.measures.all())})
    can_manage = request.user.has_perm(MANAGE)
    tasks = list(selectors.point_tasks(request.user, point.pk))
    conditions = risk_settings.effective_tables(point.enterprise_id).forced_major_conditions if can_manage else ()
    return render(request, "risks/register/point.html", {
        "point": point, "enterprise": point.enterprise, "sources": sources, "colours": RISK_LEVEL_COLOURS,
        "plan": getattr(point, "special_control_plan", None),
        "needs_plan": point.grade in services.PLAN_GRADES,
        "tasks": tasks, "can_set_up_tasks": request.user.has_perm("risks.manage_investigation_task") and point.is_active,
        "can_manage": can_manage and point.is_active,
        "forced_form": forms.ForcedMajorForm(initial=forms.forced_major_initial(conditions, point.forced_major_reasons),
                                             conditions=conditions) if can_manage else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request, pk: int):
    point = _point(request, pk, MANAGE)
    initial = {name: getattr(point, name) for name in services.POINT_FIELDS}
    form = forms.RiskPointForm(request.POST or None, initial=initial, enterprise=point.enterprise)
    return _form_page(
        request, form, title=_("Edit risk point %(code)s") % {"code": point.code},
        back=reverse("risks:point", args=[point.pk]),
        perform=lambda f: services.update_risk_point(actor=request.user, risk_point=point, **f.cleaned_data),
        success=_("The risk point is saved."), next_url=lambda p: reverse("risks:point", args=[p.pk]),
        context={"enterprise": point.enterprise, "back_label": str(point)})


@login_required
@require_POST
def point_retire(request, pk: int):
    point = _point(request, pk, MANAGE)
    try:
        services.retire_risk_point(actor=request.user, risk_point=point)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
        return redirect("risks:point", pk=point.pk)
    messages.success(request, _("The risk point is retired."))
    return redirect("risks:enterprise", pk=point.enterprise_id)


@login_required
@require_POST
def point_forced_major(request, pk: int):
    point = _point(request, pk, MANAGE)
    conditions = risk_settings.effective_tables(point.enterprise_id).forced_major_conditions
    form = forms.ForcedMajorForm(request.POST, conditions=conditions)
    if form.is_valid():
        try:
            services.set_forced_major(actor=request.user, risk_point=point, reasons=form.reasons())
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("The conditions are saved and the point re-graded."))
    return redirect("risks:point", pk=point.pk)


@login_required
@require_http_methods(["GET", "POST"])
def special_plan(request, pk: int):
    point = _point(request, pk, MANAGE)
    plan = getattr(point, "special_control_plan", None)
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS} if plan else {}
    form = forms.SpecialPlanForm(request.POST or None, initial=initial)
    return _form_page(
        request, form, title=_("Special control plan of %(point)s") % {"point": point},
        back=reverse("risks:point", args=[point.pk]),
        perform=lambda f: services.save_special_plan(actor=request.user, risk_point=point, **f.cleaned_data),
        success=_("The special control plan is saved."), next_url=lambda _plan: reverse("risks:point", args=[point.pk]),
        context={"enterprise": point.enterprise, "back_label": str(point)})


# --- hazard sources, assessments, measures --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def source_create(request, pk: int):
    point = _point(request, pk, MANAGE)
    form = forms.HazardSourceForm(request.POST or None)
    return _form_page(
        request, form, title=_("New hazard source of %(point)s") % {"point": point},
        back=reverse("risks:point", args=[point.pk]),
        perform=lambda f: services.add_hazard_source(actor=request.user, risk_point=point, **f.cleaned_data),
        success=_("The hazard source is added; assess it now."),
        next_url=lambda source: reverse("risks:assess", args=[source.pk]),
        context={"enterprise": point.enterprise, "back_label": str(point)})


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request, pk: int):
    source = _source(request, pk)
    form = forms.HazardSourceForm(request.POST or None,
                                  initial={name: getattr(source, name) for name in services.SOURCE_FIELDS})
    return _form_page(
        request, form, title=_("Edit hazard source"), back=reverse("risks:point", args=[source.risk_point_id]),
        perform=lambda f: services.update_hazard_source(actor=request.user, source=source, **f.cleaned_data),
        success=_("The hazard source is saved."), next_url=lambda s: reverse("risks:point", args=[s.risk_point_id]),
        context={"enterprise": source.risk_point.enterprise, "back_label": str(source.risk_point)})


def _assessment_form(request, source, data=None):
    tables = risk_settings.effective_tables(source.risk_point.enterprise_id)
    current = source.assessments.filter(current=True).first()
    method = (data or request.GET).get("method") or (current.method if current else AssessmentMethod.LEC)
    initial = dict(current.inputs) if current and current.method == method else {}
    return forms.AssessmentForm(data, initial=initial, tables=tables, method=method), tables


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, pk: int):
    """Assess a hazard source by LEC, the risk matrix or MES (tabs), the scales from the effective table; the
    result shows as the values are chosen (htmx, ``assess-preview``) before it is saved."""
    source = _source(request, pk)
    form, _tables = _assessment_form(request, source, request.POST or None)
    return _form_page(
        request, form, title=_("Assess: %(source)s") % {"source": source.name},
        back=reverse("risks:point", args=[source.risk_point_id]),
        perform=lambda f: services.assess_hazard_source(actor=request.user, source=source,
                                                        method=f.cleaned_data["method"], inputs=f.inputs()),
        success=_("The assessment is saved and the risk point re-graded."),
        next_url=lambda a: reverse("risks:point", args=[source.risk_point_id]),
        context={"enterprise": source.risk_point.enterprise, "back_label": str(source.risk_point),
                 "assessment": True, "source": source,
                 "methods": AssessmentMethod.choices, "method": form.method})


@login_required
@require_POST
def assess_preview(request, pk: int):
    """The result of the chosen values, computed without saving (the assessment page's live result)."""
    source = _source(request, pk)
    form, tables = _assessment_form(request, source, request.POST)
    outcome, error = None, ""
    if form.is_valid():
        try:
            outcome = services.compute(form.cleaned_data["method"], form.inputs(), tables)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    elif any(form.data.get(name) for name in form.fields if name != "method"):
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    return render(request, "risks/register/_assess_result.html", {"outcome": outcome, "error": error})


def subcategory_groups(category: str | None) -> list:
    """The subcategories (§A.6 classify2) grouped by category: only the chosen category's when one is."""
    return [(label, [(value, sub_label) for value, sub_label in MeasureSubcategory.choices
                     if value.startswith(f"{code}-")])
            for code, label in MeasureCategory.choices if category not in MeasureCategory.values or code == category]


def _measure_context(source, form) -> dict:
    category = form["category"].value()
    return {"enterprise": source.risk_point.enterprise, "back_label": str(source.risk_point),
            "subcategory_groups": subcategory_groups(category)}


@login_required
@require_GET
def subcategories(request):
    """The subcategory options of the chosen category, for the measure form (htmx)."""
    _need(request, MANAGE)
    return render(request, "risks/register/_subcategories.html",
                  {"subcategory_groups": subcategory_groups(request.GET.get("category")),
                   "selected": request.GET.get("subcategory", "")})


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request, pk: int):
    source = _source(request, pk)
    form = forms.MeasureForm(request.POST or None, initial={"is_active": True})
    return _form_page(
        request, form, title=_("New control measure of %(source)s") % {"source": source.name},
        back=reverse("risks:point", args=[source.risk_point_id]),
        perform=lambda f: services.add_measure(actor=request.user, source=source, **f.cleaned_data),
        success=_("The control measure is added."),
        next_url=lambda m: reverse("risks:point", args=[source.risk_point_id]), context=_measure_context(source, form))


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk: int):
    _need(request, MANAGE)
    measure = get_object_or_404(selectors.control_measures(request.user), pk=pk)
    source = measure.hazard_source
    form = forms.MeasureForm(request.POST or None,
                             initial={name: getattr(measure, name) for name in services.MEASURE_FIELDS})
    return _form_page(
        request, form, title=_("Edit control measure"), back=reverse("risks:point", args=[source.risk_point_id]),
        perform=lambda f: services.update_measure(actor=request.user, measure=measure, **f.cleaned_data),
        success=_("The control measure is saved."),
        next_url=lambda m: reverse("risks:point", args=[source.risk_point_id]), context=_measure_context(source, form))


# --- publication and re-grading ---------------------------------------------------------------------------


@login_required
@require_POST
def publish(request, pk: int):
    enterprise = _enterprise(request, pk, PUBLISH)
    try:
        register = services.publish_register(actor=request.user, enterprise=enterprise)
    except ValidationError as exc:
        return _risk_list(request, enterprise, problems=exc.messages, status=400)
    messages.success(request, _("Risk list version %(version)d is published.") % {"version": register.version})
    return redirect("risks:enterprise", pk=enterprise.pk)


@login_required
@require_POST
def regrade(request, pk: int):
    enterprise = _enterprise(request, pk, MANAGE)
    try:
        count = services.regrade_enterprise(actor=request.user, enterprise=enterprise)
    except ValidationError as exc:
        return _risk_list(request, enterprise, problems=exc.messages, status=400)
    messages.success(request, _("%(count)d assessments re-graded by the tables in force.") % {"count": count})
    return redirect("risks:enterprise", pk=enterprise.pk)


# --- the editable tables --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def district_tables(request):
    """The bureau administrator edits the district's LEC, matrix and MES tables, the control level per grade
    and the forced-major conditions (REGULATIONS.md §3)."""
    _need(request, EDIT_DISTRICT)
    row = risk_settings.district_settings()
    form = forms.TablesForm(request.POST or None, initial=forms.tables_initial(row, district=True), district=True)
    return _form_page(
        request, form, title=_("Risk assessment tables of the district"), back=reverse("risks:index"),
        perform=lambda f: risk_settings.save_district_settings(
            actor=request.user, lec_table=f.cleaned_data["lec_table"], matrix_table=f.cleaned_data["matrix_table"],
            mes_table=f.cleaned_data["mes_table"], control_levels=f.control_levels(),
            forced_major_conditions=f.conditions()),
        success=_("The tables are saved. Existing assessments keep their grades until re-graded."),
        next_url=lambda _row: reverse("risks:tables"), context={"tables_help": True})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_tables(request, pk: int):
    """An enterprise's own tables and control levels (empty: the district's)."""
    enterprise = _enterprise(request, pk, MANAGE)
    row = risk_settings.enterprise_settings(enterprise.pk)
    form = forms.TablesForm(request.POST or None, initial=forms.tables_initial(row, district=False), district=False)
    return _form_page(
        request, form, title=_("Own risk assessment tables of %(enterprise)s") % {"enterprise": enterprise.name},
        back=reverse("risks:enterprise", args=[enterprise.pk]),
        perform=lambda f: risk_settings.save_enterprise_settings(
            actor=request.user, enterprise=enterprise, lec_table=f.cleaned_data["lec_table"],
            matrix_table=f.cleaned_data["matrix_table"], mes_table=f.cleaned_data["mes_table"],
            control_levels=f.control_levels()),
        success=_("The tables are saved. Existing assessments keep their grades until re-graded."),
        next_url=lambda _row: reverse("risks:enterprise", args=[enterprise.pk]),
        context={"enterprise": enterprise, "tables_help": True})


# --- Excel ------------------------------------------------------------------------------------------------


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{exports.quoted(filename)}"
    return response


@login_required
@require_GET
def control_list_export(request, pk: int):
    """风险分级管控清单 (山东省安全生产条例 Art. 31) as Excel."""
    enterprise = _enterprise(request, pk, EXPORT)
    content, filename = exports.control_list(request.user, enterprise)
    return _xlsx_response(content, filename)


@login_required
@require_GET
def ledger_export(request, pk: int):
    """风险点及危险源登记台账 as Excel: one row per hazard source."""
    enterprise = _enterprise(request, pk, EXPORT)
    content, filename = exports.source_ledger(request.user, enterprise)
    return _xlsx_response(content, filename)


@login_required
@require_GET
def import_template(request):
    _need(request, MANAGE)
    return _xlsx_response(imports.template_bytes(), imports.TEMPLATE_NAME)


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request, pk: int):
    """Import an existing risk list from Excel: all or nothing, every refusal with its row, column and
    reason."""
    enterprise = _enterprise(request, pk, MANAGE)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.import_risk_list(actor=request.user, enterprise=enterprise,
                                              upload=form.cleaned_data["file"])
        except imports.ImportRefused as exc:
            errors = exc.errors
            form.add_error("file", _("Nothing was imported: fix the rows below and upload the file again."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Imported %(points)d risk points with %(sources)d hazard sources.")
                             % result)
            return redirect("risks:enterprise", pk=enterprise.pk)
    return render(request, "risks/register/import.html", {"form": form, "enterprise": enterprise,
                                                          "errors": errors},
                  status=400 if form.errors else 200)
