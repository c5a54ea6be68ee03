"""Nearest dispatch by road (issue 14): a small hand-made district cut by a river with one bridge far to the east,
where the straight-line nearest team is the farthest by road; a team on roads the rest does not reach; the
stopping rule of the widening search; the upload of a network (page and API) with every refusal storing
nothing; deactivation; who may do it."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.resources import roads, services
from shouye.resources.choices import TeamKind
from shouye.resources.models import RoadNetwork
from shouye.resources.nearest import nearest
from tests.conftest import api_as, page_as

pytestmark = pytest.mark.django_db

SOUTH, NORTH, ISLAND = 36.545, 36.555, 36.600
#: The point asked about, on the south bank.
POINT = (SOUTH, 116.700)
#: 1.1 km north of the point, across the river: 5.4 km east to the bridge, over it, and 5.4 km back west.
ACROSS = (NORTH, 116.700)
#: 2.2 km east of the point on its own bank: just outside the first search circle (2 km), nearest by road.
ALONG = (SOUTH, 116.7246)
#: 6.1 km north, on a road of its own that joins nothing.
ISLANDED = (ISLAND, 116.700)


def line(*points):
    return {"type": "Feature", "properties": {"oneway": "yes"},
            "geometry": {"type": "LineString", "coordinates": [[lng, lat] for lat, lng in points]}}


def river_roads() -> dict:
    """Two roads along the banks, one bridge at 116.76 E, and a road on an island of its own."""
    return {"type": "FeatureCollection", "features": [
        line((SOUTH, 116.69), (SOUTH, 116.70), (SOUTH, 116.7246), (SOUTH, 116.76), (SOUTH, 116.77)),
        line((NORTH, 116.69), (NORTH, 116.70), (NORTH, 116.76), (NORTH, 116.77)),
        {"type": "Feature", "properties": {"name": "大桥"}, "geometry": {
            "type": "MultiLineString", "coordinates": [[[116.76, SOUTH], [116.76, NORTH]]]}},
        line((ISLAND, 116.69), (ISLAND, 116.70), (ISLAND, 116.71)),
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [116.7, 36.5]}},
    ]}


def geojson(document, name="roads.geojson") -> SimpleUploadedFile:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, data, content_type="application/geo+json")


@pytest.fixture
def admin(cast):
    return cast["users"]["bureau_admin"]


@pytest.fixture
def network(admin):
    return services.upload_road_network(actor=admin, name="长清区路网", upload=geojson(river_roads()))


@pytest.fixture
def teams(staff):
    def make(name, point):
        return services.create_team(actor=staff, name=name, kind=TeamKind.SOCIAL, latitude=point[0],
                                    longitude=point[1], duty_phone="13800000000")
    return {"across": make("河北队", ACROSS), "along": make("河南队", ALONG), "island": make("岛上队", ISLANDED)}


def test_the_parsed_network(network):
    """Vertices shared by two lines are one node; the point feature is skipped; the island is a part apart."""
    assert (network.node_count, network.edge_count, network.component_count) == (12, 10, 2)
    assert network.largest_component_share == round(9 / 12, 4)
    assert 17.0 < network.length_km < 17.3
    assert network.active


def test_ranks_by_road_with_the_straight_line_kept(staff, network, teams):
    answer = nearest(staff, lat=POINT[0], lng=POINT[1], limit=5)
    assert answer["ranked_by"] == "road"
    ranked = [(t["name"], t["distance_km"], t["travel_km"]) for t in answer["teams"]]
    assert [name for name, _d, _t in ranked] == ["河南队", "河北队", "岛上队"]
    along, across, island = ranked
    assert along[1] == pytest.approx(2.2, abs=0.01) and along[2] == pytest.approx(along[1], abs=0.01)
    assert across[1] == pytest.approx(1.11, abs=0.01) and across[2] == pytest.approx(11.9, abs=0.1)
    assert island[2] is None  # another connected part: after every team reachable by road


def test_a_candidate_just_outside_the_first_circle_but_nearer_by_road_wins(staff, network, teams):
    """The first circle (2 km) holds only the team across the river; it must not stop there, since its road
    distance (11.9 km) exceeds the circle's radius and the team 2.2 km along the bank is nearer by road."""
    assert [t["name"] for t in nearest(staff, lat=POINT[0], lng=POINT[1], limit=1)["teams"]] == ["河南队"]


