"""Pages: the warnings list, entering one, its page with the acknowledgement board and the acts offered now,
the checklist page a unit ticks on a phone, and the seasons page (today's status, seasons, fire-danger
readings and the editable tables)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.views import ScopedDetailView, ScopedListView

from . import actions, forms, selectors, services
from .filters import WarningFilter
from .models import EarlyWarning, FireDangerLevel, FireDangerReading, MeasureTemplate, Season
from .permissions import ACKNOWLEDGE, EDIT_TABLES, ISSUE, MANAGE_SEASONS, VIEW

#: Acts shown as forms on the warning's page (ticking has its own page).
PAGE_ACTS = ("acknowledge", "adjust", "lift")


class WarningListView(ScopedListView):
    model = EarlyWarning
    template_name = "warnings/list.html"
    filterset_class = WarningFilter
    default_ordering = "-issued_at"

    def scoped_queryset(self, qs):
        return selectors.with_counts(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_issue"] = self.request.user.has_perm(ISSUE)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def warning_create(request):
    """Enter a warning received from the meteorological bureau or issued by hand."""
    if not request.user.has_perm(ISSUE):
        raise PermissionDenied
    form = forms.IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            warning = services.issue_warning(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The warning is entered and the units notified."))
            return redirect("warnings:detail", pk=warning.pk)
    return render(request, "warnings/create.html", {"form": form}, status=400 if form.errors else 200)


def warning_page(request, warning: EarlyWarning, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The warning: level, colour and basis, the acknowledgement board (who has answered and when, who has
    not, elapsed minutes), each unit's checklist progress, and a form for each act offered now."""
    available = actions.WARNING.available(request.user, warning)
    action_forms = []
    for name in PAGE_ACTS:
        if name not in available:
            continue
        act = actions.WARNING.actions[name]
        form = state.form if state.form is not None and state.action == name else core_actions.unbound(
            act, request, warning)
        if name == "acknowledge" and not form.fields["unit"].queryset.exists():
            continue
        action_forms.append({"action": name, "title": act.title, "button": act.button, "form": form,
                             "url": reverse(f"warnings:{name}", kwargs={"pk": warning.pk}),
                             "open": state.action == name})
    units = selectors.board(warning)
    pending = [u for u in units if u.acknowledged_at is None]
    return "warnings/detail.html", {
        "warning": warning, "units": units, "pending": pending, "acknowledged": len(units) - len(pending),
        "action_forms": action_forms, "refusal": state.refusal, "timeline": timeline(warning),
        "can_tick": "tick" in available and request.user.has_perm(ACKNOWLEDGE),
    }


class WarningDetailView(ScopedDetailView):
    model = EarlyWarning
    template_name = "warnings/detail.html"
    context_object_name = "warning"

    def scoped_queryset(self, qs):
        return selectors.warning_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(warning_page(self.request, self.object)[1])
        return context


def checklist_page(request, warning: EarlyWarning, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The measures of the units the user answers for (every unit for the bureau), to tick one by one."""
    if request.user.has_perm(ISSUE):
        units = warning.units.select_related("township", "department")
    else:
        units = selectors.own_units(request.user, warning)
    units = list(units.prefetch_related("items"))
    return "warnings/checklist.html", {
        "warning": warning, "units": units, "refusal": state.refusal,
        "in_force": warning.is_active and request.user.has_perm(ACKNOWLEDGE),
        "errors": state.form.errors if state.form is not None else None,
    }


@login_required
@require_GET
def checklist(request, pk):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    warning = get_object_or_404(selectors.warning_detail(request.user), pk=pk)
    template, context = checklist_page(request, warning)
    return render(request, template, context)


def _tables_context(request) -> dict:
    return {"levels": FireDangerLevel.objects.order_by("level"),
            "templates": MeasureTemplate.objects.order_by("level", "article", "position", "id"),
            "can_edit_tables": request.user.has_perm(EDIT_TABLES)}


@login_required
@require_http_methods(["GET", "POST"])
def seasons(request):
    """Today's status, the seasons by year, the fire-danger readings; the bureau adds seasons and readings."""
    can_manage = request.user.has_perm(MANAGE_SEASONS)
    season_form = forms.SeasonForm(prefix="season")
    reading_form = forms.FireDangerForm(prefix="reading")
    status_code = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "season-kind" in request.POST:
            season_form = forms.SeasonForm(request.POST, prefix="season")
            form, save = season_form, lambda data: services.save_season(actor=request.user, **data)
        else:
            reading_form = forms.FireDangerForm(request.POST, prefix="reading")
            form, save = reading_form, lambda data: services.record_fire_danger(actor=request.user, **data)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as exc:
                core_actions.apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("warnings:seasons")
        status_code = 400
    return render(request, "warnings/seasons.html", {
        "status": selectors.current_status(), "seasons": Season.objects.order_by("-year", "kind")[:40],
        "readings": FireDangerReading.objects.select_related("recorded_by").order_by("-day")[:30],
        "season_form": season_form, "reading_form": reading_form, "can_manage": can_manage,
        **_tables_context(request)}, status=status_code)


@login_required
@require_http_methods(["GET", "POST"])
def season_edit(request, pk):
    """Correct a season's dates (a later notice moved them), audited."""
    if not request.user.has_perm(MANAGE_SEASONS):
        raise PermissionDenied
    season = get_object_or_404(Season, pk=pk)
    initial = {"kind": season.kind, "year": season.year, "starts_on": season.starts_on, "ends_on": season.ends_on,
               "notice": season.notice}
    form = forms.SeasonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_season(actor=request.user, season=season, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("warnings:seasons")
    return render(request, "warnings/edit.html", {"form": form, "title": str(season)},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def fire_danger_level(request, pk):
    """Edit a row of the fire-danger scale (name, action, warning colour)."""
    if not request.user.has_perm(EDIT_TABLES):
        raise PermissionDenied
    row = get_object_or_404(FireDangerLevel, pk=pk)
    form = forms.FireDangerLevelForm(request.POST or None,
                                     initial={"name": row.name, "action": row.action, "colour": row.colour})
    if request.method == "POST" and form.is_valid():
        services.update_fire_danger_level(actor=request.user, row=row, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("warnings:seasons")
    return render(request, "warnings/edit.html", {"form": form, "title": str(row)},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def measure_template(request, pk=None):
    """Add a measure to a level's checklist, or edit one (the next warnings of that level use it)."""
    if not request.user.has_perm(EDIT_TABLES):
        raise PermissionDenied
    template = get_object_or_404(MeasureTemplate, pk=pk) if pk else None
    initial = ({"level": template.level, "article": template.article, "text": template.text,
                "active": template.active} if template else None)
    form = forms.MeasureTemplateForm(request.POST or None, initial=initial)
    if template:
        form.fields["level"].disabled = form.fields["article"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.save_measure_template(actor=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("warnings:seasons")
    return render(request, "warnings/edit.html", {"form": form, "title": _("Measure of the checklist")},
                  status=400 if form.errors else 200)
