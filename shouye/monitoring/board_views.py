"""The bureau's alarm pages (issue 13, "Bureau board"): the live board and its event stream, the per-enterprise
statistics and the daily report's Excel. Read by the bureau, township and department officers in their scope
(``monitoring.view_alarm_board``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shouye.core.downloads import XLSX, download
from shouye.core.filters import status_for

from . import report, stream
from . import statistics as stats
from .board import board_data
from .workflow import BOARD

#: Rows of the per-enterprise table the page shows (the API and the report have them all).
ENTERPRISE_ROWS = 100


def _require_board(user) -> None:
    if not user.has_perm(BOARD):
        raise PermissionDenied


@login_required
@require_GET
def board(request):
    """报警监管看板: the page as it is now, and the cursor its stream goes on from."""
    _require_board(request.user)
    now = timezone.now()
    return render(request, "monitoring/board.html", {"board": board_data(request.user, now),
                                                     "cursor": stream.encode_cursor(now)})


@login_required
@require_GET
def board_stream(request):
    """The board's server-sent events (``stream.py``), from ``Last-Event-ID`` (a reconnection) or the page's
    ``cursor``. ``X-Accel-Buffering: no`` keeps nginx from buffering it."""
    _require_board(request.user)
    last = request.headers.get("Last-Event-ID") or request.GET.get("cursor", "")[:20]
    response = StreamingHttpResponse(stream.events(request.user, last_event_id=last,
                                                   language=translation.get_language()),
                                     content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@login_required
@require_GET
def statistics(request):
    """报警统计: per enterprise over a period (alarms per day, acknowledgement times, false alarms, offline)."""
    _require_board(request.user)
    filterset = stats.statistics_alarms(request.user, request.GET, request)
    context = {"filterset": filterset, "querystring": request.GET.urlencode(), "max_days": stats.MAX_DAYS}
    if not filterset.is_bound or filterset.is_valid():
        data = stats.alarm_statistics(request.user, filterset)
        context.update(stats=data, rows=data["enterprises"][:ENTERPRISE_ROWS],
                       more_rows=len(data["enterprises"]) > ENTERPRISE_ROWS, rows_shown=ENTERPRISE_ROWS,
                       peak=max([day["count"] for day in data["per_day"]] or [0]))
    return render(request, "monitoring/statistics.html", context, status=status_for(filterset))


@login_required
@require_GET
def report_export(request):
    """报警日报 (Excel) of one day, the township and enterprise filters as the statistics'."""
    _require_board(request.user)
    filterset = report.report_filter(request.user, request.GET, request)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('monitoring:statistics')}?{request.GET.urlencode()}")
    content, filename = report.export_daily_report(actor=request.user, filterset=filterset, filters=request.GET)
    return download(content, filename, content_type=XLSX)
