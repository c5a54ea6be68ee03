"""The one map (一张图, issue 10): the page, each registered layer's GeoJSON within the user's scope and the
filters, the township outlines drawn without a tile server, and queries that do not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shouye.dashboards import maps
from shouye.enterprises.demo import TOWNSHIP_CENTRES
from shouye.enterprises.models import Industry, SupervisionGrade
from shouye.hazards.models import Hazard
from shouye.inspections.models import Inspection
from tests.conftest import page_as
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

MAP_ROLES = ("bureau_admin", "bureau_staff", "leader", "township_officer", "department_officer")


def layer(client, key: str, **params) -> dict:
    response = client.get(f"/map/layers/{key}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def names(collection: dict) -> set[str]:
    return {feature["properties"]["name"] for feature in collection["features"]}


def hazard(enterprise, description: str, **fields) -> Hazard:
    return Hazard.objects.create(enterprise=enterprise, township=enterprise.township, industry=enterprise.industry,
                                 description=description, source="inspection", found_at=timezone.now(), **fields)


def inspection(cast, enterprise, subject: str, when) -> Inspection:
    return Inspection.objects.create(kind="routine", enterprise=enterprise, township_id=enterprise.township_id,
                                     industry_id=enterprise.industry_id, inspected_at=when, subject=subject,
                                     created_by=cast["users"]["bureau_staff"])


# --- the page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MAP_ROLES)
def test_officers_and_the_bureau_open_the_map_from_the_menu(cast, role):
    client = page_as(cast["users"][role])
    assert 'href="/map/"' in client.get("/").content.decode()
    page = client.get("/map/").content.decode()
    assert 'data-layer="enterprises"' in page and 'data-layer="hazards"' in page
    assert "街镇边界为示意边界，非精确。" in page
    assert 'data-zoom-in="放大"' in page and 'data-zoom-out="缩小"' in page


@pytest.mark.parametrize("role", ["enterprise_user", "expert", "nobody"])
def test_enterprise_users_and_experts_have_no_map(cast, role):
    client = page_as(cast["users"][role])
    assert 'href="/map/"' not in client.get("/").content.decode()
    assert client.get("/map/").status_code == 403
    assert client.get("/map/layers/enterprises/").status_code == 403
    assert client.get("/map/townships/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(cast):
    response = Client().get("/map/layers/enterprises/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_zoom_buttons_follow_the_page_language(cast):
    client = Client(headers={"accept-language": "en"})
    client.force_login(cast["users"]["bureau_staff"])
    assert 'data-zoom-in="Zoom in"' in client.get("/map/").content.decode()
    ledger = page_as(cast["users"]["bureau_staff"]).get(f"/enterprises/{cast['inside'].pk}/").content.decode()
    assert 'data-zoom-in="放大"' in ledger and 'data-zoom-out="缩小"' in ledger


def test_a_township_officer_is_offered_only_its_township(cast):
    page = page_as(cast["users"]["township_officer"]).get("/map/").content.decode()
    assert '<option value="370113107">马山镇</option>' in page
    assert "孝里街道" not in page


# --- the layers ---------------------------------------------------------------------------------------------


def test_each_role_gets_the_enterprises_of_its_scope(cast):
    everyone = {cast[key].name for key in ("inside", "building", "outside")}
    assert names(layer(page_as(cast["users"]["bureau_staff"]), "enterprises")) == everyone
    assert names(layer(page_as(cast["users"]["leader"]), "enterprises")) == everyone
    assert names(layer(page_as(cast["users"]["township_officer"]), "enterprises")) == {cast["inside"].name}
    assert names(layer(page_as(cast["users"]["department_officer"]), "enterprises")) == {cast["building"].name}


def test_an_enterprise_point_is_a_geojson_point_coloured_by_grade_with_its_ledger_link(cast):
    inside = cast["inside"]
    inside.supervision_grade = SupervisionGrade.objects.get(code="D")
    inside.save()
    collection = layer(page_as(cast["users"]["township_officer"]), "enterprises")
    assert collection["type"] == "FeatureCollection" and collection["truncated"] is False
    assert collection["link"] == "/enterprises/{id}/"
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [116.56, 36.515]}
    assert feature["properties"] == {"id": inside.pk, "name": inside.name, "class": "D", "detail": ""}


def test_enterprises_without_a_location_or_closed_are_not_drawn(cast):
    EnterpriseFactory(name="无坐标企业", longitude=None, latitude=None)
    EnterpriseFactory(name="已注销企业", status="closed")
    assert names(layer(page_as(cast["users"]["bureau_staff"]), "enterprises")).isdisjoint({"无坐标企业", "已注销企业"})


def test_open_hazards_are_drawn_major_ones_emphasised_closed_ones_not(cast):
    inside, outside = cast["inside"], cast["outside"]
    major = hazard(inside, "储罐区可燃气体报警器失效", level="major")
    overdue = hazard(inside, "消防通道堵塞", deadline=timezone.localdate() - timedelta(days=3), state="rectifying")
    hazard(inside, "已整改完毕的隐患", state="closed")
    hazard(outside, "孝里的隐患")
    collection = layer(page_as(cast["users"]["township_officer"]), "hazards")
    classes = {f["properties"]["id"]: f["properties"]["class"] for f in collection["features"]}
    assert classes == {major.pk: "major", overdue.pk: "overdue"}
    assert collection["link"] == "/hazards/{id}/"
    details = {f["properties"]["detail"] for f in collection["features"]}
    assert details == {"储罐区可燃气体报警器失效", "消防通道堵塞"}


def test_the_inspections_layer_holds_this_months_inspections(cast):
    now = timezone.localtime()
    this_month = inspection(cast, cast["inside"], "本月检查", now)
    inspection(cast, cast["inside"], "上月检查", now.replace(day=1) - timedelta(days=2))
    collection = layer(page_as(cast["users"]["bureau_staff"]), "inspections")
    assert [f["properties"]["id"] for f in collection["features"]] == [this_month.pk]
    assert collection["features"][0]["properties"]["detail"].endswith("本月检查")
    assert collection["link"] == "/inspections/{id}/"


def test_filters_by_township_and_industry(cast):
    client = page_as(cast["users"]["bureau_staff"])
    xiaoli = {cast["building"].name, cast["outside"].name}
    assert names(layer(client, "enterprises", township="370113008")) == xiaoli
    assert names(layer(client, "enterprises", industry="construction")) == {cast["building"].name}
    assert names(layer(client, "enterprises", township="370113107", industry="construction")) == set()


@pytest.mark.parametrize("params, field, message", [
    ({"township": "999999999"}, "township", "街镇代码不存在或不在您的范围内：999999999。"),
    ({"industry": "no-such-industry"}, "industry", "行业代码不存在或不在您的范围内：no-such-industry。"),
])
def test_an_invalid_filter_is_refused_with_a_message(cast, params, field, message):
    response = page_as(cast["users"]["bureau_staff"]).get("/map/layers/hazards/", params)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_a_township_officer_cannot_ask_for_another_township(cast):
    client = page_as(cast["users"]["township_officer"])
    response = client.get("/map/layers/enterprises/", {"township": "370113008"})
    assert response.status_code == 400 and "township" in response.json()
    # nor a department officer for an industry of another department
    response = page_as(cast["users"]["department_officer"]).get("/map/layers/enterprises/",
                                                                    {"industry": "hazardous_chemicals"})
    assert response.status_code == 400 and "industry" in response.json()


def test_a_layer_over_the_cap_says_so_and_asks_for_a_filter(cast, monkeypatch):
    monkeypatch.setattr(maps, "MAX_POINTS", 2)
    collection = layer(page_as(cast["users"]["bureau_staff"]), "enterprises")
    assert collection["truncated"] is True and len(collection["features"]) == 2
    assert collection["message"] == "企业：仅显示前 2 个点位。请选择街镇或行业以查看全部。"
    assert layer(page_as(cast["users"]["bureau_staff"]), "enterprises", township="370113107")["truncated"] is False


# --- query counts -------------------------------------------------------------------------------------------


def queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def grow(cast, count: int) -> None:
    """``count`` more enterprises in each of the cast's townships, each with an open major hazard and an
    inspection this month."""
    for township_key in ("inside", "outside"):
        for n in range(count):
            enterprise = EnterpriseFactory(township=cast[township_key].township,
                                           industry=Industry.objects.get(code="construction"))
            hazard(enterprise, f"隐患{n}", level="major")
            inspection(cast, enterprise, f"检查{n}", timezone.now())


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer", "department_officer"])
def test_queries_do_not_grow_with_the_data(cast, role):
    client = page_as(cast["users"][role])
    urls = ["/map/", "/map/townships/"] + [f"/map/layers/{key}/" for key in ("enterprises", "hazards", "inspections")]
    grow(cast, 1)
    client.get("/map/")  # the first request of a session reads what later ones find cached
    small = {url: queries(client, url) for url in urls}
    filtered_small = queries(client, "/map/layers/hazards/", township="370113107", industry="construction")
    grow(cast, 30)
    large = {url: queries(client, url) for url in urls}
    filtered_large = queries(client, "/map/layers/hazards/", township="370113107", industry="construction")
    assert small == large
    assert filtered_small == filtered_large
    assert max(large.values()) <= 8


# --- the township outlines ------------------------------------------------------------------------------------


def inside_polygon(lng: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray casting: whether the point is inside the ring."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat) and lng < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_the_ten_townships_are_drawn_as_labelled_approximate_areas(cast):
    outlines = page_as(cast["users"]["township_officer"]).get("/map/townships/").json()
    assert outlines["approximate"] is True
    by_code = {f["properties"]["code"]: f for f in outlines["features"]}
    assert set(by_code) == set(TOWNSHIP_CENTRES)
    assert by_code["370113107"]["properties"]["name"] == "马山镇"
    for code, (lng, lat) in TOWNSHIP_CENTRES.items():
        feature = by_code[code]
        assert feature["properties"]["approximate"] is True
        ring = feature["geometry"]["coordinates"][0]
        # the township's centre, and every place the demo puts its enterprises (centre ± 0.015°), lie in its
        # own outline and in no other
        for dx, dy in ((0, 0), (0.015, 0.015), (-0.015, 0.015), (0.015, -0.015), (-0.015, -0.015)):
            holders = [other for other, f in by_code.items()
                       if inside_polygon(lng + dx, lat + dy, f["geometry"]["coordinates"][0])]
            assert holders == [code], (code, dx, dy)
        assert ring[0] == ring[-1]
