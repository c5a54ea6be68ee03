"""The risk register's pages: the officers' list of enterprises, an enterprise's risk list, a risk point's
page with its sources, assessments, measures and special control plan, the forms that edit them, publication,
re-grading, the editable tables and the Excel outputs (the import's pages are the import kit's,
``import_views``).

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
from shouye.core.downloads import XLSX, download
from shouye.core.exceptions import InvalidTransition
from shouye.core.filters import filtered, status_for

from .. import exports, forms, forms_tables
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


def _delete_page(request, *, what: str, name: str, note: str, point, measures, perform, success: str):
    """GET asks to confirm (or says why it cannot be deleted); POST deletes and goes back to the point, or
    says why not (409) and changes nothing."""
    back = reverse("risks:point", args=[point.pk])
    refusal = services.deletion_refusal(measures)
    if request.method == "POST":
        try:
            perform()
        except InvalidTransition as exc:
            refusal = str(exc)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, "risks/register/delete.html", {
        "title": _("Delete %(what)s") % {"what": what}, "name": name, "note": note, "back": back, "back_label": str(point),
        "enterprise": point.enterprise, "refusal": refusal,
    }, status=409 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def source_delete(request, pk: int):
    """Delete a hazard source entered by mistake (with its assessments and measures) and re-grade the point."""
    source = _source(request, pk)
    return _delete_page(
        request, what=_("hazard source"), name=source.name, point=source.risk_point,
        note=_("Its assessments and control measures are deleted with it, and the risk point is re-graded."),
        measures=source.measures.all(),
        perform=lambda: services.delete_hazard_source(actor=request.user, source=source),
        success=_("The hazard source is deleted and the risk point re-graded."))


@login_required
@require_http_methods(["GET", "POST"])
def measure_delete(request, pk: int):
    """Delete a control measure entered by mistake."""
    _need(request, MANAGE)
    measure = get_object_or_404(selectors.control_measures(request.user).select_related(
        "hazard_source__risk_point__enterprise"), pk=pk)
    return _delete_page(
        request, what=_("control measure"), name=measure.description, point=measure.hazard_source.risk_point,
        note="",
        measures=selectors.control_measures(request.user).filter(pk=measure.pk),
        perform=lambda: services.delete_measure(actor=request.user, measure=measure),
        success=_("The control measure is deleted."))


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


def _tables_page(request, page, *, title: str, back: str, save, done: str, context=None):
    """GET shows the tables as rows; "add a row" or "×" redraws them; a valid POST saves through the service
    and goes to ``done``; a refusal (the rules' reader, on the row it names) changes nothing (400)."""
    if page.is_valid():
        try:
            save(page.values())
        except ValidationError as exc:
            page.refuse(exc)
        else:
            messages.success(request, _("The tables are saved. Existing assessments keep their grades until "
                                        "re-graded."))
            return redirect(done)
    failed = request.method == "POST" and not page.redraw
    return render(request, "risks/register/tables.html", {
        "page": page, "title": title, "back": back, "colours": forms_tables.COLOUR_CHOICES, **(context or {}),
    }, status=400 if failed else 200)


@login_required
@require_http_methods(["GET", "POST"])
def district_tables(request):
    """The bureau administrator edits the district's LEC, matrix and MES tables, the control level per grade
    and the forced-major conditions (REGULATIONS.md §3)."""
    _need(request, EDIT_DISTRICT)
    row = risk_settings.district_settings()
    page = forms_tables.TablesPage(request.POST if request.method == "POST" else None, row=row, district=True,
                                   fallback={})
    return _tables_page(
        request, page, title=_("Risk assessment tables of the district"), back=reverse("risks:index"),
        save=lambda values: risk_settings.save_district_settings(actor=request.user, **values),
        done=reverse("risks:tables"))


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_tables(request, pk: int):
    """An enterprise's own tables and control levels; a table not ticked as its own is the district's."""
    enterprise = _enterprise(request, pk, MANAGE)
    row = risk_settings.enterprise_settings(enterprise.pk)
    district = risk_settings.district_settings()
    page = forms_tables.TablesPage(request.POST if request.method == "POST" else None, row=row, district=False,
                                   fallback={name: getattr(district, name) for name in risk_settings.TABLE_FIELDS})
    return _tables_page(
        request, page, title=_("Own risk assessment tables of %(enterprise)s") % {"enterprise": enterprise.name},
        back=reverse("risks:enterprise", args=[enterprise.pk]),
        save=lambda values: risk_settings.save_enterprise_settings(actor=request.user, enterprise=enterprise,
                                                                  **values),
        done=reverse("risks:enterprise", args=[enterprise.pk]),
        context={"enterprise": enterprise, "has_own": row is not None})


@login_required
@require_POST
def enterprise_tables_reset(request, pk: int):
    """Back to the district's tables and control levels: the enterprise's own are deleted."""
    enterprise = _enterprise(request, pk, MANAGE)
    if risk_settings.reset_enterprise_settings(actor=request.user, enterprise=enterprise):
        messages.success(request, _("The enterprise uses the district's tables again. Existing assessments keep "
                                    "their grades until re-graded."))
    return redirect("risks:enterprise-tables", pk=enterprise.pk)


# --- Excel ------------------------------------------------------------------------------------------------


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, content_type=XLSX)


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
