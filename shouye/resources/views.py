"""Pages: the teams (with the minimum-members check), the warehouses (below minimum, due for rotation), each
one's page with the acts its user may take now, registering one, the catalogue with what is held per item, the
team rules, the agreement and capacity reserves with their summary, nearest dispatch and its road network."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.exceptions import InvalidTransition
from shouye.core.views import ScopedDetailView, ScopedListView
from shouye.enterprises.masking import sees_personal_data
from shouye.rules.identifiers import mask_phone

from . import actions, forms, selectors, services
from .filters import ReserveFilter, TeamFilter, WarehouseFilter
from .models import Reserve, Team, TeamKindRule, Warehouse
from .nearest import nearest
from .permissions import (
    CHANGE_ITEM,
    CHANGE_RULE,
    MANAGE_RESERVE,
    MANAGE_ROAD_NETWORK,
    MANAGE_TEAM,
    MANAGE_WAREHOUSE,
    VIEW_RESERVE,
    VIEW_TEAM,
    VIEW_WAREHOUSE,
)

#: The networks the road-network page lists (the active one and those it replaced, newest first).
ROAD_NETWORKS_SHOWN = 20


def _phone(user, phone: str) -> str:
    return phone if sees_personal_data(user) else mask_phone(phone)


def _action_forms(request, action_set, obj, state: PageState, url_prefix: str, skip=()) -> list[dict]:
    available = action_set.available(request.user, obj)
    rows = []
    for name, act in action_set.actions.items():
        if name not in available or name in skip:
            continue
        is_bound = state.form is not None and state.action == name
        rows.append({"action": name, "title": act.title, "button": act.button,
                     "form": state.form if is_bound else core_actions.unbound(act, request, obj),
                     "url": reverse(f"resources:{url_prefix}{name}", kwargs={"pk": obj.pk}), "open": is_bound})
    return rows


# --- teams -----------------------------------------------------------------------------------------------------


class TeamListView(ScopedListView):
    """The teams the user sees, filtered by township, kind and readiness, each checked against the minimum
    members of its kind (the bureau's rule table)."""

    model = Team
    template_name = "resources/teams.html"
    filterset_class = TeamFilter
    ordering_options = {"name": "name", "kind": "kind", "members": "member_count"}

    def scoped_queryset(self, qs):
        return qs.select_related("enterprise", "township")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minimums = selectors.minimum_members()
        rows = list(context["object_list"])
        for row in rows:
            row.short_of = selectors.shortfall(row, minimums)
        context.update(object_list=rows, can_create=self.request.user.has_perm(MANAGE_TEAM))
        return context


def team_page(request, team: Team, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The team: base, readiness, members (phones masked as the user needs), equipment, agreements, the
    minimum-members check, and a form for each act offered now."""
    members = list(team.members.all())
    return "resources/team.html", {
        "team": team,
        "short_of": selectors.shortfall(team, selectors.minimum_members()),
        "members": [(member, _phone(request.user, member.phone)) for member in members],
        "can_remove_member": "remove-member" in actions.TEAM.available(request.user, team),
        "action_forms": _action_forms(request, actions.TEAM, team, state, "team-", skip=("remove-member",)),
        "refusal": state.refusal,
        "timeline": timeline(team),
    }


class TeamDetailView(ScopedDetailView):
    model = Team
    template_name = "resources/team.html"

    def scoped_queryset(self, qs):
        return selectors.team_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(team_page(self.request, self.object)[1])
        return context


def _create(request, *, permission, form_class, service, template, redirect_name, success):
    if not request.user.has_perm(permission):
        raise PermissionDenied
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            row = service(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(redirect_name, pk=row.pk)
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request):
    return _create(request, permission=MANAGE_TEAM, form_class=forms.TeamCreateForm, service=services.create_team,
                   template="resources/team_create.html", redirect_name="resources:team",
                   success=_("The team is registered. Now add its members."))


# --- warehouses ------------------------------------------------------------------------------------------------


class WarehouseListView(ScopedListView):
    """The warehouses the user sees, each with its lines below minimum and due for rotation (Art. 43)."""

    model = Warehouse
    template_name = "resources/warehouses.html"
    filterset_class = WarehouseFilter
    ordering_options = {"name": "name"}

    def scoped_queryset(self, qs):
        return selectors.warehouses(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        expiring = selectors.expiring_counts(row.pk for row in rows)
        for row in rows:
            row.expiring = expiring.get(row.pk, 0)
        context.update(object_list=rows, can_create=self.request.user.has_perm(MANAGE_WAREHOUSE))
        return context


def warehouse_page(request, warehouse: Warehouse, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The warehouse: its lines with their batches (nearest expiry first) and, for whoever reads the reserves,
    the agreement and capacity reserves in force of each item beside the physical stock."""
    today = timezone.localdate()
    stock = list(selectors.stock_lines(warehouse))
    reads_reserves = request.user.has_perm(VIEW_RESERVE)
    totals = selectors.reserve_totals(request.user, today, [line.item_id for line in stock]) if reads_reserves else {}
    lines = [(line, line.expiring(today), totals.get(line.item_id, {})) for line in stock]
    return "resources/warehouse.html", {
        "warehouse": warehouse,
        "keeper_phone": _phone(request.user, warehouse.keeper_phone),
        "lines": lines,
        "reads_reserves": reads_reserves,
        "movements": warehouse.movements.select_related("item", "actor", "other_warehouse")[:50],
        "action_forms": _action_forms(request, actions.WAREHOUSE, warehouse, state, "warehouse-"),
        "refusal": state.refusal,
        "timeline": timeline(warehouse),
    }


class WarehouseDetailView(ScopedDetailView):
    model = Warehouse
    template_name = "resources/warehouse.html"

    def scoped_queryset(self, qs):
        return selectors.warehouse_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(warehouse_page(self.request, self.object)[1])
        return context


@login_required
@require_http_methods(["GET", "POST"])
def warehouse_create(request):
    return _create(request, permission=MANAGE_WAREHOUSE, form_class=forms.WarehouseCreateForm,
                   service=services.create_warehouse, template="resources/warehouse_create.html",
                   redirect_name="resources:warehouse", success=_("The warehouse is registered."))


# --- the catalogue and the team rules --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def items(request):
    """The catalogue; the bureau adds to it."""
    if not request.user.has_perm(VIEW_WAREHOUSE):
        raise PermissionDenied
    can_add = request.user.has_perm(CHANGE_ITEM)
    if request.method == "POST" and not can_add:
        raise PermissionDenied
    form = forms.ItemForm(request.POST or None) if can_add else None
    if request.method == "POST" and form.is_valid():
        try:
            services.create_item(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The item is added to the catalogue."))
            return redirect("resources:items")
    return render(request, "resources/items.html", {
        "rows": selectors.reserve_summary(request.user, timezone.localdate()),
        "reads_reserves": request.user.has_perm(VIEW_RESERVE), "form": form}, status=400 if form and form.errors else 200)


@login_required
@require_GET
def rules(request):
    if not request.user.has_perm(CHANGE_RULE):
        raise PermissionDenied
    return render(request, "resources/rules.html", {"rules": TeamKindRule.objects.order_by("kind")})


@login_required
@require_http_methods(["GET", "POST"])
def rule(request, pk):
    """Edit the minimum members of a kind of team, audited."""
    if not request.user.has_perm(CHANGE_RULE):
        raise PermissionDenied
    row = get_object_or_404(TeamKindRule, pk=pk)
    form = forms.RuleForm(request.POST or None, initial={"minimum_members": row.minimum_members, "basis": row.basis})
    if request.method == "POST" and form.is_valid():
        services.update_team_rule(actor=request.user, rule=row, minimum_members=form.cleaned_data["minimum_members"],
                                  basis=form.cleaned_data["basis"])
        messages.success(request, _("The rule is saved."))
        return redirect("resources:rules")
    return render(request, "resources/rule.html", {"rule": row, "form": form}, status=400 if form.errors else 200)


# --- agreement and capacity reserves ----------------------------------------------------------------------------


class ReserveListView(ScopedListView):
    """The agreement and capacity reserves (the bureau's; township officers read them), newest term first."""

    model = Reserve
    template_name = "resources/reserves.html"
    filterset_class = ReserveFilter
    ordering_options = {"supplier": "supplier", "ends_on": "ends_on"}
    default_ordering = "-ends_on"

    def scoped_queryset(self, qs):
        return qs.select_related("township")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = list(context["object_list"])
        for row in rows:
            row.counts = row.in_force(today)
            row.phone = _phone(self.request.user, row.contact_phone)
        context.update(object_list=rows, can_create=self.request.user.has_perm(MANAGE_RESERVE))
        return context


def reserve_page(request, reserve: Reserve, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The reserve: supplier, contact (phone masked as the user needs), term, whether it counts today, its
    items, and a form for each act offered now."""
    return "resources/reserve.html", {
        "reserve": reserve,
        "phone": _phone(request.user, reserve.contact_phone),
        "counts": reserve.in_force(timezone.localdate()),
        "lines": list(reserve.lines.all()),
        "action_forms": _action_forms(request, actions.RESERVE, reserve, state, "reserve-"),
        "refusal": state.refusal,
        "timeline": timeline(reserve),
    }


class ReserveDetailView(ScopedDetailView):
    model = Reserve
    template_name = "resources/reserve.html"

    def scoped_queryset(self, qs):
        return selectors.reserve_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(reserve_page(self.request, self.object)[1])
        return context


@login_required
@require_http_methods(["GET", "POST"])
def reserve_create(request):
    return _create(request, permission=MANAGE_RESERVE, form_class=forms.ReserveCreateForm,
                   service=services.create_reserve, template="resources/reserve_create.html",
                   redirect_name="resources:reserve", success=_("The reserve is recorded. Add its other items."))


@login_required
@require_GET
def reserve_summary(request):
    """Per item: physical stock, agreement reserves and capacity reserves per day, those in force today."""
    if not request.user.has_perm(VIEW_RESERVE):
        raise PermissionDenied
    return render(request, "resources/reserve_summary.html",
                  {"rows": selectors.reserve_summary(request.user, timezone.localdate())})


# --- nearest dispatch ------------------------------------------------------------------------------------------


@login_required
@require_GET
def nearest_page(request):
    """A point (typed or clicked on the map), a kind of team and an item needed: the ranked table."""
    if not request.user.has_perm(VIEW_TEAM):
        raise PermissionDenied
    form = forms.NearestForm(request.GET or None)
    answer = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        needs = {data["item"].pk: data["quantity"] or 1} if data["item"] else None
        answer = nearest(request.user, lat=data["lat"], lng=data["lng"], items=needs,
                         kinds=[data["kind"]] if data["kind"] else ())
        kinds = dict(Team._meta.get_field("kind").choices)
        for team in answer["teams"]:
            team["kind_display"] = kinds.get(team["kind"], team["kind"])
    return render(request, "resources/nearest.html", {"form": form, "answer": answer},
                  status=400 if form.errors else 200)


def _road_networks_page(request, form, *, status: int = 200, refusal: str = ""):
    networks = list(selectors.road_networks()[:ROAD_NETWORKS_SHOWN])
    return render(request, "resources/road_networks.html", {
        "form": form, "networks": networks, "active": next((row for row in networks if row.active), None),
        "refusal": refusal, "max_mb": settings.SHOUYE_ROAD_NETWORK_MAX_BYTES // (1024 * 1024),
        "max_nodes": settings.SHOUYE_ROAD_NETWORK_MAX_NODES}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def road_networks(request):
    """The road network nearest dispatch ranks by (the active one, and those before it); the bureau's
    administrator uploads a new one, which replaces the active one."""
    if not request.user.has_perm(MANAGE_ROAD_NETWORK):
        raise PermissionDenied
    form = forms.RoadNetworkForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_road_network(actor=request.user, name=form.cleaned_data["name"],
                                         upload=form.cleaned_data["file"])
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The road network is uploaded: nearest dispatch now ranks by road."))
            return redirect("resources:road-networks")
    return _road_networks_page(request, form, status=400 if form.errors else 200)


@login_required
@require_POST
def road_network_deactivate(request, pk):
    """Stop ranking by this network (straight line again until another is uploaded)."""
    if not request.user.has_perm(MANAGE_ROAD_NETWORK):
        raise PermissionDenied
    network = get_object_or_404(selectors.road_networks(), pk=pk)
    try:
        services.deactivate_road_network(actor=request.user, network=network)
    except InvalidTransition as exc:
        return _road_networks_page(request, forms.RoadNetworkForm(), status=409, refusal=exc.message)
    messages.success(request, _("The road network is deactivated: nearest dispatch ranks by straight line."))
    return redirect("resources:road-networks")
