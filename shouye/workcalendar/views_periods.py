"""Pages of the special periods: every signed-in user reads them (a declaration is a public notice, and an
enterprise must know what applies to it); the bureau (``workcalendar.manage_specialperiod``) declares,
changes and cancels them. Thin: the work is in ``periods`` and ``selectors``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouye.audit.selectors import timeline

from . import periods, selectors
from .forms import CancelPeriodForm, SpecialPeriodForm


def _require_manager(user) -> None:
    if not user.has_perm(periods.PERMISSION):
        raise PermissionDenied


@login_required
@require_GET
def period_list(request):
    today = timezone.localdate()
    rows = list(selectors.special_periods(include_cancelled=True))
    return render(request, "workcalendar/periods.html", {
        "current": [p for p in rows if not p.is_cancelled and p.ends_on >= today],
        "past": [p for p in rows if p.is_cancelled or p.ends_on < today],
        "today": today,
        "may_manage": request.user.has_perm(periods.PERMISSION),
    })


@login_required
@require_GET
def period_detail(request, pk):
    period = get_object_or_404(selectors.special_periods(include_cancelled=True), pk=pk)
    today = timezone.localdate()
    may_manage = request.user.has_perm(periods.PERMISSION)
    return render(request, "workcalendar/period_detail.html", {
        "period": period,
        "open": may_manage and not period.is_cancelled and period.ends_on >= today,
        "cancel_form": CancelPeriodForm(),
        "timeline": timeline(period),
    })


def _edit(request, period=None):
    form = SpecialPeriodForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        data = form.period_input()
        try:
            if period is None:
                period = periods.declare_special_period(actor=request.user, data=data)
                messages.success(request, _("The special period is declared."))
            else:
                period = periods.update_special_period(actor=request.user, period=period, data=data)
                messages.success(request, _("The special period is saved."))
        except ValidationError as exc:
            form.place_errors(exc, data.rules)
        else:
            return redirect("workcalendar:period", pk=period.pk)
    return render(request, "workcalendar/period_form.html", {"form": form, "period": period},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def period_add(request):
    _require_manager(request.user)
    return _edit(request)


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request, pk):
    _require_manager(request.user)
    period = get_object_or_404(selectors.special_periods(), pk=pk)
    return _edit(request, period)


@login_required
@require_POST
def period_cancel(request, pk):
    _require_manager(request.user)
    period = get_object_or_404(selectors.special_periods(include_cancelled=True), pk=pk)
    form = CancelPeriodForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        periods.cancel_special_period(actor=request.user, period=period, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The special period is cancelled."))
    return redirect("workcalendar:period", pk=period.pk)
