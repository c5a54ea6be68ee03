"""Nearest dispatch: ranking by straight-line distance, ready teams only, kinds, items and coverage, scope."""

from decimal import Decimal

import pytest

from shouye.resources import services
from shouye.resources.choices import TeamKind
from shouye.resources.nearest import haversine_km, nearest

pytestmark = pytest.mark.django_db


def test_haversine():
    # One degree of latitude is about 111.2 km.
    assert abs(haversine_km(36.0, 116.0, 37.0, 116.0) - 111.2) < 0.2
    assert haversine_km(36.5, 116.7, 36.5, 116.7) == 0


def test_ranks_ready_teams_and_warehouses_holding_the_items(cast, staff, item, mashan):
    make = lambda name, lat, kind=TeamKind.SOCIAL: services.create_team(  # noqa: E731
        actor=staff, name=name, kind=kind, latitude=lat, longitude=116.7, duty_phone="13800000000")
    near = make("近", 36.51)
    make("远", 36.7, TeamKind.FIRE_BRIGADE)
    make("很远", 37.9)
    services.dispatch_team(actor=staff, team=near, note="已派出")
    answer = nearest(staff, lat=36.5, lng=116.7, limit=5)
    assert answer["ranked_by"] == "straight_line"
    assert [t["name"] for t in answer["teams"]] == ["远", "很远"]
    assert [t["name"] for t in nearest(staff, lat=36.5, lng=116.7, kinds=["fire_brigade"])["teams"]] == ["远"]
    assert len(nearest(staff, lat=36.5, lng=116.7, limit=1)["teams"]) == 1

    empty = services.create_warehouse(actor=staff, name="空库", latitude=36.5, longitude=116.7)
    holding = services.create_warehouse(actor=staff, name="有货", latitude=36.6, longitude=116.7)
    little = services.create_warehouse(actor=staff, name="少量", latitude=36.52, longitude=116.7, township=mashan)
    services.stock_in(actor=staff, warehouse=holding, item=item, quantity=Decimal(50))
    services.stock_in(actor=staff, warehouse=little, item=item, quantity=Decimal(5))
    found = nearest(staff, lat=36.5, lng=116.7, items={item.pk: Decimal(20)})["warehouses"]
    assert [(w["name"], w["covers_all"]) for w in found] == [("少量", False), ("有货", True)]
    assert found[1]["items"] == [{"item": item.pk, "needed": Decimal(20), "available": Decimal(50)}]
    assert [w["name"] for w in nearest(staff, lat=36.5, lng=116.7)["warehouses"]][0] == empty.name
    officer = cast["users"]["township_officer"]
    assert [w["name"] for w in nearest(officer, lat=36.5, lng=116.7, items={item.pk: 1})["warehouses"]] == ["少量"]
