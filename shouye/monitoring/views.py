"""The alarm pages: the list (filters shared with the API and the Excel export), the alarm's page (what, where,
the value or the snapshot, its repeats, handling, photos, timeline and the acts the user may take now), and
the enterprise's duty console (phone first: live alarms with sound, acknowledge and handle with the camera),
which polls its own small feed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.downloads import download
from shouye.core.filters import valid_filterset
from shouye.core.views import ScopedListView

from . import actions, exports, rulebook, selectors
from .choices import ACTIVE_STATES, AlarmState
from .filters import AlarmFilter
from .models import Alarm
from .workflow import HANDLE, VIEW

#: The console's feed reads a little before its cursor, so that an alarm whose transaction committed just after
#: a poll (its ``changed_at`` earlier than the cursor) is still sent; the page merges rows by id.
FEED_OVERLAP = timedelta(seconds=5)
#: The console shows at most this many live alarms (an enterprise's; more is a flood the list pages serve).
CONSOLE_ROWS = 100


class AlarmListView(ScopedListView):
    """The alarms the user sees, filtered by state, level, source, kind, enterprise, township and date."""

    model = Alarm
    template_name = "monitoring/alarm_list.html"
    filterset_class = AlarmFilter
    ordering_options = {"raised": "raised_at", "level": "level", "state": "state"}
    default_ordering = "-raised_at"

    def scoped_queryset(self, qs):
        return qs.select_related("enterprise", "point", "camera", "scenario")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_handle"] = self.request.user.has_perm(HANDLE)
        return context


@login_required
@require_GET
def alarm_export(request):
    """Excel of exactly the filtered list (core xlsx writer)."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    try:
        filterset = valid_filterset(AlarmFilter, request.GET, selectors.alarms(request.user), request)
    except ValidationError:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('monitoring:alarm-list')}?{request.GET.urlencode()}")
    content, filename = exports.export_alarms(actor=request.user, queryset=filterset.qs.order_by("-raised_at", "-pk"),
                                              filters=request.GET)
    return download(content, filename, content_type=exports.XLSX_CONTENT_TYPE)


def alarm_page(request, alarm: Alarm, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The alarm with its point or camera, value and setpoint or snapshot, repeats, handling, photos and
    timeline, and a form for each act offered now; a refused act shows here with its messages."""
    alarm = selectors.alarm_detail(request.user).get(pk=alarm.pk)
    available = actions.ALARM.available(request.user, alarm)
    action_forms = []
    for name, act in actions.ALARM.actions.items():
        if name not in available:
            continue
        is_bound = state.form is not None and state.action == name
        form = state.form if is_bound else core_actions.unbound(act, request, alarm)
        action_forms.append({"action": name, "title": act.title, "button": act.button, "form": form,
                             "url": reverse(f"monitoring:{name}", kwargs={"pk": alarm.pk}),
                             "open": is_bound or name == "report-hazard" and alarm.proposes_hazard})
    rule = rulebook.rule_for(alarm.level)
    return "monitoring/alarm_detail.html", {
        "alarm": alarm, "action_forms": action_forms, "refusal": state.refusal, "timeline": timeline(alarm),
        "photos": list(alarm.photos.all()), "rule": rule, "overdue": alarm.state == AlarmState.RAISED
        and alarm.ack_due_by < timezone.now()}


@login_required
@require_GET
def alarm_detail(request, pk):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    alarm = get_object_or_404(selectors.alarms(request.user), pk=pk)
    template, context = alarm_page(request, alarm)
    return render(request, template, context)


def _console_row(alarm: Alarm) -> dict:
    what = alarm.scenario.name if alarm.scenario_id else f"{alarm.get_kind_display()} · {alarm.get_condition_display()}"
    where = alarm.camera.name if alarm.camera_id else alarm.point.name if alarm.point_id else ""
    value = f"{alarm.value:g}" if alarm.value is not None else ""
    if value and alarm.point_id:
        value = f"{value} {alarm.point.unit}"
        if alarm.setpoint is not None:
            value += f" / {alarm.setpoint:g}"
    return {"id": alarm.pk, "level": alarm.level, "level_display": alarm.get_level_display(), "state": alarm.state,
            "state_display": alarm.get_state_display(), "active": alarm.state in ACTIVE_STATES, "what": what,
            "where": where, "value": value, "enterprise": alarm.enterprise.name, "times": alarm.repeat_count,
            "raised_at": timezone.localtime(alarm.raised_at).strftime("%m-%d %H:%M:%S"),
            "overdue": alarm.state == AlarmState.RAISED and alarm.escalated_at is not None,
            "url": reverse("monitoring:alarm-detail", kwargs={"pk": alarm.pk}),
            "acknowledge_url": reverse("monitoring:acknowledge", kwargs={"pk": alarm.pk}),
            "handle_url": reverse("monitoring:handle", kwargs={"pk": alarm.pk}),
            "api_url": reverse("alarm-detail", kwargs={"pk": alarm.pk})}


def _may_use_console(user) -> None:
    if not (user.has_perm(VIEW) and user.has_perm(HANDLE)):
        raise PermissionDenied


@login_required
@require_GET
def console(request):
    """The enterprise's duty console (值班台): its live alarms, most severe and newest first, each with large
    buttons to acknowledge and to handle (cause, measures, a photo from the camera); the page polls the feed
    and sounds when a new alarm arrives."""
    _may_use_console(request.user)
    now = timezone.now()
    rows = [_console_row(alarm) for alarm in selectors.console_alarms(request.user)[:CONSOLE_ROWS]]
    return render(request, "monitoring/console.html", {"rows": rows, "cursor": now.isoformat(),
                                                       "feed_url": reverse("monitoring:console-feed")})


@login_required
@require_GET
def console_feed(request):
    """``{"cursor", "alarms"}``: the user's alarms changed since ``?since=`` (an ISO time the previous answer
    gave), or the live ones without it; one query. A row no longer active (cleared or closed) has ``active``
    false and leaves the console."""
    _may_use_console(request.user)
    since = parse_datetime(request.GET.get("since", "")[:40]) if request.GET.get("since") else None
    if request.GET.get("since") and (since is None or since.tzinfo is None):
        return JsonResponse({"since": [_("Give the cursor the previous answer gave.")]}, status=400)
    now = timezone.now()
    rows = selectors.console_alarms(request.user, since=since - FEED_OVERLAP if since else None)[:CONSOLE_ROWS]
    return JsonResponse({"cursor": now.isoformat(), "alarms": [_console_row(alarm) for alarm in rows]})
