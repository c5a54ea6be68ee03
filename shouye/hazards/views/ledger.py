"""The hazard ledger (台账) and its Excel export, in the request or as a background job."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from shouye.core.filters import filtered
from shouye.core.jobs.views import JobKind, job_views, own_job
from shouye.core.views import ScopedListView
from shouye.enterprises.models import Enterprise

from .. import exports, selectors
from ..choices import HazardLevel, HazardSource, HazardState, InvestigationType
from ..filters import HazardFilter, overdue_q
from ..models import Hazard
from ..workflow import EXPORT, VIEW


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


_ROW_LABELS = {"level": HazardLevel.choices, "state": HazardState.choices, "source": HazardSource.choices,
               "investigation_type": InvestigationType.choices}


def source_label(labels: dict, source: str, investigation_type: str) -> str:
    """The source as the ledger shows it, with the kind of investigation when there is one
    ("管控措施失效 · 日常排查")."""
    text = labels["source"].get(source, source)
    if investigation_type:
        text = f"{text} · {labels['investigation_type'].get(investigation_type, investigation_type)}"
    return text


def ledger_page_rows(hazards, today) -> list[LedgerRow]:
    labels = {name: {value: str(label) for value, label in choices} for name, choices in _ROW_LABELS.items()}
    return [
        LedgerRow(pk=h.pk, url=reverse("hazards:detail", args=[h.pk]), description=h.description,
                  enterprise=h.enterprise.name, township=h.township.name, major=h.level == HazardLevel.MAJOR,
                  level=labels["level"].get(h.level, h.level), state=labels["state"].get(h.state, h.state),
                  source=source_label(labels, h.source, h.investigation_type),
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
