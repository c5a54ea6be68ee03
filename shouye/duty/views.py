"""Pages of the duty area: who is on duty now, the rosters (list, create, page with its acts, Excel, print),
the swaps, the duty log, the handovers and the bureau's duty setup. Every page shows the duty phone
(``duty/_header.html``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.downloads import download
from shouye.core.filters import filtered, status_for
from shouye.core.views import ScopedDetailView, ScopedListView
from shouye.rules.identifiers import mask_phone

from . import actions, exports, forms, selectors, services
from .filters import LogEntryFilter, RosterFilter, SwapFilter
from .models import Roster
from .permissions import EXPORT, KEEP_LOG, MANAGE, PHONES, SETUP, VIEW, VIEW_LOG, VIEW_SWAP


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def phone_for(user, phone: str) -> str:
    """The duty room needs the phones in clear; other roles see them masked."""
    return phone if user.has_perm(PHONES) else mask_phone(phone)


def _action_forms(request, action_set, obj, state: PageState, skip=()) -> list[dict]:
    rows = []
    for name in action_set.available(request.user, obj):
        if name in skip:
            continue
        act = action_set.actions[name]
        bound = state.form is not None and state.action == name
        rows.append({"action": name, "title": act.title, "button": act.button,
                     "form": state.form if bound else core_actions.unbound(act, request, obj),
                     "url": reverse(f"duty:{name}", kwargs={"pk": obj.pk}), "open": bound})
    return rows


def _paged(request, queryset, per_page: int = 30):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page, "object_list": page.object_list, "paginator": page.paginator,
            "is_paginated": page.has_other_pages(), "querystring": query.urlencode()}


@login_required
@require_GET
def now(request):
    """当前值班: the current shift of every unit the user sees (the bureau, each township, each key enterprise)
    with the phones as the user may see them, and the townships and key enterprises that have not filed this
    month's roster."""
    _require(request, VIEW)
    day = selectors.current_shift_day()
    data = selectors.board(request.user, day)
    for unit in data["units"]:
        unit["people"] = [(row, phone_for(request.user, row.phone)) for row in unit["people"]]
    return render(request, "duty/now.html", {"day": day, **data, "setup": selectors.setup()})