def test_straight_line_without_an_active_network(admin, staff, network, teams):
    services.deactivate_road_network(actor=admin, network=network)
    answer = nearest(staff, lat=POINT[0], lng=POINT[1], limit=5)
    assert answer["ranked_by"] == "straight_line"
    assert [t["name"] for t in answer["teams"]] == ["河北队", "河南队", "岛上队"]
    assert {t["travel_km"] for t in answer["teams"]} == {None}


def test_warehouses_and_sources_by_road_through_the_api_and_the_page(staff, item, network):
    for name, point in (("河北仓库", ACROSS), ("河南仓库", ALONG)):
        warehouse = services.create_warehouse(actor=staff, name=name, latitude=point[0], longitude=point[1])
        services.stock_in(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(50))
    data = api_as(staff).get("/api/v1/resources/nearest/", {"lat": POINT[0], "lng": POINT[1],
                                                           "items": f"{item.pk}:10"}).json()
    assert data["ranked_by"] == "road"
    assert [w["name"] for w in data["warehouses"]] == ["河南仓库", "河北仓库"]
    assert [w["name"] for w in data["sources"]] == ["河南仓库", "河北仓库"]
    assert data["sources"][1]["travel_km"] == pytest.approx(11.9, abs=0.1)
    body = page_as(staff, accept_language="zh-hans").get("/resources/nearest/", {"lat": POINT[0], "lng": POINT[1], "item": item.pk}
                              ).content.decode()
    assert "按路网道路距离排序" in body and f"{data['sources'][1]['travel_km']:.2f}" in body and "直线 1.11" in body


def test_agreement_suppliers_by_road_and_the_unconnected_last(staff, item, network):
    """The suppliers are ranked through their own shortest-path trees: the one across the river after the one
    along the bank, the one on the island last (no travel distance), though its straight line (6.1 km) is
    shorter than the road to the one across (11.9 km)."""
    today = timezone.localdate()
    for name, point in (("河北供应商", ACROSS), ("河南供应商", ALONG), ("岛上供应商", (ISLAND, 116.701))):
        services.create_reserve(actor=staff, kind="agreement", supplier=name, contact_name="联系人",
                                contact_phone="13800000000", latitude=point[0], longitude=point[1],
                                response_hours=4, starts_on=today, ends_on=today + timedelta(days=30),
                                lines=[{"item": item, "quantity": Decimal(10)}])
    answer = nearest(staff, lat=POINT[0], lng=POINT[1], items={item.pk: Decimal(5)})
    ranked = [(s["name"], s["travel_km"]) for s in answer["suppliers"]]
    assert [name for name, _km in ranked] == ["河南供应商", "河北供应商", "岛上供应商"]
    assert ranked[1][1] == pytest.approx(11.9, abs=0.1) and ranked[2][1] is None
    assert [s["name"] for s in answer["sources"]] == ["河南供应商", "河北供应商", "岛上供应商"]


def test_the_graph_is_cached_per_network_and_upload(admin, network, django_assert_max_num_queries):
    graph = roads.active_graph()
    with django_assert_max_num_queries(1):
        assert roads.active_graph() is graph
    replaced = services.upload_road_network(actor=admin, name="新路网", upload=geojson(river_roads()))
    assert roads.active_graph() is not graph
    services.deactivate_road_network(actor=admin, network=replaced)
    assert roads.active_graph() is None


# --- uploads ---------------------------------------------------------------------------------------------------


