"""The response to an incident (issue 14, "Response"): its position, the nearest forces around it, teams and
materials dispatched to it and teams returned, and the emergency plans that apply and are activated.

Each act runs in one transaction: the incident's row is locked first, then the team or the warehouse and its
stock line (always in this order), scope (404), role (403) and state (409) are checked, the resources app's
own service changes the readiness or the stock, and the act writes its row here, one timeline entry and one
audit event. A team that is not ready or stock that does not cover the quantity is refused with 409 naming
the team or the item, and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.exceptions import InvalidTransition
from shouye.plans.choices import LIVE_STATES, PlanKind, PlanTopic, UnitKind
from shouye.plans.models import EmergencyPlan
from shouye.plans.selectors import covering
from shouye.regions.scoping import ensure_in_scope
from shouye.resources import nearest as resources_nearest
from shouye.resources import services as resources
from shouye.resources.choices import Readiness
from shouye.resources.models import Item, StockLine, Team, Warehouse

from .choices import EntryKind, IncidentKind
from .models import Incident, IncidentDispatch, PlanActivation, TimelineEntry
from .services import _lock

#: Quantities are kept to two decimals, as the resources app keeps its stock.
CENT = Decimal("0.01")
#: Teams and warehouses the incident's page and API show around it.
NEAREST = 5
#: The topics of the special plans that answer an incident of each kind (2号令 Art. 6: a special plan is written
#: for kinds of accident or emergency, ``EmergencyPlan.topics``). An accident may be one of hazardous chemicals;
#: earthquakes and geological disasters have no kind of incident of their own and come in as "other".
PLAN_TOPICS = {
    IncidentKind.ACCIDENT: (PlanTopic.PRODUCTION_SAFETY, PlanTopic.HAZARDOUS_CHEMICALS),
    IncidentKind.FOREST_FIRE: (PlanTopic.FOREST_FIRE,),
    IncidentKind.FLOOD: (PlanTopic.FLOOD_DROUGHT,),
    IncidentKind.OTHER: (PlanTopic.GEOLOGICAL_DISASTER, PlanTopic.EARTHQUAKE, PlanTopic.OTHER),
}


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    own: bool


def position(incident: Incident) -> Position | None:
    """Where the forces are measured from: the incident's own point, else its enterprise's, else none."""
    if incident.latitude is not None and incident.longitude is not None:
        return Position(float(incident.latitude), float(incident.longitude), True)
    enterprise = incident.enterprise
    if enterprise is not None and enterprise.latitude is not None and enterprise.longitude is not None:
        return Position(float(enterprise.latitude), float(enterprise.longitude), False)
    return None


def reference(incident: Incident) -> str:
    """What the resources app records as the incident a team or a movement went to (64 characters)."""
    return f"#{incident.pk} {incident.title}"[:64]


def _entry(incident, actor, kind, text, at) -> TimelineEntry:
    return TimelineEntry.objects.create(incident=incident, author=actor, kind=kind, text=text, at=at)


def _refused(action: str, state: str, message: str) -> InvalidTransition:
    return InvalidTransition(state=state, action=action, allowed=[], message=message)


# --- reads -----------------------------------------------------------------------------------------------------


def nearest_forces(actor, incident: Incident, *, item: Item | None = None, quantity: Decimal | None = None,
                   limit: int = NEAREST) -> dict | None:
    """The nearest ready teams and open warehouses the actor sees (holding ``item`` when given), ranked from
    the incident's position by :mod:`shouye.resources.nearest`; None when the incident has no position."""
    point = position(incident)
    if point is None:
        return None
    items = {item.pk: quantity or Decimal(1)} if item is not None else None
    answer = resources_nearest.nearest(actor, lat=point.latitude, lng=point.longitude, items=items, limit=limit)
    answer["own_position"] = point.own
    return answer


def dispatches(incident: Incident) -> list[IncidentDispatch]:
    """What was sent to the incident, newest first: one query."""
    return list(IncidentDispatch.objects.filter(incident=incident)
                .select_related("team", "warehouse", "item", "dispatched_by", "returned_by"))


