"""The API and the pages: lists, the minimum-members check shown, acts with their refusals (400, 403, 404,
409) that change nothing, phones masked, nearest dispatch."""

from decimal import Decimal

import pytest

from shouye.resources import services
from shouye.resources.models import StockLine, Team
from tests.conftest import api_as, page_as

pytestmark = pytest.mark.django_db


def test_team_list_shows_the_shortfall(staff, team):
    response = page_as(staff, accept_language="zh-hans").get("/resources/teams/")
    body = response.content.decode()
    assert response.status_code == 200
    assert team.name in body and "人数不足：应至少 20 人" in body
    data = api_as(staff).get("/api/v1/rescue-teams/").json()
    assert data["results"][0]["short_of"] == 20 if "results" in data else data[0]["short_of"] == 20


def test_team_acts_through_the_api(cast, staff, team):
    client = api_as(staff)
    answer = client.post(f"/api/v1/rescue-teams/{team.pk}/add-member/", {"name": "张伟", "phone": "13812345678"},
                         format="json")
    assert answer.status_code == 200 and answer.json()["member_count"] == 1
    assert client.post(f"/api/v1/rescue-teams/{team.pk}/deploy/", {"note": "火情", "incident": "I-1"},
                       format="json").json()["readiness"] == "deployed"
    refused = client.post(f"/api/v1/rescue-teams/{team.pk}/deploy/", {"note": "again"}, format="json")
    assert refused.status_code == 409
    assert api_as(cast["users"]["township_officer"]).get(f"/api/v1/rescue-teams/{team.pk}/").status_code == 404
    leader = api_as(cast["users"]["leader"])
    assert leader.post(f"/api/v1/rescue-teams/{team.pk}/add-member/", {"name": "x"},
                       format="json").status_code == 403
    member = leader.get(f"/api/v1/rescue-teams/{team.pk}/").json()["members"][0]
    assert member["phone"] != "13812345678"
    assert Team.objects.get(pk=team.pk).member_count == 1


def test_team_page_and_create(staff, team):
    client = page_as(staff, accept_language="zh-hans")
    assert client.get(f"/resources/teams/{team.pk}/").status_code == 200
    answer = client.post("/resources/teams/new/", {"name": "新队", "kind": "volunteer", "duty_phone": "13800000000",
                                                   "latitude": "36.5", "longitude": "116.7"})
    assert answer.status_code == 302
    assert client.post("/resources/teams/new/", {"name": "坏", "kind": "volunteer", "duty_phone": "x",
                                                 "latitude": "99", "longitude": "116.7"}).status_code == 400
    assert client.post(f"/resources/teams/{team.pk}/return/", {"return-note": ""}).status_code == 409


def test_stock_through_the_api(staff, warehouse, item):
    client = api_as(staff)
    refused = client.post(f"/api/v1/warehouses/{warehouse.pk}/dispatch-items/",
                          {"item": item.pk, "quantity": "101", "note": "抢险"}, format="json")
    assert refused.status_code == 400 and "quantity" in refused.json()
    done = client.post(f"/api/v1/warehouses/{warehouse.pk}/dispatch-items/",
                       {"item": item.pk, "quantity": "40", "note": "抢险", "incident": "I-9"}, format="json")
    assert done.status_code == 200 and done.json()["stock"][0]["quantity"] == "60.00"
    assert StockLine.objects.get().quantity == Decimal(60)
    listed = client.get("/api/v1/warehouses/").json()
    assert listed["results"][0]["keeper_phone"] if "results" in listed else listed[0]["keeper_phone"]


def test_warehouse_pages(staff, warehouse, item):
    client = page_as(staff, accept_language="zh-hans")
    services.set_minimum(actor=staff, warehouse=warehouse, item=item, minimum=Decimal(500))
    assert 'data-testid="below-minimum"' in client.get("/resources/warehouses/").content.decode()
    assert client.get(f"/resources/warehouses/{warehouse.pk}/").status_code == 200
    answer = client.post(f"/resources/warehouses/{warehouse.pk}/stock-out/",
                         {"stock-out-item": item.pk, "stock-out-quantity": "1000", "stock-out-note": "x"})
    assert answer.status_code == 400
    assert client.get("/resources/items/").status_code == 200


def test_nearest_api_and_page(cast, staff, team, warehouse, item):
    client = api_as(staff)
    answer = client.get("/api/v1/resources/nearest/", {"lat": 36.55, "lng": 116.75, "items": f"{item.pk}:10"})
    assert answer.status_code == 200
    data = answer.json()
    assert data["ranked_by"] == "straight_line"
    assert data["teams"][0]["id"] == team.pk and data["warehouses"][0]["covers_all"] is True
    assert client.get("/api/v1/resources/nearest/", {"lat": 100, "lng": 116}).status_code == 400
    assert client.get("/api/v1/resources/nearest/", {"lat": 36, "lng": 116, "items": "999999:1"}).status_code == 400
    officer = api_as(cast["users"]["township_officer"]).get("/api/v1/resources/nearest/", {"lat": 36.55, "lng": 116.75})
    assert officer.json()["teams"] == []
    body = page_as(staff, accept_language="zh-hans").get("/resources/nearest/", {"lat": 36.55, "lng": 116.75, "item": item.pk,
                                                      "quantity": "5"}).content.decode()
    assert team.name in body and warehouse.name in body


def test_enterprise_ledger_panel(cast, staff):
    owner = cast["users"]["enterprise_user"]
    team = services.create_team(actor=owner, name="企业应急队", kind="enterprise", latitude=36.5, longitude=116.7,
                                duty_phone="13800000000", enterprise=cast["inside"])
    body = page_as(owner, accept_language="zh-hans").get(f"/enterprises/{cast['inside'].pk}/").content.decode()
    assert 'data-testid="resources-panel"' in body and team.name in body