OUTSIDE_CHINA = {"type": "FeatureCollection", "features": [line((116.70, 36.5), (116.71, 36.5))]}  # swapped
REFUSALS = [
    (b"\xff\xfe not json", "不是 JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "不是 JSON"),
    ({"type": "Feature", "geometry": None}, "不是 GeoJSON FeatureCollection"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
        "type": "Point", "coordinates": [116.7, 36.5]}}]}, "没有道路"),
    ({"type": "FeatureCollection", "features": [line((36.5, 116.7), (36.5, 116.7))]}, "没有道路"),
    (OUTSIDE_CHINA, "第 1 个要素有坐标点超出中国范围"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
        "type": "LineString", "coordinates": [[116.7, "36.5"], [116.71, 36.5]]}}]}, "坐标格式不正确"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "LineString", '
     b'"coordinates": [[1' + b"0" * 400 + b', 36.5], [116.7, 36.5]]}}]}', "坐标格式不正确"),
    ({"type": "FeatureCollection", "features": [line((float("nan"), 116.7), (36.5, 116.7))]}, "超出中国范围"),
]


@pytest.mark.parametrize("document, message", REFUSALS)
def test_every_refused_upload_stores_nothing(admin, document, message):
    answer = api_as(admin).post("/api/v1/road-networks/", {"name": "坏路网", "file": geojson(document)},
                                format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert message in " ".join(answer.json()["file"])
    assert not RoadNetwork.objects.exists()
    assert not AuditEvent.objects.filter(verb="resources.road-network-upload").exists()


def test_too_large_a_file_or_too_many_nodes_is_refused(admin, settings, network):
    client = page_as(admin, accept_language="zh-hans")
    settings.SHOUYE_ROAD_NETWORK_MAX_BYTES = 1024 * 1024
    big = geojson(b" " * (1024 * 1024 + 1))
    answer = client.post("/resources/road-networks/", {"name": "大文件", "file": big})
    assert answer.status_code == 400 and "文件超过 1 MB" in answer.content.decode()
    settings.SHOUYE_ROAD_NETWORK_MAX_BYTES = 50 * 1024 * 1024
    settings.SHOUYE_ROAD_NETWORK_MAX_NODES = 5
    answer = client.post("/resources/road-networks/", {"name": "节点多", "file": geojson(river_roads())})
    assert answer.status_code == 400 and "路网节点超过 5 个" in answer.content.decode()
    assert list(RoadNetwork.objects.values_list("name", "active")) == [("长清区路网", True)]


def test_upload_replace_and_deactivate_on_the_page(admin, staff, teams):
    client = page_as(admin, accept_language="zh-hans")
    assert "当前未使用路网" in client.get("/resources/road-networks/").content.decode()
    answer = client.post("/resources/road-networks/", {"name": "第一版", "file": geojson(river_roads())})
    assert answer.status_code == 302
    page = client.get("/resources/road-networks/").content.decode()
    assert "第一版" in page and "75%" in page and 'data-testid="deactivate"' in page
    first = RoadNetwork.objects.get(name="第一版")
    assert client.post("/resources/road-networks/", {"name": "第二版", "file": geojson(river_roads())}
                       ).status_code == 302
    first.refresh_from_db()
    second = RoadNetwork.objects.get(active=True)
    assert second.name == "第二版" and not first.active
    upload = AuditEvent.objects.get(verb="resources.road-network-upload", target_id=str(second.pk))
    assert upload.actor == admin and upload.changes["replaced"] == [first.pk]
    assert upload.changes["nodes"] == 12

    assert client.post(f"/resources/road-networks/{second.pk}/deactivate/").status_code == 302
    assert not RoadNetwork.objects.filter(active=True).exists()
    assert AuditEvent.objects.filter(verb="resources.road-network-deactivate", target_id=str(second.pk)).exists()
    assert nearest(staff, lat=POINT[0], lng=POINT[1])["ranked_by"] == "straight_line"
    again = client.post(f"/resources/road-networks/{second.pk}/deactivate/")
    assert again.status_code == 409 and "该路网未在使用中" in again.content.decode()


def test_at_most_one_network_is_active(network):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoadNetwork.objects.create(name="第二个", graph=b"", node_count=2, edge_count=1, length_km=1,
                                   component_count=1, largest_component_share=1, active=True,
                                   uploaded_at=timezone.now())


def test_the_api_lists_and_uploads(admin, network):
    client = api_as(admin)
    listed = client.get("/api/v1/road-networks/").json()
    rows = listed["results"] if "results" in listed else listed
    assert [(r["name"], r["node_count"], r["active"]) for r in rows] == [("长清区路网", 12, True)]
    made = client.post("/api/v1/road-networks/", {"name": "API 路网", "file": geojson(river_roads())},
                       format="multipart")
    assert made.status_code == 201 and made.json()["active"] is True
    assert list(RoadNetwork.objects.filter(active=True).values_list("name", flat=True)) == ["API 路网"]


@pytest.mark.parametrize("role", ["township_officer", "bureau_staff", "leader"])
def test_only_the_bureau_administrator_manages_the_network(cast, network, role):
    user = cast["users"][role]
    assert page_as(user, accept_language="zh-hans").get("/resources/road-networks/").status_code == 403
    assert page_as(user, accept_language="zh-hans").post("/resources/road-networks/", {"name": "越权", "file": geojson(river_roads())}
                              ).status_code == 403
    assert page_as(user, accept_language="zh-hans").post(f"/resources/road-networks/{network.pk}/deactivate/").status_code == 403
    client = api_as(user)
    assert client.get("/api/v1/road-networks/").status_code == 403
    assert client.post("/api/v1/road-networks/", {"name": "越权", "file": geojson(river_roads())},
                       format="multipart").status_code == 403
    assert list(RoadNetwork.objects.values_list("name", "active")) == [("长清区路网", True)]
    assert 'href="/resources/road-networks/"' not in page_as(user, accept_language="zh-hans").get("/resources/teams/").content.decode()


def test_the_administrator_finds_the_page_among_the_resources_tabs(admin):
    assert 'href="/resources/road-networks/"' in page_as(admin, accept_language="zh-hans").get("/resources/teams/").content.decode()


def test_the_incident_page_shows_the_travel_distance(cast, staff, network, teams):
    from shouye.incidents import services as incidents
    from tests.incidents.conftest import intake

    incident = incidents.report_incident(actor=staff, enterprise=cast["inside"], **intake(
        latitude=Decimal(str(POINT[0])), longitude=Decimal(str(POINT[1]))))
    across = next(t for t in nearest(staff, lat=POINT[0], lng=POINT[1])["teams"] if t["name"] == "河北队")
    body = page_as(staff, accept_language="zh-hans").get(f"/incidents/{incident.pk}/").content.decode()
    assert "距事件的道路距离" in body and f"{across['travel_km']:.1f} km" in body


def test_the_incidents_forces_api_answers_the_travel_distance(cast, staff, network, teams):
    from shouye.incidents import services as incidents
    from tests.incidents.conftest import intake

    incident = incidents.report_incident(actor=staff, enterprise=cast["inside"], **intake(
        latitude=Decimal(str(POINT[0])), longitude=Decimal(str(POINT[1]))))
    expected = nearest(staff, lat=POINT[0], lng=POINT[1])["teams"]
    answer = api_as(staff).get(f"/api/v1/incidents/{incident.pk}/forces/").json()
    assert answer["ranked_by"] == "road"
    assert [(t["name"], t["travel_km"]) for t in answer["teams"]] == [(t["name"], t["travel_km"]) for t in expected]
    assert all(t["travel_km"] >= t["distance_km"] for t in answer["teams"] if t["travel_km"] is not None)