def applicable_plans(actor, incident: Incident) -> QuerySet:
    """The plans in force (published, filed or under revision) the actor sees that apply to the incident: the
    district's comprehensive plans, the district's and departments' special plans whose topics cover the
    incident's kind (:data:`PLAN_TOPICS`), the township's own plans, and the enterprise's own plans for an
    incident at an enterprise (708号令 Art. 5: each unit responds by its own plan)."""
    condition = Q(unit__kind=UnitKind.DISTRICT, kind=PlanKind.COMPREHENSIVE)
    condition |= (Q(unit__kind__in=(UnitKind.DISTRICT, UnitKind.DEPARTMENT), kind=PlanKind.SPECIAL)
                  & covering(PLAN_TOPICS[incident.kind]))
    condition |= Q(unit__kind=UnitKind.TOWNSHIP, unit__township_id=incident.township_id)
    if incident.enterprise_id is not None:
        condition |= Q(unit__enterprise_id=incident.enterprise_id)
    return (EmergencyPlan.objects.visible_to(actor).filter(state__in=LIVE_STATES).filter(condition)
            .select_related("unit").order_by("unit__kind", "kind", "title", "id"))


def activations(incident: Incident) -> list[PlanActivation]:
    return list(PlanActivation.objects.filter(incident=incident).select_related("plan", "activated_by"))


def dispatched_to(incident_ids) -> dict[int, dict]:
    """For the map and the cockpit: per incident, the teams out there now and the materials sent, in one
    query whatever the number of incidents."""
    answer: dict[int, dict] = {pk: {"teams": [], "items": []} for pk in incident_ids}
    rows = (IncidentDispatch.objects.filter(incident_id__in=list(answer))
            .filter(Q(team__isnull=False, returned_at__isnull=True) | Q(item__isnull=False))
            .order_by("dispatched_at", "id").values_list("incident_id", "team__name", "item__name", "item__unit",
                                                         "quantity"))
    for incident_id, team, item, unit, quantity in rows:
        if team is not None:
            answer[incident_id]["teams"].append(team)
        else:
            answer[incident_id]["items"].append(f"{item}×{quantity.normalize():f}{unit}")
    return answer


def dispatched_text(dispatched: dict) -> str:
    """One line: 已派：队伍A、队伍B；物资：帐篷×10顶."""
    parts = []
    if dispatched["teams"]:
        parts.append(_("Teams: %(teams)s") % {"teams": "、".join(dispatched["teams"])})
    if dispatched["items"]:
        parts.append(_("Materials: %(items)s") % {"items": "、".join(dispatched["items"])})
    return "；".join(parts)


# --- acts ------------------------------------------------------------------------------------------------------


@transaction.atomic
def dispatch_team(*, actor, incident: Incident, team: Team, note: str = "") -> IncidentDispatch:
    """Send a ready team to the incident: the team becomes deployed (the resources app's act), the dispatch is
    recorded and written on the timeline. A team not ready is refused (409) by name."""
    incident = _lock(actor, incident, "dispatch-team")
    team = Team.objects.select_for_update().get(pk=team.pk)
    ensure_in_scope(actor, team)
    if team.readiness != Readiness.READY:
        raise _refused("dispatch-team", team.readiness, _(
            "%(team)s is %(readiness)s, not ready: choose another team. Nothing was changed.") % {
            "team": team.name, "readiness": team.get_readiness_display()})
    resources.dispatch_team(actor=actor, team=team, note=note or incident.title, incident=reference(incident))
    now = timezone.now()
    row = IncidentDispatch.objects.create(incident=incident, team=team, dispatched_at=now, dispatched_by=actor)
    _entry(incident, actor, EntryKind.DISPATCH, _("Dispatched %(team)s (%(kind)s).") % {
        "team": team.name, "kind": team.get_kind_display()} + (f" {note}" if note else ""), now)
    audit.record(actor=actor, verb="incident.dispatch-team", target=incident,
                 changes={"team": team.name, "dispatch": row.pk}, note=note)
    return row


