"""Hazard pages: the ledger (台账) with its Excel export, a hazard's page with the actions its user may take
now, reporting, the public tip-off form and the triage of tip-offs.

Thin (ARCHITECTURE.md §4): every object comes from a scoped selector (404 outside the user's scope), the
input from a form, and every act from one service call. The services' refusals come back as the API gives
them: a refused transition (409) is shown with the current state and what is possible now, and nothing
changes; a refused input (400) is shown on the form; a missing permission is 403."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.filters import filtered
from shouye.core.jobs.views import JobKind, job_views, own_job
from shouye.core.request_context import client_ip
from shouye.core.views import ScopedDetailView, ScopedListView
from shouye.enterprises.models import Enterprise

from . import actions, exports, forms, selectors, services, workflow
from .choices import HazardLevel, HazardSource, HazardState, PhotoKind, TipOffState
from .filters import HazardFilter, overdue_q
from .models import GovernancePlan, Hazard

VIEW = "hazards.view_hazard"
EXPORT = "hazards.export_hazard"
VIEW_TIPOFF = "hazards.view_tipoff"
TIPOFF_PAGE_SIZE = 20


# --- the ledger -----------------------------------------------------------------------------------------


class HazardLedgerView(ScopedListView):
    """The hazard ledger: the shared HazardFilter (the API and the export use it too), sort, pagination, and
    counts of the filtered rows by state."""

    model = Hazard
    filterset_class = HazardFilter
    template_name = "hazards/list.html"
    ordering_options = exports.SORTS

    def get_queryset(self):
        queryset = selectors.ledger_rows(self.request.user)
        self.filterset = HazardFilter(self.request.GET or None, queryset=queryset, request=self.request)
        queryset = filtered(self.filterset)
        sort = self.request.GET.get("sort", "")
        self.current_sort = sort if sort.lstrip("-") in exports.SORTS else ""
        self.filtered = queryset
        return exports.sort_ledger(queryset, self.current_sort)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(_ledger_counts(self.filtered), today=today, rows=ledger_page_rows(context["object_list"], today),
                       enterprise_filter=_enterprise_filter(self.request),
                       sort_links=_sort_links(context["querystring"], self.current_sort),
                       sync_max_rows=exports.sync_max_rows())
        return context


@dataclass(frozen=True)
class LedgerRow:
    """One hazard as a ledger row shows it (cards on a phone, a table on a desk), its labels and dates
    formatted once in Python: through the template's filters they cost about a millisecond a row."""

    pk: int
    url: str
    description: str
    enterprise: str
    township: str
    major: bool
    level: str
    state: str
    source: str
    found: str
    deadline: str
    overdue: bool


_ROW_LABELS = {"level": HazardLevel.choices, "state": HazardState.choices, "source": HazardSource.choices}


def ledger_page_rows(hazards, today) -> list[LedgerRow]:
    labels = {name: {value: str(label) for value, label in choices} for name, choices in _ROW_LABELS.items()}
    return [
        LedgerRow(pk=h.pk, url=reverse("hazards:detail", args=[h.pk]), description=h.description,
                  enterprise=h.enterprise.name, township=h.township.name, major=h.level == HazardLevel.MAJOR,
                  level=labels["level"].get(h.level, h.level), state=labels["state"].get(h.state, h.state),
                  source=labels["source"].get(h.source, h.source),
                  found=timezone.localtime(h.found_at).strftime("%Y-%m-%d"),
                  deadline=h.deadline.isoformat() if h.deadline else "", overdue=h.is_overdue(today))
        for h in hazards
    ]


def _ledger_counts(queryset) -> dict:
    """The filtered rows counted by state and overdue, in one aggregate query. It counts ``state`` (never
    empty) rather than ``id``: state and deadline are in the ledger's indexes, so PostgreSQL reads the counts
    of a township or an industry from the index alone instead of visiting every row."""
    today = timezone.localdate()
    counts = queryset.order_by().aggregate(
        total=Count("state"), overdue=Count("state", filter=overdue_q(today)),
        **{state: Count("state", filter=Q(state=state)) for state in HazardState.values})
    by_state = [(value, label, counts[value]) for value, label in HazardState.choices]
    return {"counts": counts, "state_counts": by_state}


def _enterprise_filter(request):
    """The enterprise the ledger is filtered to (for its name on the page), if the user sees it."""
    value = request.GET.get("enterprise", "")
    if not value.isdigit():
        return None
    return Enterprise.objects.visible_to(request.user).only("pk", "name").filter(pk=int(value)).first()


SORT_LABELS = {"found": gettext_lazy("Found"), "enterprise": gettext_lazy("Enterprise"),
               "township": gettext_lazy("Township"), "level": gettext_lazy("Level"),
               "state": gettext_lazy("State"), "deadline": gettext_lazy("Deadline")}


def _sort_links(querystring: str, current: str) -> dict:
    """For each sortable column: the link that sorts by it (ascending, or descending when it already sorts
    ascending) and an arrow showing the current order."""
    links = {}
    for key in exports.SORTS:
        query = QueryDict(querystring, mutable=True)
        query["sort"] = f"-{key}" if current == key else key
        arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
        links[key] = {"url": f"?{query.urlencode()}", "arrow": arrow, "label": SORT_LABELS[key]}
    return links


