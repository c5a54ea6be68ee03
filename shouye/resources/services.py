"""Every act on the rescue forces and the reserves: one transaction, the row locked, the scope (404), the role
and the state (403, 409, from the workflows), the input (400, a Chinese message naming the field), one audit
event. Stock never goes below zero: a movement that would is refused and changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.exceptions import InvalidTransition
from shouye.regions.scoping import ensure_in_scope, scope_for

from . import roads
from .choices import MovementKind, WarehouseState
from .models import (
    Item,
    Reserve,
    ReserveLine,
    RoadNetwork,
    StockBatch,
    StockLine,
    StockMovement,
    Team,
    TeamAgreement,
    TeamEquipment,
    TeamKindRule,
    TeamMember,
    Warehouse,
)
from .permissions import (
    CHANGE_ITEM,
    CHANGE_RULE,
    MANAGE_RESERVE,
    MANAGE_ROAD_NETWORK,
    MANAGE_TEAM,
    MANAGE_WAREHOUSE,
)
from .workflow import RESERVE_WORKFLOW, TEAM_WORKFLOW, WAREHOUSE_WORKFLOW

#: Quantities are kept to two decimals (tonnes, cubic metres, pieces).
CENT = Decimal("0.01")


# --- ownership -------------------------------------------------------------------------------------------------


def _own(actor, row, *, township=None, enterprise=None, permission: str):
    """Give ``row`` its owner: an enterprise (stamped, the enterprise in the actor's scope: else 404), a
    township (the actor's own township or the whole district), or the district (the bureau's roles only)."""
    if not actor.has_perm(permission):
        raise PermissionDenied(_("You do not have permission to do this."))
    if enterprise is not None:
        ensure_in_scope(actor, enterprise)
        return row.stamp_from(enterprise)
    scope = scope_for(actor)
    if township is not None:
        if not scope.admits(region_id=township.pk):
            raise PermissionDenied(_("You may only register the teams and warehouses of your own township."))
        row.township = township
        return row
    if not scope.everything:
        raise PermissionDenied(_("Only the bureau registers the district's own teams and warehouses."))
    return row


def _positive(value, field: str) -> Decimal:
    if value is None or Decimal(value) <= 0:
        raise ValidationError({field: _("Give a quantity greater than 0.")})
    return Decimal(value).quantize(CENT)


# --- teams -----------------------------------------------------------------------------------------------------


def create_team(*, actor, name: str, kind: str, latitude: float, longitude: float, duty_phone: str,
                base_address: str = "", township=None, enterprise=None) -> Team:
    """Register a team of the district, a township or an enterprise; it starts ready."""
    with transaction.atomic():
        team = _own(actor, Team(name=name.strip(), kind=kind, latitude=latitude, longitude=longitude,
                                duty_phone=duty_phone.strip(), base_address=base_address.strip()),
                    township=township, enterprise=enterprise, permission=MANAGE_TEAM)
        team.full_clean()
        team.save()
        audit.record(actor=actor, verb="resources.team-create", target=team,
                     changes={"kind": kind, "owner": team.owner_name})
    return team


def _lock_team(actor, team: Team, action: str) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk)
    ensure_in_scope(actor, team)
    TEAM_WORKFLOW.ensure_may(actor, team, action)
    return team


def _move_team(*, actor, team: Team, action: str, note: str, incident: str | None = None) -> Team:
    with transaction.atomic():
        team = _lock_team(actor, team, action)
        before = team.readiness
        team.readiness = TEAM_WORKFLOW.ensure_allowed(before, action)
        if incident is not None:
            team.incident = str(incident)[:64]
        team.save(update_fields=["readiness", "incident"])
        audit.record(actor=actor, verb=f"resources.team-{action}", target=team, note=note or "",
                     changes={"readiness": [before, team.readiness],
                              **({"incident": team.incident} if incident is not None else {})})
    return team


def dispatch_team(*, actor, team: Team, note: str, incident=None) -> Team:
    """Send a ready team out (ready → deployed). ``incident`` is the incidents app's opaque reference."""
    return _move_team(actor=actor, team=team, action="deploy", note=note, incident=incident)


def return_team(*, actor, team: Team, note: str = "") -> Team:
    """The team is back and ready (deployed or stood down → ready)."""
    return _move_team(actor=actor, team=team, action="return", note=note)


def stand_down_team(*, actor, team: Team, note: str) -> Team:
    """The team is not available (training, repair, rest)."""
    return _move_team(actor=actor, team=team, action="stand-down", note=note)


def add_member(*, actor, team: Team, name: str, skills: str = "", certificates: str = "",
               phone: str = "") -> TeamMember:
    with transaction.atomic():
        team = _lock_team(actor, team, "add-member")
        member = TeamMember(team=team, name=name.strip(), skills=skills.strip(), certificates=certificates.strip(),
                            phone=phone.strip())
        member.full_clean()
        member.save()
        team.member_count += 1
        team.save(update_fields=["member_count"])
        audit.record(actor=actor, verb="resources.team-add-member", target=team, changes={"member": member.name})
    return member


def remove_member(*, actor, team: Team, member: TeamMember) -> Team:
    with transaction.atomic():
        team = _lock_team(actor, team, "remove-member")
        if member.team_id != team.pk:
            raise ValidationError({"member": _("This person is not a member of this team.")})
        member.delete()
        team.member_count -= 1
        team.save(update_fields=["member_count"])
        audit.record(actor=actor, verb="resources.team-remove-member", target=team, changes={"member": member.name})
    return team


def add_equipment(*, actor, team: Team, name: str, quantity: int, note: str = "") -> TeamEquipment:
    with transaction.atomic():
        team = _lock_team(actor, team, "add-equipment")
        line = TeamEquipment(team=team, name=name.strip(), quantity=quantity, note=note.strip())
        line.full_clean()
        line.save()
        audit.record(actor=actor, verb="resources.team-add-equipment", target=team,
                     changes={"equipment": line.name, "quantity": quantity})
    return line


def add_agreement(*, actor, team: Team, starts_on: date, ends_on: date, scope: str,
                  enterprise=None) -> TeamAgreement:
    """Bind the team by agreement to the district (no enterprise) or to an enterprise in the actor's scope
    (708号令 Art. 10: a small enterprise's agreement with a nearby team)."""
    with transaction.atomic():
        team = _lock_team(actor, team, "add-agreement")
        if enterprise is not None:
            ensure_in_scope(actor, enterprise)
        if ends_on < starts_on:
            raise ValidationError({"ends_on": _("The agreement cannot end before it starts.")})
        agreement = TeamAgreement.objects.create(team=team, enterprise=enterprise, starts_on=starts_on,
                                                 ends_on=ends_on, scope=scope.strip())
        audit.record(actor=actor, verb="resources.team-add-agreement", target=team,
                     changes={"enterprise": enterprise.name if enterprise else None,
                              "term": [starts_on.isoformat(), ends_on.isoformat()]})
    return agreement


def update_team_rule(*, actor, rule: TeamKindRule, minimum_members: int | None, basis: str) -> TeamKindRule:
    """The bureau edits the minimum members of a kind of team."""
    if not actor.has_perm(CHANGE_RULE):
        raise PermissionDenied(_("You do not have permission to do this."))
    with transaction.atomic():
        rule = TeamKindRule.objects.select_for_update().get(pk=rule.pk)
        before = {"minimum_members": rule.minimum_members, "basis": rule.basis}
        rule.minimum_members, rule.basis = minimum_members, basis.strip()
        rule.save()
        audit.record(actor=actor, verb="resources.team-rule", target=rule,
                     changes=audit.diff(before, {"minimum_members": minimum_members, "basis": rule.basis}))
    return rule


# --- the catalogue ---------------------------------------------------------------------------------------------


def create_item(*, actor, name: str, category: str, unit: str, shelf_life_months: int | None = None,
                rotation_notice_days: int = 30) -> Item:
    if not actor.has_perm(CHANGE_ITEM):
        raise PermissionDenied(_("You do not have permission to do this."))
    with transaction.atomic():
        if Item.objects.filter(name=name.strip()).exists():
            raise ValidationError({"name": _("The catalogue already has an item of this name.")})
        item = Item.objects.create(name=name.strip(), category=category.strip(), unit=unit.strip(),
                                   shelf_life_months=shelf_life_months, rotation_notice_days=rotation_notice_days)
        audit.record(actor=actor, verb="resources.item-create", target=item,
                     changes={"category": item.category, "unit": item.unit})
    return item


# --- warehouses and stock --------------------------------------------------------------------------------------


def create_warehouse(*, actor, name: str, latitude: float, longitude: float, address: str = "",
                     keeper_name: str = "", keeper_phone: str = "", township=None, enterprise=None) -> Warehouse:
    with transaction.atomic():
        warehouse = _own(actor, Warehouse(name=name.strip(), latitude=latitude, longitude=longitude,
                                          address=address.strip(), keeper_name=keeper_name.strip(),
                                          keeper_phone=keeper_phone.strip()),
                         township=township, enterprise=enterprise, permission=MANAGE_WAREHOUSE)
        warehouse.full_clean()
        warehouse.save()
        audit.record(actor=actor, verb="resources.warehouse-create", target=warehouse,
                     changes={"owner": warehouse.owner_name})
    return warehouse


def _lock_warehouse(actor, warehouse: Warehouse, action: str) -> Warehouse:
    warehouse = Warehouse.objects.select_for_update().get(pk=warehouse.pk)
    ensure_in_scope(actor, warehouse)
    WAREHOUSE_WORKFLOW.ensure_may(actor, warehouse, action)
    return warehouse


def _locked_line(warehouse: Warehouse, item: Item, *, create: bool) -> StockLine | None:
    """The warehouse's line of ``item``, locked until the transaction ends (created empty when ``create``)."""
    if create:
        StockLine.objects.get_or_create(warehouse=warehouse, item=item, defaults={
            "latitude": warehouse.latitude, "longitude": warehouse.longitude})
    return StockLine.objects.select_for_update().filter(warehouse=warehouse, item=item).first()


def _receive(line: StockLine, parts, at) -> StockLine:
    """Add batches ``[(expiry or None, quantity)]`` to the locked line; the line shows the nearest expiry."""
    StockBatch.objects.bulk_create([StockBatch(line=line, quantity=quantity, expires_on=expiry, received_at=at)
                                    for expiry, quantity in parts])
    line.quantity += sum((quantity for _expiry, quantity in parts), Decimal(0))
    dated = [expiry for expiry, _quantity in parts if expiry is not None]
    if dated and (line.expires_on is None or min(dated) < line.expires_on):
        line.expires_on = min(dated)
    line.save(update_fields=["quantity", "expires_on"])
    return line


def _take(line: StockLine | None, quantity: Decimal, item: Item) -> tuple[StockLine, list]:
    """Take ``quantity`` off the line, earliest-expiring batches first (rotation, Shandong 应急保障条例 Art. 43),
    batches without expiry last; or refuse naming what is there (stock never goes negative). Returns the line
    and the parts taken ``[(expiry or None, quantity)]``. What a line holds beyond its batches (stock counted
    before batches were kept) leaves after them, without expiry."""
    held = line.quantity if line is not None else Decimal(0)
    if quantity > held:
        raise ValidationError({"quantity": _("Only %(held)s %(unit)s of %(item)s in stock: nothing was changed.")
                               % {"held": f"{held.normalize():f}", "unit": item.unit, "item": item.name}})
    batches = list(line.batches.select_for_update())
    parts, remaining, emptied = [], quantity, []
    for batch in batches:
        if not remaining:
            break
        part = min(batch.quantity, remaining)
        remaining -= part
        parts.append((batch.expires_on, part))
        batch.quantity -= part
        if batch.quantity:
            batch.save(update_fields=["quantity"])
        else:
            emptied.append(batch.pk)
    if emptied:
        StockBatch.objects.filter(pk__in=emptied).delete()
    if remaining:
        parts.append((None, remaining))
    line.quantity -= quantity
    left = [batch.expires_on for batch in batches if batch.quantity and batch.expires_on is not None]
    line.expires_on = min(left) if left else None
    line.save(update_fields=["quantity", "expires_on"])
    return line, parts


def _parts(parts) -> list:
    """The batches of a movement as the audit event records them."""
    return [[expiry.isoformat() if expiry else None, str(quantity)] for expiry, quantity in parts]


def _movement(*, actor, warehouse, item, kind, quantity, note="", incident="", other=None) -> StockMovement:
    return StockMovement.objects.create(warehouse=warehouse, item=item, kind=kind, quantity=quantity,
                                        other_warehouse=other, note=note.strip(), incident=incident,
                                        actor=actor if actor.is_authenticated else None, at=timezone.now())


def _record(actor, warehouse, verb, item, quantity, line, parts, **extra):
    audit.record(actor=actor, verb=verb, target=warehouse,
                 changes={"item": item.name, "quantity": str(quantity), "stock": str(line.quantity),
                          "batches": _parts(parts), **extra})


def stock_in(*, actor, warehouse: Warehouse, item: Item, quantity, expires_on: date | None = None,
             note: str = "") -> StockLine:
    """Receive a batch with its own expiry; the line shows the nearest expiry of what it holds."""
    quantity = _positive(quantity, "quantity")
    with transaction.atomic():
        warehouse = _lock_warehouse(actor, warehouse, "stock-in")
        line = _receive(_locked_line(warehouse, item, create=True), [(expires_on, quantity)], timezone.now())
        _movement(actor=actor, warehouse=warehouse, item=item, kind=MovementKind.IN, quantity=quantity, note=note)
        _record(actor, warehouse, "resources.stock-in", item, quantity, line, [(expires_on, quantity)])
    return line


def _out(*, actor, warehouse, item, quantity, note, action, kind, verb, incident="") -> StockLine:
    quantity = _positive(quantity, "quantity")
    with transaction.atomic():
        warehouse = _lock_warehouse(actor, warehouse, action)
        line, parts = _take(_locked_line(warehouse, item, create=False), quantity, item)
        _movement(actor=actor, warehouse=warehouse, item=item, kind=kind, quantity=quantity, note=note,
                  incident=incident)
        _record(actor, warehouse, verb, item, quantity, line, parts, **({"incident": incident} if incident else {}))
    return line


def stock_out(*, actor, warehouse: Warehouse, item: Item, quantity, note: str) -> StockLine:
    """Issue stock for use other than an incident (a drill, a loan), earliest-expiring first."""
    return _out(actor=actor, warehouse=warehouse, item=item, quantity=quantity, note=note, action="stock-out",
                kind=MovementKind.OUT, verb="resources.stock-out")


def dispatch_items(*, actor, warehouse: Warehouse, item: Item, quantity, note: str, incident=None) -> StockLine:
    """Send materials to an incident, earliest-expiring first; ``incident`` is the incidents app's opaque
    reference."""
    return _out(actor=actor, warehouse=warehouse, item=item, quantity=quantity, note=note, action="dispatch-items",
                kind=MovementKind.DISPATCH, verb="resources.dispatch-items",
                incident="" if incident is None else str(incident)[:64])


def scrap_stock(*, actor, warehouse: Warehouse, item: Item, quantity, note: str) -> StockLine:
    """Scrap stock at or past expiry or damaged (Art. 43), earliest-expiring first."""
    return _out(actor=actor, warehouse=warehouse, item=item, quantity=quantity, note=note, action="scrap",
                kind=MovementKind.SCRAP, verb="resources.scrap")


def transfer_stock(*, actor, warehouse: Warehouse, to_warehouse: Warehouse, item: Item, quantity,
                   note: str = "") -> StockLine:
    """Move stock to another warehouse in the actor's scope: two movements, both lines locked (in the order of
    their warehouses, so two opposite transfers never deadlock); the batches taken (earliest-expiring first)
    arrive with their expiries."""
    quantity = _positive(quantity, "quantity")
    if to_warehouse.pk == warehouse.pk:
        raise ValidationError({"to_warehouse": _("Choose another warehouse than this one.")})
    with transaction.atomic():
        locked = {w.pk: w for w in Warehouse.objects.select_for_update().filter(
            pk__in=[warehouse.pk, to_warehouse.pk]).order_by("pk")}
        for row in (warehouse, to_warehouse):
            ensure_in_scope(actor, locked.get(row.pk))
            WAREHOUSE_WORKFLOW.ensure_may(actor, locked[row.pk], "transfer")
        warehouse, target = locked[warehouse.pk], locked[to_warehouse.pk]
        lines = {w.pk: _locked_line(w, item, create=w.pk == target.pk) for w in (warehouse, target)}
        line, parts = _take(lines[warehouse.pk], quantity, item)
        _receive(lines[target.pk], parts, timezone.now())
        _movement(actor=actor, warehouse=warehouse, item=item, kind=MovementKind.TRANSFER_OUT, quantity=quantity,
                  note=note, other=target)
        _movement(actor=actor, warehouse=target, item=item, kind=MovementKind.TRANSFER_IN, quantity=quantity,
                  note=note, other=warehouse)
        _record(actor, warehouse, "resources.transfer", item, quantity, line, parts, to=target.name)
    return line


def set_minimum(*, actor, warehouse: Warehouse, item: Item, minimum) -> StockLine:
    """The minimum stock of an item in this warehouse (the reserve plan's quantity, Art. 42)."""
    if minimum is None or Decimal(minimum) < 0:
        raise ValidationError({"minimum": _("Give a minimum stock of 0 or more.")})
    with transaction.atomic():
        warehouse = _lock_warehouse(actor, warehouse, "set-minimum")
        line = _locked_line(warehouse, item, create=True)
        before = str(line.minimum)
        line.minimum = Decimal(minimum).quantize(CENT)
        line.save(update_fields=["minimum"])
        audit.record(actor=actor, verb="resources.set-minimum", target=warehouse,
                     changes={"item": item.name, "minimum": [before, str(line.minimum)]})
    return line


def close_warehouse(*, actor, warehouse: Warehouse, note: str) -> Warehouse:
    """Close an empty warehouse (its stock moved or scrapped first)."""
    with transaction.atomic():
        warehouse = _lock_warehouse(actor, warehouse, "close")
        if warehouse.stock.filter(quantity__gt=0).exists():
            raise ValidationError({"note": _("Move or scrap the stock before closing the warehouse.")})
        warehouse.state = WarehouseState.CLOSED
        warehouse.save(update_fields=["state"])
        audit.record(actor=actor, verb="resources.warehouse-close", target=warehouse, note=note,
                     changes={"state": [WarehouseState.OPEN, WarehouseState.CLOSED]})
    return warehouse



def import_stock(*, actor, rows) -> None:
    """Write the checked rows of a stock-list import (``imports.py``): per row, a batch received with its expiry
    (when the quantity is above 0) and the minimum stock (when given), as :func:`stock_in` and
    :func:`set_minimum` would, each warehouse locked (in id order) and checked again, one audit event per row.
    Runs inside the import's transaction (all-or-nothing)."""
    warehouses = {w.pk: w for w in Warehouse.objects.select_for_update().filter(
        pk__in=sorted({row.warehouse.pk for row in rows})).order_by("pk")}
    now, events = timezone.now(), []
    for row in rows:
        warehouse = warehouses.get(row.warehouse.pk)
        ensure_in_scope(actor, warehouse)
        WAREHOUSE_WORKFLOW.ensure_may(actor, warehouse, "stock-in")
        line = _locked_line(warehouse, row.item, create=True)
        changes = {"item": row.item.name, "import": True}
        if row.quantity:
            _receive(line, [(row.expires_on, row.quantity)], now)
            _movement(actor=actor, warehouse=warehouse, item=row.item, kind=MovementKind.IN, quantity=row.quantity,
                      note=_("Excel import"))
            changes.update(quantity=str(row.quantity), stock=str(line.quantity),
                           batches=_parts([(row.expires_on, row.quantity)]))
        if row.minimum is not None:
            changes["minimum"] = [str(line.minimum), str(row.minimum)]
            line.minimum = row.minimum
            line.save(update_fields=["minimum"])
        events.append(("resources.stock-in" if row.quantity else "resources.set-minimum", warehouse, changes, ""))
    audit.record_many(actor=actor, events=events)


# --- agreement and capacity reserves ---------------------------------------------------------------------------


def _reserve_lines(lines) -> list[tuple[Item, Decimal]]:
    """The items of a new reserve, each once, with a quantity above 0."""
    seen, checked = set(), []
    for line in lines:
        item = line["item"]
        if item.pk in seen:
            raise ValidationError({"lines": _("%(item)s is listed twice: give each item once.") % {"item": item.name}})
        seen.add(item.pk)
        checked.append((item, _positive(line["quantity"], "lines")))
    return checked


def create_reserve(*, actor, kind: str, supplier: str, contact_name: str, contact_phone: str, latitude: float,
                   longitude: float, response_hours: int, starts_on: date, ends_on: date, address: str = "",
                   note: str = "", township=None, lines=()) -> Reserve:
    """Record an agreement reserve (a supplier holds items for the district, Shandong 应急保障条例 Art. 45) or a
    capacity reserve (a producer's capacity per day, Art. 39, 42), with its items; the bureau's act. With a
    ``township``, the reserve is made for that township (its officers read it), else it is the district's."""
    if not actor.has_perm(MANAGE_RESERVE):
        raise PermissionDenied(_("You do not have permission to do this."))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The agreement cannot end before it starts.")})
    checked = _reserve_lines(lines)
    with transaction.atomic():
        reserve = Reserve(kind=kind, supplier=supplier.strip(), contact_name=contact_name.strip(),
                          contact_phone=contact_phone.strip(), address=address.strip(), latitude=latitude,
                          longitude=longitude, response_hours=response_hours, starts_on=starts_on, ends_on=ends_on,
                          note=note.strip(), township=township)
        reserve.full_clean()
        reserve.save()
        ReserveLine.objects.bulk_create([ReserveLine(reserve=reserve, item=item, quantity=quantity)
                                         for item, quantity in checked])
        audit.record(actor=actor, verb="resources.reserve-create", target=reserve,
                     changes={"kind": kind, "township": township.name if township else None,
                              "term": [starts_on.isoformat(), ends_on.isoformat()],
                              "items": {item.name: str(quantity) for item, quantity in checked}})
    return reserve


def _lock_reserve(actor, reserve: Reserve, action: str) -> Reserve:
    reserve = Reserve.objects.select_for_update().get(pk=reserve.pk)
    ensure_in_scope(actor, reserve)
    RESERVE_WORKFLOW.ensure_may(actor, reserve, action)
    return reserve


def set_reserve_item(*, actor, reserve: Reserve, item: Item, quantity) -> Reserve:
    """Set the quantity of an item of the reserve (held, or per day for a capacity reserve); 0 takes the item
    off."""
    if quantity is None or Decimal(quantity) < 0:
        raise ValidationError({"quantity": _("Give a quantity of 0 or more (0 takes the item off).")})
    quantity = Decimal(quantity).quantize(CENT)
    with transaction.atomic():
        reserve = _lock_reserve(actor, reserve, "set-item")
        line = reserve.lines.filter(item=item).first()
        before = str(line.quantity) if line else None
        if not quantity:
            if line is None:
                raise ValidationError({"item": _("%(item)s is not an item of this reserve.") % {"item": item.name}})
            line.delete()
        elif line is None:
            ReserveLine.objects.create(reserve=reserve, item=item, quantity=quantity)
        else:
            line.quantity = quantity
            line.save(update_fields=["quantity"])
        audit.record(actor=actor, verb="resources.reserve-set-item", target=reserve,
                     changes={"item": item.name, "quantity": [before, str(quantity) if quantity else None]})
    return reserve


def terminate_reserve(*, actor, reserve: Reserve, note: str) -> Reserve:
    """End the agreement before its term (the supplier can no longer perform): it stops counting at once."""
    with transaction.atomic():
        reserve = _lock_reserve(actor, reserve, "terminate")
        before = reserve.state
        reserve.state = RESERVE_WORKFLOW.ensure_allowed(before, "terminate")
        reserve.save(update_fields=["state"])
        audit.record(actor=actor, verb="resources.reserve-terminate", target=reserve, note=note,
                     changes={"state": [before, reserve.state]})
    return reserve


# --- the road network ------------------------------------------------------------------------------------------


def _may_manage_roads(actor) -> None:
    if not actor.has_perm(MANAGE_ROAD_NETWORK):
        raise PermissionDenied(_("You do not have permission to do this."))


def upload_road_network(*, actor, name: str, upload) -> RoadNetwork:
    """Read the bureau's GeoJSON roads (``roads.parse_geojson``: refused input stores nothing) and make them
    the active network, the one before (if any) deactivated in the same transaction; nearest dispatch ranks by
    travel distance through it from the next question on."""
    _may_manage_roads(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the network a name.")})
    parsed = roads.parse_geojson(roads.read_upload(upload))
    try:
        with transaction.atomic():
            replaced = list(RoadNetwork.objects.select_for_update().filter(active=True)
                            .values_list("pk", flat=True))
            RoadNetwork.objects.filter(pk__in=replaced).update(active=False)
            network = RoadNetwork.objects.create(
                name=name, graph=parsed.packed(), node_count=parsed.node_count, edge_count=parsed.edge_count,
                length_km=parsed.length_km, component_count=parsed.component_count,
                largest_component_share=parsed.largest_component_share, active=True, uploaded_by=actor,
                uploaded_at=timezone.now())
            audit.record(actor=actor, verb="resources.road-network-upload", target=network,
                         changes={"file": getattr(upload, "name", ""), "nodes": network.node_count,
                                  "edges": network.edge_count, "length_km": network.length_km,
                                  "largest_component_share": network.largest_component_share,
                                  "replaced": replaced})
    except IntegrityError:
        # Two uploads at once: the one-active constraint lets the first through.
        raise ValidationError({"file": _("Another road network was uploaded at the same moment: reload the page "
                                         "and try again.")}) from None
    return network


def deactivate_road_network(*, actor, network: RoadNetwork, note: str = "") -> RoadNetwork:
    """Stop using the network: nearest dispatch ranks by straight line again until another is uploaded."""
    _may_manage_roads(actor)
    with transaction.atomic():
        network = RoadNetwork.objects.select_for_update().get(pk=network.pk)
        if not network.active:
            raise InvalidTransition(state="inactive", action="deactivate", allowed=[],
                                    message=_("This road network is not in use."))
        network.active = False
        network.save(update_fields=["active"])
        audit.record(actor=actor, verb="resources.road-network-deactivate", target=network, note=note,
                     changes={"active": [True, False]})
    return network
