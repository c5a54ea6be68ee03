"""Public tip-offs (举报): the form without signing in, the public status page behind the receipt code, the
bureau's list and triage of tip-offs, and the township officer's check of those sent to its township."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.filters import filtered, status_for
from shouye.core.request_context import client_ip

from .. import actions, forms, selectors, services
from ..choices import TipOffState
from ..filters import TipOffFilter
from ..workflow import CHECK_TIPOFF, VIEW_TIPOFF

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
            request.session["tip_off_receipt"] = {"code": received.receipt_display,
                                                  "at": timezone.localtime(received.created_at).isoformat()}
            return redirect("tip-off:thanks")
    if form.errors and status == 200:
        status = 400
    return render(request, "hazards/tip_off.html", {"form": form}, status=status)


@require_GET
def tip_off_thanks(request):
    """The receipt: the random code to read the status page with (kept in the sender's session only)."""
    receipt = request.session.get("tip_off_receipt")
    return render(request, "hazards/tip_off_thanks.html", {"receipt": receipt})


@require_http_methods(["GET", "POST"])
def tip_off_status(request):
    """The public status page: the receipt code in (POSTed, so it stays out of addresses and logs), the state
    in plain words out, and nothing of the sender, the enterprise's details or the staff. Wrong codes count
    against the client address (services.tip_off_status); 404 for a wrong code, 429 when refused."""
    form = forms.TipOffStatusForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                found = services.tip_off_status(code=form.cleaned_data["code"], ip_address=client_ip(request))
            except services.TooManyStatusLookups as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                core_actions.apply_errors(form, exc)
                status = 404
        else:
            status = 400
    return render(request, "hazards/tip_off_status.html", {"form": form, "found": found}, status=status)


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
    """One tip-off and, while it is undecided and the user may triage, the forms that turn it into a hazard,
    send it to the township to check, or dismiss it."""
    available = actions.TIPOFF.available(request.user, item)
    forms_ = {name: (state.form if state.action == name and state.form is not None
                     else core_actions.unbound(actions.TIPOFF.actions[name], request, item))
              for name in ("triage", "send") if name in available}
    return "hazards/tip_off_detail.html", {
        "tip_off": item, "form": forms_.get("triage"), "send_form": forms_.get("send"),
        "may_triage": "triage" in available, "may_send": "send" in available, "refusal": state.refusal,
        "failed_action": state.action}


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


@login_required
@require_http_methods(["POST"])
def tip_off_send(request, pk):
    """POST sends the tip-off to the township's officers to check (the action layer's checks and answers)."""
    if not request.user.has_perm(VIEW_TIPOFF):
        raise PermissionDenied
    return core_actions.handle(request, actions.TIPOFF, pk, "send", page=tip_off_page)


# --- the township's check ------------------------------------------------------------------------------


@login_required
@require_GET
def tip_off_checks(request):
    """The tip-offs the bureau sent to the officer's township: those waiting for the check first (the longest
    waiting at the top), then the checked ones, newest first."""
    if not request.user.has_perm(CHECK_TIPOFF):
        raise PermissionDenied
    waiting_first = Case(When(state=TipOffState.CHECKING, then=Value(0)), default=Value(1),
                         output_field=IntegerField())
    rows = selectors.tip_offs_to_check(request.user).order_by(waiting_first, "sent_at", "-id")
    page = Paginator(rows, TIPOFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hazards/tip_off_checks.html", {
        "page_obj": page, "is_paginated": page.has_other_pages(), "paginator": page.paginator,
        "waiting": selectors.tip_offs_waiting_for_check(request.user).count()})


def tip_off_check_page(request, item, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """A tip-off as the township's officer checking it sees it: the place, the bureau's request, the result
    form while it is being checked, and the link to register the place as an enterprise."""
    act = actions.TIPOFF_CHECK.actions["check"]
    may_check = "check" in actions.TIPOFF_CHECK.available(request.user, item)
    form = state.form if state.form is not None else (core_actions.unbound(act, request, item) if may_check
                                                      else None)
    register_url = ""
    if may_check and item.enterprise_id is None and request.user.has_perm("enterprises.add_enterprise"):
        register_url = reverse("enterprises:create") + "?" + urlencode(
            {"name": item.enterprise_name, "address": item.address,
             "township": item.township.code if item.township else ""})
    return "hazards/tip_off_check.html", {"tip_off": item, "form": form, "may_check": may_check,
                                          "refusal": state.refusal, "register_url": register_url}


@login_required
@require_http_methods(["GET", "POST"])
def tip_off_check(request, pk):
    """GET shows the tip-off to check; POST records the result (the action layer's checks and answers)."""
    if not request.user.has_perm(CHECK_TIPOFF):
        raise PermissionDenied
    if request.method == "POST":
        return core_actions.handle(request, actions.TIPOFF_CHECK, pk, "check", page=tip_off_check_page)
    item = get_object_or_404(selectors.tip_offs_to_check(request.user), pk=pk)
    return render(request, *tip_off_check_page(request, item))
