"""Public tip-offs (举报): the form without signing in, and the list and triage of tip-offs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.filters import filtered, status_for
from shouye.core.request_context import client_ip

from .. import actions, forms, selectors, services
from ..choices import TipOffState
from ..filters import TipOffFilter
from ..workflow import VIEW_TIPOFF

TIPOFF_PAGE_SIZE = 20


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
    """Tip-offs in the user's scope, newest first, of one state (new ones, waiting for triage, by default);
    a state that does not exist answers 400 with the filter's error."""
    if not request.user.has_perm(VIEW_TIPOFF):
        raise PermissionDenied
    data = request.GET.copy()
    data.setdefault("state", TipOffState.NEW)
    filterset = TipOffFilter(data, queryset=selectors.tip_offs(request.user).order_by("-id"), request=request)
    state = data["state"]
    page = Paginator(filtered(filterset), TIPOFF_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.tip_offs(request.user).order_by().aggregate(
        **{value: Count("id", filter=Q(state=value)) for value in TipOffState.values})
    return render(request, "hazards/tip_offs.html", {
        "page_obj": page, "is_paginated": page.has_other_pages(), "paginator": page.paginator,
        "querystring": f"state={state}", "state": state,
        "states": [(value, label, counts[value]) for value, label in TipOffState.choices],
        "filter_form": filterset.form,
    }, status=status_for(filterset))


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
