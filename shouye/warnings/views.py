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
PAGE_ACTS = ("acknowledge", "enterprise-acknowledge", "adjust", "lift")
#: Notified enterprises the page lists (the counts cover them all).
ENTERPRISE_ROWS = 200


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
    not, elapsed minutes), each unit's checklist progress, the notified enterprises the user sees with their
    own acknowledgements, and a form for each act offered now."""
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
        if name == "enterprise-acknowledge" and not selectors.pending_enterprise_acknowledgements(
                request.user).filter(warning=warning).exists():
            continue
        action_forms.append({"action": name, "title": act.title, "button": act.button, "form": form,
                             "url": reverse(f"warnings:{name}", kwargs={"pk": warning.pk}),
                             "open": state.action == name})
    units = selectors.board(warning)
    pending = [u for u in units if u.acknowledged_at is None]
    return "warnings/detail.html", {
        "warning": warning, "units": units, "pending": pending, "acknowledged": len(units) - len(pending),
        "enterprises": selectors.enterprise_board(request.user, warning)[:ENTERPRISE_ROWS],
        "enterprise_counts": selectors.enterprise_counts(request.user, warning),
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


@login_required
@require_http_methods(["GET", "POST"])
def seasons(request):
    """Today's status, the seasons by year, the fire-danger readings and scale. The bureau records a season
    (a second one of the same kind and year corrects its dates) and the day's level; its administrator edits
    the scale's row of a level."""
    can_manage, can_edit = request.user.has_perm(MANAGE_SEASONS), request.user.has_perm(EDIT_TABLES)
    bound = {"season": forms.SeasonForm(prefix="season"), "reading": forms.FireDangerForm(prefix="reading"),
             "scale": forms.FireDangerLevelForm(prefix="scale")}
    status_code = 200
    if request.method == "POST":
        which = next((key for key in bound if f"{key}-submit" in request.POST), "")
        allowed = {"season": can_manage, "reading": can_manage, "scale": can_edit}
        if not allowed.get(which):
            raise PermissionDenied
        form = type(bound[which])(request.POST, prefix=which)
        bound[which] = form
        save = {"season": services.save_season, "reading": services.record_fire_danger,
                "scale": services.update_fire_danger_level}[which]
        if form.is_valid():
            try:
                save(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                core_actions.apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("warnings:seasons")
        status_code = 400
    return render(request, "warnings/seasons.html", {
        "status": selectors.current_status(), "seasons": Season.objects.order_by("-year", "kind")[:40],
        "readings": FireDangerReading.objects.select_related("recorded_by").order_by("-day")[:30],
        "levels": FireDangerLevel.objects.order_by("level"), "season_form": bound["season"],
        "reading_form": bound["reading"], "scale_form": bound["scale"], "can_manage": can_manage,
        "can_edit_tables": can_edit}, status=status_code)


@login_required
@require_http_methods(["GET", "POST"])
def measures(request):
    """The checklist measures of each level (seeded from Art. 66 and 67); the administrator adds a measure or
    edits one — the next warnings of that level use them."""
    if not request.user.has_perm(EDIT_TABLES):
        raise PermissionDenied
    form = forms.MeasureTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_measure_template(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("warnings:measures")
    return render(request, "warnings/measures.html", {
        "form": form, "templates": MeasureTemplate.objects.order_by("level", "article", "position", "id")},
        status=400 if form.errors else 200)
