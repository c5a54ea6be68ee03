"""Monitoring points through the API and the pages (issue 13): validation in the user's language, GB/T 50493
defaults for gas detectors, the status row, audit, scope and query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.monitoring.models import MinuteAggregate, MonitoringPoint, PointStatus, Reading

from . import kit
from .kit_config import api_for, page_for, point_body

pytestmark = pytest.mark.django_db

POINTS = "/api/v1/monitoring-points/"


@pytest.fixture
def gw(cast):
    return kit.gateway(cast["inside"])


def test_an_enterprise_user_adds_a_point_with_its_status_row_and_an_audit_event(cast, gw):
    response = api_for(cast, "enterprise_user").post(POINTS, point_body(gw.pk), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["enterprise"] == cast["inside"].pk and data["condition"] == "normal" and data["value"] is None
    assert data["setpoints_from_standard"] is False
    point = MonitoringPoint.objects.get(pk=data["id"])
    assert PointStatus.objects.filter(point=point).exists()
    event = AuditEvent.objects.get(verb="monitoring.point.create", target_id=str(point.pk))
    assert event.changes["fields"]["high_high"] == 2.0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"range_min": 3}, "range_max", "量程上限必须大于量程下限"),
        ({"high": 2.2}, "high_high", "高高报设定值必须高于高报设定值"),
        ({"high_high": 3.0}, "high_high", "超出量程"),
        ({"low": 0.5, "low_low": 0.5}, "low", "低报设定值必须高于低低报设定值"),
        ({"low": 1.7}, "high", "高报设定值必须高于低报设定值"),
        ({"dead_band": 0.4}, "dead_band", "死区必须小于高报与高高报设定值之差"),
        ({"dead_band": -0.1}, "dead_band", "死区不能为负"),
        ({"expected_interval_seconds": 0}, "expected_interval_seconds", "至少为1秒"),
    ],
)
def test_a_point_out_of_order_is_refused_in_chinese_and_nothing_is_written(cast, gw, fields, field, message):
    client = api_for(cast, "enterprise_user")
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(POINTS, point_body(gw.pk, **fields), format="json")
    assert response.status_code == 400
    assert any(message in text for text in response.json()[field]), response.json()
    assert not MonitoringPoint.objects.exists() and not AuditEvent.objects.filter(verb__startswith="monitoring.")
    assert not PointStatus.objects.exists()


def test_a_dead_band_just_below_the_gap_and_setpoints_on_the_range_ends_are_accepted(cast, gw):
    body = point_body(gw.pk, low_low=0, low=0.2, high=2.3, high_high=2.5, dead_band=0.19)
    assert api_for(cast, "enterprise_user").post(POINTS, body, format="json").status_code == 201


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": "combustible", "range_max": 100}, {"unit": "%LEL", "high": 25, "high_high": 50}),
        ({"kind": "oxygen", "range_max": 30}, {"unit": "%VOL", "high": 23.5, "low": 19.5, "high_high": None}),
        ({"kind": "toxic", "range_max": 100, "oel_mg_m3": 10}, {"unit": "mg/m3", "high": 10, "high_high": 20}),
        # 硫化氢: OEL (MAC) 10 mg/m³, IDLH 141 mg/m³; a 0–15 mg/m³ detector cannot reach 2 × OEL.
        ({"kind": "toxic", "range_max": 15, "oel_mg_m3": 10, "idlh_mg_m3": 141},
         {"unit": "mg/m3", "high": 7.05, "high_high": 14.1}),
    ],
)
def test_a_gas_detector_without_setpoints_takes_gb_t_50493s(cast, gw, fields, expected):
    body = point_body(gw.pk, unit=None, high=None, high_high=None, **fields)
    response = api_for(cast, "enterprise_user").post(POINTS, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["setpoints_from_standard"] is True
    for key, value in expected.items():
        assert data[key] == pytest.approx(value) if value is not None else data[key] is None, key
    assert AuditEvent.objects.get(verb="monitoring.point.create").note == "GB/T 50493-2019 5.5.2"


def test_a_toxic_detector_with_a_short_range_and_no_idlh_says_what_is_missing(cast, gw):
    client = api_for(cast, "enterprise_user")
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = point_body(gw.pk, kind="toxic", unit=None, high=None, high_high=None, range_max=15, oel_mg_m3=10)
    response = client.post(POINTS, body, format="json")
    assert response.status_code == 400
    assert "IDLH" in response.json()["idlh_mg_m3"][0] and "GB/T 50493" in response.json()["idlh_mg_m3"][0]


def test_a_gas_detector_in_another_unit_must_be_given_its_setpoints(cast, gw):
    body = point_body(gw.pk, kind="combustible", unit="ppm", high=None, high_high=None, range_max=1000)
    response = api_for(cast, "enterprise_user").post(POINTS, body, format="json")
    assert response.status_code == 400 and "unit" in response.json()


def test_the_point_form_explains_the_defaults_and_the_page_says_where_they_came_from(cast, gw):
    client = page_for(cast, "enterprise_user")
    form = client.get(reverse("monitoring:point-create"))
    assert form.status_code == 200 and "GB/T 50493-2019第5.5.2条" in form.content.decode()
    response = client.post(reverse("monitoring:point-create"), {
        "gateway": gw.pk, "code": "GT-1", "name": "罐区可燃气体", "kind": "combustible", "unit": "",
        "range_min": 0, "range_max": 100, "expected_interval_seconds": 5, "dead_band": 0, "delay_seconds": 0,
        "offline_after_intervals": 3, "stuck_after_readings": 0}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "已按GB/T 50493-2019第5.5.2条" in text and "罐区可燃气体" in text
    point = MonitoringPoint.objects.get(code="GT-1")
    assert (point.high, point.high_high, point.unit) == (25, 50, "%LEL")


def test_the_form_shows_validation_in_chinese(cast, gw):
    response = page_for(cast, "enterprise_user").post(reverse("monitoring:point-create"), {
        "gateway": gw.pk, "code": "PT-9", "name": "压力", "kind": "pressure", "unit": "MPa", "range_min": 0,
        "range_max": 2.5, "high": 2.1, "high_high": 2.0, "expected_interval_seconds": 10, "dead_band": 0,
        "delay_seconds": 0, "offline_after_intervals": 3, "stuck_after_readings": 0})
    assert response.status_code == 400
    assert "高高报设定值必须高于高报设定值" in response.content.decode()


def test_editing_and_deactivating_a_point_are_audited(cast, gw):
    point = kit.point(gw)
    client = api_for(cast, "enterprise_user")
    response = client.patch(f"{POINTS}{point.pk}/", {"high": 1.8}, format="json")
    assert response.status_code == 200 and response.json()["high"] == 1.8
    assert AuditEvent.objects.get(verb="monitoring.point.edit").changes == {"high": [1.6, 1.8]}
    assert client.post(f"{POINTS}{point.pk}/deactivate/").json()["is_active"] is False
    assert AuditEvent.objects.filter(verb="monitoring.point.deactivate").count() == 1
    assert client.post(f"{POINTS}{point.pk}/deactivate/").status_code == 400


def test_supervisors_read_points_but_only_configurers_write(cast, gw):
    point = kit.point(gw)
    staff = api_for(cast, "bureau_staff")
    assert staff.get(f"{POINTS}{point.pk}/").status_code == 200
    assert staff.patch(f"{POINTS}{point.pk}/", {"high": 1.7}, format="json").status_code == 403
    assert api_for(cast, "bureau_admin").patch(f"{POINTS}{point.pk}/", {"high": 1.7}, format="json").status_code == 200
    assert api_for(cast, "nobody").get(POINTS).status_code == 403


def test_scope_an_enterprise_user_and_a_township_officer_see_their_own(cast):
    mine = kit.point(kit.gateway(cast["inside"], code="gw-in"), code="IN-1", name="本企业测点")
    theirs = kit.point(kit.gateway(cast["outside"], code="gw-out"), code="OUT-1", name="外企业测点")
    for role, seen in (("enterprise_user", {mine.pk}), ("township_officer", {mine.pk}),
                       ("bureau_staff", {mine.pk, theirs.pk})):
        client = api_for(cast, role)
        assert {row["id"] for row in client.get(POINTS).json()["results"]} == seen, role
        page = page_for(cast, role).get(reverse("monitoring:points")).content.decode()
        assert ("外企业测点" in page) is (theirs.pk in seen), role
    client = api_for(cast, "enterprise_user")
    assert client.get(f"{POINTS}{theirs.pk}/").status_code == 404
    assert client.post(POINTS, point_body(theirs.gateway_id), format="json").status_code == 400
    assert page_for(cast, "township_officer").get(reverse("monitoring:point", args=[theirs.pk])).status_code == 404


def test_filters_by_kind_condition_and_offline(cast, gw):
    hot = kit.point(gw, code="T-1", kind="temperature", unit="℃", range_max=200, high=150, high_high=180)
    cold = kit.point(gw, code="P-1")
    PointStatus.objects.filter(point=hot).update(condition="h", value=160)
    PointStatus.objects.filter(point=cold).update(is_offline=True)
    client = api_for(cast, "bureau_staff")
    ids = lambda query: {row["id"] for row in client.get(POINTS, query).json()["results"]}  # noqa: E731
    assert ids({"kind": "temperature"}) == {hot.pk}
    assert ids({"condition": "h"}) == {hot.pk}
    assert ids({"offline": "true"}) == {cold.pk}
    assert ids({"enterprise": cast["inside"].pk}) == {hot.pk, cold.pk}
    assert client.get(POINTS, {"condition": "bad"}).status_code == 400


def test_lists_take_a_fixed_number_of_queries(cast):
    def count(n):
        for i in range(n):
            kit.point(kit.gateway(cast["inside"], code=f"gw-{n}-{i}"), code=f"Q-{i}")
        client = page_for(cast, "bureau_staff")
        api = api_for(cast, "bureau_staff")
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("monitoring:points")).status_code == 200
        with CaptureQueriesContext(connection) as listing:
            assert api.get(POINTS).status_code == 200
        with CaptureQueriesContext(connection) as gateways:
            assert client.get(reverse("monitoring:gateways")).status_code == 200
        return len(page), len(listing), len(gateways)
    count(1)  # the first requests fill the caches (permissions, content types)
    assert count(2) == count(6)


def test_readings_span_is_bounded_and_downsampled(cast, gw):
    point = kit.point(gw)
    now = timezone.now().replace(microsecond=0)
    Reading.objects.bulk_create([Reading(point=point, measured_at=now - timedelta(seconds=10 * i), value=1 + i / 100)
                                 for i in range(30)])
    MinuteAggregate.objects.create(point=point, minute=now - timedelta(days=3), count=6, minimum=1, maximum=2,
                                   total=9)
    client = api_for(cast, "enterprise_user")
    url = f"{POINTS}{point.pk}/readings/"
    raw = client.get(url, {"from": (now - timedelta(minutes=10)).isoformat(), "to": (now + timedelta(seconds=1))
                           .isoformat()}).json()
    assert raw["resolution"] == "raw" and len(raw["readings"]) == 30
    minute = client.get(url, {"from": (now - timedelta(hours=2)).isoformat(), "to": now.isoformat()}).json()
    assert minute["resolution"] == "minute" and 5 <= len(minute["readings"]) <= 6
    hour = client.get(url, {"from": (now - timedelta(days=7)).isoformat(), "to": now.isoformat()}).json()
    assert hour["resolution"] == "hour" and hour["readings"][0]["value"] == 1.5
    too_long = client.get(url, {"from": (now - timedelta(days=93)).isoformat(), "to": now.isoformat()})
    assert too_long.status_code == 400 and "to" in too_long.json()
    assert client.get(url, {"from": now.isoformat(), "to": (now - timedelta(hours=1)).isoformat()}).status_code == 400
    assert client.get(url).status_code == 400


def test_the_point_page_shows_config_latest_value_trend_and_alarms(cast, gw):
    point = kit.point(gw, name="反应釜压力")
    now = timezone.now()
    PointStatus.objects.filter(point=point).update(value=1.23, measured_at=now, condition="h")
    Reading.objects.bulk_create([Reading(point=point, measured_at=now - timedelta(minutes=i), value=1.2)
                                 for i in range(5)])
    kit.alarm(point_row=point)
    text = page_for(cast, "enterprise_user").get(reverse("monitoring:point", args=[point.pk])).content.decode()
    assert "反应釜压力" in text and "1.23" in text and 'data-point-trend="point-trend"' in text
    assert "<script>" not in text.replace('<script type="application/json"', "")
    assert 'data-testid="point-alarms"' in text and "高高报" in text