@transaction.atomic
def dispatch_items(*, actor, incident: Incident, warehouse: Warehouse, item: Item, quantity,
                   note: str = "") -> IncidentDispatch:
    """Send a quantity of an item from a warehouse: the stock movement is the resources app's (dispatch), the
    dispatch is recorded and written on the timeline. Stock short of the quantity is refused (409) naming
    the item and what is there."""
    if quantity is None or Decimal(quantity) <= 0:
        raise ValidationError({"quantity": _("Give a quantity greater than 0.")})
    quantity = Decimal(quantity).quantize(CENT)
    incident = _lock(actor, incident, "dispatch-items")
    warehouse = Warehouse.objects.select_for_update().get(pk=warehouse.pk)
    ensure_in_scope(actor, warehouse)
    line = StockLine.objects.select_for_update().filter(warehouse=warehouse, item=item).first()
    held = line.quantity if line is not None else Decimal(0)
    if quantity > held:
        raise _refused("dispatch-items", "short", _(
            "%(warehouse)s holds only %(held)s %(unit)s of %(item)s: dispatch less or choose another warehouse. "
            "Nothing was changed.") % {"warehouse": warehouse.name, "held": f"{held.normalize():f}",
                                       "unit": item.unit, "item": item.name})
    resources.dispatch_items(actor=actor, warehouse=warehouse, item=item, quantity=quantity,
                             note=note or incident.title, incident=reference(incident))
    now = timezone.now()
    row = IncidentDispatch.objects.create(incident=incident, warehouse=warehouse, item=item, quantity=quantity,
                                          dispatched_at=now, dispatched_by=actor)
    _entry(incident, actor, EntryKind.DISPATCH, _("Dispatched %(quantity)s %(unit)s of %(item)s from %(warehouse)s.")
           % {"quantity": f"{quantity.normalize():f}", "unit": item.unit, "item": item.name,
              "warehouse": warehouse.name} + (f" {note}" if note else ""), now)
    audit.record(actor=actor, verb="incident.dispatch-items", target=incident, note=note,
                 changes={"warehouse": warehouse.name, "item": item.name, "quantity": str(quantity),
                          "dispatch": row.pk})
    return row


@transaction.atomic
def return_team(*, actor, incident: Incident, dispatch: IncidentDispatch, note: str = "") -> IncidentDispatch:
    """The team is back at the end of its task: ready again (the resources app's act), the dispatch closed. A
    team already made ready in the resources app only has its dispatch closed."""
    incident = _lock(actor, incident, "return-team")
    dispatch = IncidentDispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.incident_id != incident.pk or dispatch.team_id is None:
        raise ValidationError({"dispatch": _("Choose a team dispatched to this incident.")})
    team = Team.objects.select_for_update().get(pk=dispatch.team_id)
    if dispatch.returned_at is not None:
        raise _refused("return-team", "returned", _("%(team)s has already returned from this incident. "
                                                    "Nothing was changed.") % {"team": team.name})
    if team.readiness != Readiness.READY:
        resources.return_team(actor=actor, team=team, note=note or incident.title)
    now = timezone.now()
    dispatch.returned_at, dispatch.returned_by = now, actor
    dispatch.save(update_fields=["returned_at", "returned_by"])
    _entry(incident, actor, EntryKind.RETURN, _("%(team)s returned and is ready.") % {"team": team.name}
           + (f" {note}" if note else ""), now)
    audit.record(actor=actor, verb="incident.return-team", target=incident, note=note,
                 changes={"team": team.name, "dispatch": dispatch.pk})
    return dispatch


@transaction.atomic
def activate_plan(*, actor, incident: Incident, plan: EmergencyPlan, note: str = "") -> PlanActivation:
    """启动预案: record which applicable plan is activated, on the timeline with a link to the plan."""
    incident = _lock(actor, incident, "activate-plan")
    if not applicable_plans(actor, incident).filter(pk=plan.pk).exists():
        raise ValidationError({"plan": _("Choose one of the plans that apply to this incident.")})
    if PlanActivation.objects.filter(incident=incident, plan=plan).exists():
        raise _refused("activate-plan", "activated", _("%(plan)s is already activated for this incident. "
                                                       "Nothing was changed.") % {"plan": str(plan)})
    now = timezone.now()
    entry = _entry(incident, actor, EntryKind.PLAN, _("Activated the plan %(plan)s.") % {"plan": str(plan)}
                   + (f" {note}" if note else ""), now)
    activation = PlanActivation.objects.create(incident=incident, plan=plan, entry=entry, activated_at=now,
                                               activated_by=actor)
    audit.record(actor=actor, verb="incident.activate-plan", target=incident, note=note,
                 changes={"plan": str(plan), "plan_id": plan.pk})
    return activation
