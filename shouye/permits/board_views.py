"""The bureau's pages of special operations (issue 12): the live board (refreshed every minute by htmx, the same
data as ``/api/v1/permits/board/``), the statistics and their Excel. Read by the bureau, township and department
officers in their scope (``permits.view_permit_board``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shouye.core.downloads import XLSX, download
from shouye.core.filters import status_for

from . import statistics as stats
from .board import board_data
from .workflow import BOARD

#: Rows of the per-enterprise, per-month table the page shows (the Excel has them all): a district's month is
#: thousands of rows, which a page neither counts nor pages through.
MONTH_ROWS = 100
#: Seconds between two refreshes of the board (issue 12: "now").
REFRESH_SECONDS = 60


def _require_board(user) -> None:
    if not user.has_perm(BOARD):
        raise PermissionDenied


@login_required
@require_GET
def board(request):
    """特殊作业监管看板: the whole page, or only its content when htmx refreshes it."""
    _require_board(request.user)
    context = {"board": board_data(request.user), "refresh_seconds": REFRESH_SECONDS}
    template = "permits/_board_content.html" if request.htmx else "permits/board.html"
    return render(request, template, context)


@login_required
@require_GET
def statistics(request):
    """特殊作业统计: by township and industry, and per enterprise per month by kind and grade."""
    _require_board(request.user)
    filterset = stats.statistics_permits(request.user, request.GET, request)
    context = {"filterset": filterset, "querystring": request.GET.urlencode()}
    if not filterset.is_bound or filterset.is_valid():
        context["stats"] = stats.permit_statistics(filterset)
        rows = list(stats.enterprise_months(stats.period_permits(filterset))[:MONTH_ROWS + 1])
        context.update(month_rows=[stats.month_row(row) for row in rows[:MONTH_ROWS]],
                       more_rows=len(rows) > MONTH_ROWS, month_rows_shown=MONTH_ROWS)
    return render(request, "permits/statistics.html", context, status=status_for(filterset))


@login_required
@require_GET
def statistics_export(request):
    """Excel of the per-enterprise, per-month rows of exactly the filtered period (core xlsx writer)."""
    _require_board(request.user)
    filterset = stats.statistics_permits(request.user, request.GET, request)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('permits:statistics')}?{request.GET.urlencode()}")
    content, filename = stats.export_statistics(actor=request.user, filterset=filterset, filters=request.GET)
    return download(content, filename, content_type=XLSX)

