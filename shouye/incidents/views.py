"""Pages of the incidents: the list (active or closed), the intake form (usable on a phone), and the incident's
page with its clocks (countdown, overdue in red), the acts offered now and the timeline (newest first, paged)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.downloads import download
from shouye.core.views import ScopedDetailView, ScopedListView

from . import actions, documents, forms, response_views, selectors, services
from .choices import ReportKind
from .filters import IncidentFilter
from .masking import contact_phone_for
from .models import Incident
from .workflow import RECORD


class IncidentListView(ScopedListView):
    model = Incident
    template_name = "incidents/list.html"
    filterset_class = IncidentFilter
    ordering_options = {"occurred": "occurred_at", "grade": "grade"}
    default_ordering = "-occurred_at"

    def scoped_queryset(self, qs):
        return qs.select_related("township", "enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm(RECORD)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    """Take an incident: Art. 29's contents; the rules grade it and start its clocks as it is saved."""
    if not request.user.has_perm(RECORD):
        raise PermissionDenied
    form = forms.IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.report_incident(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The incident is recorded as %(grade)s.") % {
                "grade": incident.get_grade_display()})
            return redirect("incidents:detail", pk=incident.pk)
    return render(request, "incidents/form.html", {"form": form}, status=400 if form.errors else 200)


def _before(request) -> int | None:
    value = request.GET.get("before", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise Http404
    return int(value)


def incident_page(request, incident: Incident, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The incident, its clocks, a form for each act offered now and the newest timeline entries."""
    available = actions.INCIDENT.available(request.user, incident)
    action_forms = []
    for name, act in actions.INCIDENT.actions.items():
        if name not in available:
            continue
        is_bound = state.form is not None and state.action == name
        action_forms.append({"action": name, "title": act.title, "button": act.button,
                             "form": state.form if is_bound else core_actions.unbound(act, request, incident),
                             "url": reverse(f"incidents:{name}", kwargs={"pk": incident.pk}), "open": is_bound,
                             "multipart": act.multipart})
    entries = selectors.timeline(incident, before=_before(request))
    return "incidents/detail.html", {
        "incident": incident, "clocks": list(incident.clocks.all()), "now": timezone.now(),
        "tasks": list(incident.tasks.all()), "photos": list(incident.photos.all()),
        "contact_phone": contact_phone_for(request.user, incident.contact_phone),
        "action_forms": action_forms, "refusal": state.refusal, "entries": entries,
        "older": entries[-1].pk if len(entries) == selectors.TIMELINE_PAGE else None,
        "report_kinds": ReportKind.choices,
        **response_views.panel(request, incident, state),
    }


class IncidentDetailView(ScopedDetailView):
    model = Incident
    template_name = "incidents/detail.html"

    def scoped_queryset(self, qs):
        return selectors.incident_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(incident_page(self.request, self.object)[1])
        return context


#: The incident report's formats: how it is rendered and sent.
FORMATS = {
    "pdf": (documents.render_pdf, "application/pdf"),
    "docx": (documents.render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@login_required
@require_http_methods(["GET"])
def incident_report(request, pk, fmt):
    """The incident report (快报/续报/终报 in ``?kind=``, default 快报) generated from the timeline as PDF or
    Word, for those who send reports."""
    incident = get_object_or_404(selectors.incident_detail(request.user), pk=pk)
    if not request.user.has_perm(RECORD):
        raise PermissionDenied
    kind = request.GET.get("kind", ReportKind.FIRST)
    if kind not in ReportKind.values:
        kind = ReportKind.FIRST
    render_document, content_type = FORMATS[fmt]
    name = f"{incident.title}-{ReportKind(kind).label}.{fmt}"
    return download(render_document(incident, kind), name, content_type=content_type)