def _filtered_ledger(request):
    """The ledger rows the page's filters select, or the filter errors."""
    try:
        return selectors.ledger_rows(request.user, request.GET or None), None
    except ValidationError as exc:
        return None, exc


@login_required
@require_GET
def ledger_export(request):
    """Excel of exactly the filtered rows, in the ledger's order. Up to SHOUYE_LEDGER_SYNC_MAX_ROWS rows it is
    written in the request and streamed; a larger ledger is exported in the background with a progress
    bar (the job page)."""
    if not (request.user.has_perm(VIEW) and request.user.has_perm(EXPORT)):
        raise PermissionDenied
    queryset, errors = _filtered_ledger(request)
    if errors is not None:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('hazards:list')}?{request.GET.urlencode()}")
    total = queryset.order_by().count()
    if total > exports.sync_max_rows():
        job = exports.start_ledger_export(actor=request.user, filters=request.GET, total_rows=total)
        return redirect("hazards:export-job", pk=job.pk)
    output, filename = exports.export_ledger(actor=request.user, queryset=exports.sort_ledger(
        queryset, request.GET.get("sort", "")), filters=request.GET)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE)


EXPORT_JOBS = JobKind(
    name="export", permission=EXPORT, jobs_of=exports.exports_of, page_template="hazards/export_job.html",
    status_template="hazards/export_status.html", status_url="hazards:export-job-progress",
    details=lambda job: {"filename": job.filename,
                         "file_url": reverse("hazards:export-job-file", args=[job.pk]) if job.file else None},
)
export_job, export_job_progress, export_job_progress_json = job_views(EXPORT_JOBS)


def _own_export(request, pk):
    return own_job(request, pk, EXPORT_JOBS)


@login_required
@require_GET
def export_job_file(request, pk):
    job = _own_export(request, pk)
    if not job.file:
        raise Http404
    filename = job.filename or exports.ledger_filename(job_id=job.pk)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=filename,
                        content_type=exports.XLSX_CONTENT_TYPE)


# --- one hazard --------------------------------------------------------------------------------------------


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
    return "hazards/detail.html", {
        "hazard": hazard,
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


# --- tip-offs ----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def tip_off(request):
    """The public tip-off form (举报): no sign-in, one optional photo, rate-limited per address by the service
    (SHOUYE_TIPOFF_RATE_PER_HOUR)."""
    form = forms.TipOffForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "photo"}
        try:
            received = services.submit_tip_off(data=data, photo=form.cleaned_data["photo"],
                                               ip_address=client_ip(request))
        except services.TooManyTipOffs as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            request.session["tip_off_receipt"] = {"number": received.pk,
                                                  "at": timezone.localtime(received.created_at).isoformat()}
            return redirect("tip-off:thanks")
    if form.errors and status == 200:
        status = 400
    return render(request, "hazards/tip_off.html", {"form": form}, status=status)


@require_GET
def tip_off_thanks(request):
    receipt = request.session.get("tip_off_receipt")
    return render(request, "hazards/tip_off_thanks.html", {"receipt": receipt})


@login_required
@require_GET
def tip_off_list(request):
    """Tip-offs in the user's scope, newest first; new ones wait for triage."""
    if not request.user.has_perm(VIEW_TIPOFF):
        raise PermissionDenied
    queryset = selectors.tip_offs(request.user).order_by("-id")
    state = request.GET.get("state", TipOffState.NEW)
    if state in TipOffState.values:
        queryset = queryset.filter(state=state)
    page = Paginator(queryset, TIPOFF_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.tip_offs(request.user).order_by().aggregate(
        **{value: Count("id", filter=Q(state=value)) for value in TipOffState.values})
    return render(request, "hazards/tip_offs.html", {
        "page_obj": page, "is_paginated": page.has_other_pages(), "paginator": page.paginator,
        "querystring": f"state={state}", "state": state,
        "states": [(value, label, counts[value]) for value, label in TipOffState.choices],
    })


def tip_off_page(request, item, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """One tip-off and, while it is new and the user may triage, the form that turns it into a hazard or
    dismisses it."""
    act = actions.TIPOFF.actions["triage"]
    form = state.form if state.form is not None else core_actions.unbound(act, request, item)
    may_triage = "triage" in actions.TIPOFF.available(request.user, item)
    return "hazards/tip_off_detail.html", {"tip_off": item, "form": form, "may_triage": may_triage,
                                           "refusal": state.refusal}


@login_required
@require_http_methods(["GET", "POST"])
def tip_off_detail(request, pk):
    """GET shows the tip-off; POST triages it (the action layer's checks and answers)."""
    if not request.user.has_perm(VIEW_TIPOFF):
        raise PermissionDenied
    if request.method == "POST":
        return core_actions.handle(request, actions.TIPOFF, pk, "triage", page=tip_off_page)
    item = get_object_or_404(selectors.tip_offs(request.user), pk=pk)
    return render(request, *tip_off_page(request, item))