class RosterListView(ScopedListView):
    model = Roster
    template_name = "duty/rosters.html"
    filterset_class = RosterFilter
    default_ordering = "-year"

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "-month", "unit_kind", "id")

    def scoped_queryset(self, qs):
        return qs.select_related("township", "enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm(MANAGE) and bool(forms.unit_choices(self.request.user))
        context["setup"] = selectors.setup()
        return context


@login_required
@require_http_methods(["GET", "POST"])
def roster_create(request):
    """A draft roster of one's own unit for a month."""
    _require(request, MANAGE)
    form = forms.RosterCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            roster = services.create_roster(actor=request.user, **form.service_arguments())
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The roster is created."))
            return redirect("duty:roster", pk=roster.pk)
    return render(request, "duty/roster_create.html", {"form": form, "setup": selectors.setup()},
                  status=400 if form.errors else 200)


def _grid(request, roster: Roster) -> list[dict]:
    """The month day by day: the day's mark (holiday, eve, day after) and its people by position."""
    try:
        marks = services.day_marks(roster)
    except ValidationError:
        marks = {}
    by_day: dict = {}
    for row in roster.assignments.all():
        by_day.setdefault(row.day, []).append((row, phone_for(request.user, row.phone)))
    return [{"day": day, "mark": marks.get(day, ""), "people": by_day.get(day, [])}
            for day in selectors.month_days(roster.year, roster.month)]


def roster_page(request, roster: Roster, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    try:
        found = services.problems(roster, list(roster.assignments.all())) if roster.state == "draft" else []
    except ValidationError as exc:
        found = exc.messages
    return "duty/roster.html", {
        "roster": roster, "grid": _grid(request, roster), "problems": found[:30],
        "action_forms": _action_forms(request, actions.ROSTER_ACTIONS, roster, state,
                                      skip=("remove-assignment",)),
        "can_remove": "remove-assignment" in actions.ROSTER_ACTIONS.available(request.user, roster),
        "can_export": request.user.has_perm(EXPORT), "refusal": state.refusal, "timeline": timeline(roster),
        "setup": selectors.setup()}


class RosterDetailView(ScopedDetailView):
    model = Roster
    template_name = "duty/roster.html"

    def get_queryset(self):
        return selectors.roster_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(roster_page(self.request, self.object)[1])
        return context


@login_required
@require_GET
def roster_export(request, pk):
    """The month's roster as Excel (core xlsx writer); phones as the user may see them."""
    _require(request, VIEW)
    _require(request, EXPORT)
    roster = get_object_or_404(selectors.roster_detail(request.user), pk=pk)
    content, filename = exports.roster_workbook(roster, clear_phones=request.user.has_perm(PHONES))
    return download(content, filename, content_type=exports.XLSX_CONTENT_TYPE)


@login_required
@require_GET
def roster_print(request, pk):
    """A printable page of the month's roster (A4, no navigation)."""
    _require(request, VIEW)
    roster = get_object_or_404(selectors.roster_detail(request.user), pk=pk)
    return render(request, "duty/roster_print.html", {"roster": roster, "grid": _grid(request, roster),
                                                      "positions": selectors.positions()})


@login_required
@require_GET
def swaps(request):
    _require(request, VIEW_SWAP)
    filterset = SwapFilter(request.GET or None, queryset=selectors.swaps(request.user), request=request)
    context = _paged(request, filtered(filterset))
    context.update(filterset=filterset, setup=selectors.setup())
    return render(request, "duty/swaps.html", context, status=status_for(filterset))


def swap_page(request, swap, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    return "duty/swap.html", {
        "swap": swap, "refusal": state.refusal, "timeline": timeline(swap), "setup": selectors.setup(),
        "action_forms": _action_forms(request, actions.SWAP_ACTIONS, swap, state)}


@login_required
@require_GET
def swap(request, pk):
    _require(request, VIEW_SWAP)
    obj = get_object_or_404(selectors.swaps(request.user), pk=pk)
    template, context = swap_page(request, obj)
    return render(request, template, context)


@login_required
@require_GET
def log(request):
    """The duty log, newest first, filtered by kind, state and shift."""
    _require(request, VIEW_LOG)
    filterset = LogEntryFilter(request.GET or None, queryset=selectors.log_entries(request.user), request=request)
    context = _paged(request, filtered(filterset))
    context.update(filterset=filterset, setup=selectors.setup(), can_keep=request.user.has_perm(KEEP_LOG),
                   shift_day=selectors.current_shift_day(),
                   handovers=list(selectors.handovers(request.user)[:5]))
    return render(request, "duty/log.html", context, status=status_for(filterset))


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request):
    _require(request, KEEP_LOG)
    form = forms.EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.record_entry(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The entry is recorded."))
            return redirect("duty:entry", pk=entry.pk)
    return render(request, "duty/entry_create.html", {"form": form, "setup": selectors.setup()},
                  status=400 if form.errors else 200)


def entry_page(request, entry, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    chain = []
    node = entry
    while node.follows_id:
        node = node.follows
        chain.insert(0, node)
    return "duty/entry.html", {
        "entry": entry, "earlier": chain, "later": list(entry.follow_ups.all()), "refusal": state.refusal,
        "timeline": timeline(entry), "setup": selectors.setup(),
        "action_forms": _action_forms(request, actions.ENTRY_ACTIONS, entry, state)}


@login_required
@require_GET
def entry(request, pk):
    _require(request, VIEW_LOG)
    obj = get_object_or_404(selectors.log_entries(request.user), pk=pk)
    template, context = entry_page(request, obj)
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def handover_create(request):
    """Hand the shift over: every open entry is listed for the next shift."""
    _require(request, KEEP_LOG)
    form = forms.HandoverForm(request.POST or None, initial={"shift_day": selectors.current_shift_day()})
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.hand_over(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The shift is handed over."))
            return redirect("duty:handover", pk=handover.pk)
    return render(request, "duty/handover_create.html", {"form": form, "setup": selectors.setup()},
                  status=400 if form.errors else 200)


def handover_page(request, handover, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    return "duty/handover.html", {
        "handover": handover, "refusal": state.refusal, "timeline": timeline(handover), "setup": selectors.setup(),
        "action_forms": _action_forms(request, actions.HANDOVER_ACTIONS, handover, state)}


@login_required
@require_GET
def handover(request, pk):
    _require(request, VIEW_LOG)
    obj = get_object_or_404(selectors.handovers(request.user), pk=pk)
    template, context = handover_page(request, obj)
    return render(request, template, context)


# --- the bureau's duty setup --------------------------------------------------------------------------

SETUP_FORMS = {"settings": forms.SetupForm, "season": forms.SeasonForm, "leave": forms.LeaveForm,
               "rotation": forms.RotationForm}


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Positions and their numbers, the handover time and duty phone, seasons, leaves and the rotation; each
    form posts here with its ``form`` name (a position's is ``position-<code>``)."""
    _require(request, SETUP)
    data = selectors.setup_page_data()
    bound = request.POST.get("form") if request.method == "POST" else None
    page_forms = {}
    for name, form_class in SETUP_FORMS.items():
        instance = data["setup"] if name == "settings" else None
        page_forms[name] = form_class(request.POST if bound == name else None, instance=instance, prefix=name)
    for row in data["positions"]:
        name = f"position-{row.code}"
        row.form = page_forms[name] = forms.PositionForm(request.POST if bound == name else None, instance=row,
                                                         prefix=name)
    status = 200
    if bound in page_forms:
        form = page_forms[bound]
        if form.is_valid():
            services.save_setup_row(actor=request.user, form=form)
            messages.success(request, _("Saved."))
            return redirect("duty:setup")
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "duty/setup.html", {**data, "forms": page_forms}, status=status)
