"""The bureau's pages of dual prevention: the liveness table (and its Excel), the district statistics, and an
enterprise's 100-point assessment (the form and its history). Read by the bureau, township and department
officers in their scope; out-of-scope enterprises are 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shouye.core import actions as core_actions
from shouye.enterprises.models import Enterprise

from ..choices import RISK_LEVEL_COLOURS, RiskLevel
from ..exports_bureau import export_liveness
from ..forms_bureau import AreaFilterForm, LivenessFilterForm, RiskScoreForm
from ..models import EnterpriseRiskScore
from ..scoring import COLOUR_HEX, COLOUR_LABELS, DIRECT_RED_CONDITIONS
from ..selectors import liveness as live
from ..selectors.statistics import GRADES, risk_statistics
from ..services.scores import RECORD_SCORE, record_score

VIEW_LIVENESS = "risks.view_liveness"
PAGE_SIZE = 50
#: The history of assessments an enterprise's score page shows.
HISTORY_ROWS = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Bootstrap badges of the four colours (shouye.css has the orange one).
BADGES = {"red": "text-bg-danger", "orange": "text-bg-orange", "yellow": "text-bg-warning", "blue": "text-bg-primary"}

SORT_LABELS = {
    "name": gettext_lazy("Enterprise"), "township": gettext_lazy("Township"), "due": gettext_lazy("Due"),
    "completion": gettext_lazy("Completion"), "missed": gettext_lazy("Missed"),
    "days_since": gettext_lazy("Days since last done"), "self_reported": gettext_lazy("Self-reported"),
    "found_by_supervisors": gettext_lazy("Found by supervisors"), "points": gettext_lazy("Risk points"),
}


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def liveness_form(data: QueryDict, request=None) -> LivenessFilterForm:
    form = LivenessFilterForm(data, request=request)
    form.is_valid()
    return form


def liveness_rows(user, form: LivenessFilterForm) -> list:
    """Every row the valid ``form`` selects, sorted as it says (the export's rows)."""
    return live.sort_rows(live.liveness_rows(user, form.liveness_filters()), form.cleaned_data.get("sort") or "")


@dataclass(frozen=True)
class PageRow:
    """A liveness row with its labels and badges resolved once (the template only prints)."""

    row: live.LivenessRow
    colour_label: str
    colour_badge: str
    point_badges: list


def page_rows(rows) -> list[PageRow]:
    grades = [(value, str(label), BADGES[RISK_LEVEL_COLOURS[value]]) for value, label in RiskLevel.choices]
    return [PageRow(row=row, colour_label=str(COLOUR_LABELS.get(row.colour, "")),
                    colour_badge=BADGES.get(row.colour, ""),
                    point_badges=[(row.points[value], label, badge) for value, label, badge in grades
                                  if row.points.get(value)]) for row in rows]


def _sort_links(query: QueryDict, current: str) -> dict:
    links = {}
    for key in live.SORTS:
        params = query.copy()
        params["sort"] = f"-{key}" if current == key else key
        arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
        links[key] = {"url": f"?{params.urlencode()}", "arrow": arrow, "label": SORT_LABELS[key]}
    return links


@login_required
@require_GET
def liveness(request):
    """双重预防运行情况: the table with its filters, sort and pages; the inactive ones flagged with why, each
    linking to the enterprise's ledger page and to a new inspection of it."""
    _require(request.user, VIEW_LIVENESS)
    form = liveness_form(request.GET, request)
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    if form.is_valid():
        current_sort = form.cleaned_data.get("sort") or ""
        page = live.liveness_page(request.user, form.liveness_filters(), current_sort, request.GET.get("page"),
                                  PAGE_SIZE)
    else:
        current_sort, page = "", Paginator([], PAGE_SIZE).get_page(1)
    return render(request, "risks/bureau/liveness.html", {
        "form": form, "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
        "querystring": query.urlencode(), "sort_links": _sort_links(sort_query, current_sort),
        "rows": page_rows(page.object_list), "policy": live.policy(), "window_days": live.WINDOW_DAYS,
        "can_inspect": request.user.has_perm("inspections.add_inspection"),
    }, status=200 if form.is_valid() else 400)


@login_required
@require_GET
def liveness_export(request):
    """Excel of exactly the filtered rows in the page's order; invalid filters send the user back."""
    _require(request.user, VIEW_LIVENESS)
    form = liveness_form(request.GET, request)
    if not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('risks:liveness')}?{request.GET.urlencode()}")
    content, filename = export_liveness(actor=request.user, rows=liveness_rows(request.user, form),
                                        filters=request.GET.dict())
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX)


def _stacked(rows: list[dict]) -> dict:
    """A stacked chart of counts by grade (core's charts.js, red/orange/yellow/blue)."""
    return {"categories": [row["name"] for row in rows],
            "series": [{"name": str(label), "data": [row[value] for row in rows],
                        "color": COLOUR_HEX[RISK_LEVEL_COLOURS[value]]} for value, label in RiskLevel.choices]}


@login_required
@require_GET
def statistics(request):
    """风险点统计: active risk points by grade × township and × industry, enterprises by their highest grade."""
    _require(request.user, VIEW_LIVENESS)
    form = AreaFilterForm(request.GET, request=request)
    valid = form.is_valid()
    context = {"form": form, "grades": [(value, label, BADGES[RISK_LEVEL_COLOURS[value]])
                                        for value, label in RiskLevel.choices]}
    if valid:
        stats = risk_statistics(request.user, form.statistics_filters())
        labels = dict(RiskLevel.choices)
        context.update(stats=stats, by_township_chart=_stacked(stats["by_township"]),
                       by_industry_chart=_stacked(stats["by_industry"]),
                       highest_chart=[{"label": str(labels[grade]), "count": stats["enterprises_by_highest"][grade]}
                                      for grade in GRADES])
    return render(request, "risks/bureau/statistics.html", context, status=200 if valid else 400)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_score(request, pk):
    """An enterprise's 100-point assessment: its current colour, the history, and (for the bureau) the form
    that records a new one."""
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user).select_related("township"), pk=pk)
    _require(request.user, VIEW_LIVENESS)
    can_record = request.user.has_perm(RECORD_SCORE)
    form = RiskScoreForm(request.POST or None)
    if request.method == "POST":
        _require(request.user, RECORD_SCORE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_score(actor=request.user, enterprise=enterprise, score=data["score"],
                             direct_red_reasons=form.direct_red_reasons(), assessed_on=data["assessed_on"],
                             assessor=data["assessor"])
            except ValidationError as exc:
                core_actions.apply_errors(form, exc)
            else:
                messages.success(request, _("The assessment is recorded."))
                return redirect("risks:enterprise-score", pk=enterprise.pk)
    history = list(EnterpriseRiskScore.objects.visible_to(request.user).filter(enterprise=enterprise)
                   .select_related("recorded_by")[:HISTORY_ROWS])
    conditions = dict(DIRECT_RED_CONDITIONS)
    return render(request, "risks/bureau/score.html", {
        "enterprise": enterprise, "form": form, "can_record": can_record,
        "history": [(record, [conditions.get(code, code) for code in record.direct_red_reasons]) for record in history],
        "colour_labels": COLOUR_LABELS, "badges": BADGES,
    }, status=400 if request.method == "POST" else 200)
