"""Pages of the person on site and of the response's tasks:

- ``/incidents/<pk>/site/``: the phone view (built for 390×844) — the situation (grade, casualties, clocks,
  tasks), and forms to update the situation, add photos and report the position; the acts are the incident's
  own (shouye.incidents.actions), answered here so that the person stays on this page;
- ``/incidents/tasks/`` and ``/incidents/tasks/<pk>/``: the tasks a user sees, one task with its acts
  (acknowledge, report done) for the unit it was given to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.views import ScopedListView

from . import actions, selectors
from .filters import TaskFilter
from .masking import contact_phone_for
from .models import Incident, IncidentTask
from .workflow import COMMAND, ON_SITE, RECORD, VIEW

#: The acts the phone view offers, in the order it shows them.
SITE_ACTS = ("situation", "photos", "position")


def _may_use_site(user) -> bool:
    return any(user.has_perm(perm) for perm in (ON_SITE, RECORD, COMMAND))


def _forms(request, action_set, obj, names, state: PageState, url_prefix) -> list[dict]:
    """A form for each of ``names`` offered to the user on ``obj`` now (the refused one bound, with its
    errors)."""
    available = action_set.available(request.user, obj)
    result = []
    for name in names:
        if name not in available:
            continue
        act = action_set.actions[name]
        bound = state.form is not None and state.action == name
        result.append({"action": name, "title": act.title, "button": act.button,
                       "form": state.form if bound else core_actions.unbound(act, request, obj),
                       "url": reverse(f"{url_prefix}{name}", kwargs={"pk": obj.pk}), "open": bound,
                       "multipart": act.multipart})
    return result


def site_page(request, incident: Incident, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    if not _may_use_site(request.user):
        raise PermissionDenied
    return "incidents/site.html", {
        "incident": incident, "clocks": list(incident.clocks.all()), "tasks": list(incident.tasks.all()),
        "photos": list(incident.photos.all())[-6:], "now": timezone.now(),
        "contact_phone": contact_phone_for(request.user, incident.contact_phone),
        "action_forms": _forms(request, actions.INCIDENT, incident, SITE_ACTS, state, "incidents:site-"),
        "refusal": state.refusal,
    }


@login_required
@require_GET
def incident_site(request, pk):
    """The phone view of one incident, for those who act on it from the site."""
    incident = get_object_or_404(selectors.incident_detail(request.user), pk=pk)
    template, context = site_page(request, incident)
    return TemplateResponse(request, template, context)


@login_required
@require_POST
def incident_site_act(request, pk, name):
    """One of the phone view's acts: the incident's own action, back to the phone view after it succeeds."""
    response = core_actions.handle(request, actions.INCIDENT, pk, name, page=site_page)
    if response.status_code == 302:
        return redirect("incidents:site", pk=pk)
    return response


class TaskListView(ScopedListView):
    """The tasks the user sees; a township or department officer's own first filtered with ``mine=true``."""

    model = IncidentTask
    permission_required = VIEW
    template_name = "incidents/task_list.html"
    filterset_class = TaskFilter
    ordering_options = {"due": "due_at"}
    default_ordering = "due_at"

    def scoped_queryset(self, qs):
        return qs.select_related("incident", "township", "department")


def task_page(request, task: IncidentTask, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    return "incidents/task_detail.html", {
        "task": task, "refusal": state.refusal,
        "action_forms": _forms(request, actions.TASK, task, tuple(actions.TASK.actions), state, "incidents:task-"),
    }


@login_required
@require_GET
def task_detail(request, pk):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    task = get_object_or_404(selectors.tasks(request.user), pk=pk)
    template, context = task_page(request, task)
    return TemplateResponse(request, template, context)


@login_required
@require_POST
def task_act(request, pk, name):
    return core_actions.handle(request, actions.TASK, pk, name, page=task_page)
