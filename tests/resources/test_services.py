"""The services: ownership and scope, readiness through the workflow (403, 409), stock that never goes negative,
transfers, dispatch with the incident's reference, the minimum-members check, all audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition, NotInScope
from shouye.resources import selectors, services
from shouye.resources.choices import MovementKind, Readiness, TeamKind
from shouye.resources.models import StockLine, StockMovement, Team, TeamKindRule

pytestmark = pytest.mark.django_db


def test_owners_by_role(cast, mashan, xiaoli):
    users = cast["users"]
    officer = services.create_team(actor=users["township_officer"], name="马山镇救援队", kind=TeamKind.SOCIAL,
                                   latitude=36.5, longitude=116.6, duty_phone="13800000000", township=mashan)
    assert officer.township == mashan and officer.enterprise is None
    own = services.create_team(actor=users["enterprise_user"], name="企业队", kind=TeamKind.ENTERPRISE,
                               latitude=36.5, longitude=116.6, duty_phone="13800000000", enterprise=cast["inside"])
    assert (own.township_id, own.industry_id) == (cast["inside"].township_id, cast["inside"].industry_id)
    with pytest.raises(PermissionDenied):
        services.create_team(actor=users["township_officer"], name="x", kind=TeamKind.SOCIAL, latitude=36.5,
                             longitude=116.6, duty_phone="13800000000", township=xiaoli)
    with pytest.raises(PermissionDenied):
        services.create_team(actor=users["enterprise_user"], name="x", kind=TeamKind.SOCIAL, latitude=36.5,
                             longitude=116.6, duty_phone="13800000000")
    with pytest.raises(NotInScope):
        services.create_team(actor=users["enterprise_user"], name="x", kind=TeamKind.ENTERPRISE, latitude=36.5,
                             longitude=116.6, duty_phone="13800000000", enterprise=cast["outside"])
    with pytest.raises(PermissionDenied):
        services.create_team(actor=users["expert"], name="x", kind=TeamKind.ENTERPRISE, latitude=36.5,
                             longitude=116.6, duty_phone="13800000000", enterprise=cast["inside"])
    assert Team.objects.count() == 2
    assert set(Team.objects.visible_to(users["township_officer"])) == {officer, own}
    assert list(Team.objects.visible_to(users["enterprise_user"])) == [own]


@pytest.mark.parametrize(("start", "action", "allowed"), [
    (Readiness.READY, "deploy", True), (Readiness.READY, "return", False), (Readiness.READY, "stand-down", True),
    (Readiness.DEPLOYED, "deploy", False), (Readiness.DEPLOYED, "return", True),
    (Readiness.DEPLOYED, "stand-down", True), (Readiness.STOOD_DOWN, "deploy", False),
    (Readiness.STOOD_DOWN, "return", True), (Readiness.STOOD_DOWN, "stand-down", False),
])
def test_readiness_table(staff, team, start, action, allowed):
    Team.objects.filter(pk=team.pk).update(readiness=start)
    team.refresh_from_db()
    service = {"deploy": services.dispatch_team, "return": services.return_team,
               "stand-down": services.stand_down_team}[action]
    events = AuditEvent.objects.count()
    if allowed:
        service(actor=staff, team=team, note="n")
        team.refresh_from_db()
        assert team.readiness != start
        assert AuditEvent.objects.count() == events + 1
    else:
        with pytest.raises(InvalidTransition):
            service(actor=staff, team=team, note="n")
        team.refresh_from_db()
        assert team.readiness == start and AuditEvent.objects.count() == events


def test_dispatch_keeps_the_incident_and_needs_the_permission(cast, staff, team, mashan):
    officer = cast["users"]["township_officer"]
    with pytest.raises(NotInScope):
        services.dispatch_team(actor=officer, team=team, note="x")
    own = services.create_team(actor=officer, name="马山镇队", kind=TeamKind.SOCIAL, latitude=36.5, longitude=116.6,
                               duty_phone="13800000000", township=mashan)
    with pytest.raises(PermissionDenied):
        services.dispatch_team(actor=officer, team=own, note="x")
    services.dispatch_team(actor=staff, team=team, note="火情", incident="INC-42")
    team.refresh_from_db()
    assert (team.readiness, team.incident) == (Readiness.DEPLOYED, "INC-42")
    event = AuditEvent.objects.filter(verb="resources.team-deploy").get()
    assert event.changes["incident"] == "INC-42"


def test_minimum_members_rule(cast, staff, team):
    minimums = selectors.minimum_members()
    assert minimums["repair_power"] == 20 and "volunteer" not in minimums
    for n in range(19):
        services.add_member(actor=staff, team=team, name=f"队员{n}", phone="13812345678")
    team.refresh_from_db()
    assert selectors.shortfall(team, minimums) == 20
    services.add_member(actor=staff, team=team, name="队员19")
    team.refresh_from_db()
    assert team.member_count == 20 and selectors.shortfall(team, minimums) is None
    rule = TeamKindRule.objects.get(kind="repair_power")
    services.update_team_rule(actor=cast["users"]["bureau_admin"], rule=rule, minimum_members=25, basis="区政府通知")
    assert selectors.shortfall(team, selectors.minimum_members()) == 25


def test_stock_never_goes_negative(staff, warehouse, item):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.stock_out(actor=staff, warehouse=warehouse, item=item, quantity=Decimal("100.01"), note="领用")
    assert "100" in str(refused.value.message_dict["quantity"])
    with pytest.raises(ValidationError):
        services.scrap_stock(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(0), note="x")
    assert StockLine.objects.get().quantity == 100 and AuditEvent.objects.count() == events
    services.dispatch_items(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(100), note="抢险",
                            incident="INC-7")
    line = StockLine.objects.get()
    assert line.quantity == 0
    movement = StockMovement.objects.get(kind=MovementKind.DISPATCH)
    assert (movement.incident, movement.quantity) == ("INC-7", 100)


def test_transfer_moves_stock_and_expiry(staff, warehouse, item, mashan):
    soon = timezone.localdate() + timedelta(days=10)
    services.stock_in(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(5), expires_on=soon, note="")
    other = services.create_warehouse(actor=staff, name="马山仓库", latitude=36.4, longitude=116.6, township=mashan)
    services.transfer_stock(actor=staff, warehouse=warehouse, to_warehouse=other, item=item, quantity=Decimal(30))
    lines = {line.warehouse_id: line for line in StockLine.objects.all()}
    assert lines[warehouse.pk].quantity == 75 and lines[other.pk].quantity == 30
    assert lines[other.pk].expires_on == soon and lines[other.pk].expiring(timezone.localdate())
    assert StockMovement.objects.filter(kind__in=[MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN]).count() == 2
    with pytest.raises(ValidationError):
        services.transfer_stock(actor=staff, warehouse=warehouse, to_warehouse=warehouse, item=item, quantity=1)


def test_below_minimum_and_closing(staff, warehouse, item):
    services.set_minimum(actor=staff, warehouse=warehouse, item=item, minimum=Decimal(150))
    assert selectors.warehouses(staff).get(pk=warehouse.pk).below_minimum == 1
    with pytest.raises(ValidationError):
        services.close_warehouse(actor=staff, warehouse=warehouse, note="撤并")
    services.scrap_stock(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(100), note="过期报废")
    services.close_warehouse(actor=staff, warehouse=warehouse, note="撤并")
    with pytest.raises(InvalidTransition):
        services.stock_in(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(1))


def test_township_officer_cannot_touch_the_districts_warehouse(cast, warehouse, item):
    with pytest.raises(NotInScope):
        services.stock_out(actor=cast["users"]["township_officer"], warehouse=warehouse, item=item, quantity=1,
                           note="x")
