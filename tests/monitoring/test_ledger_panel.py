"""Alarm handling quality on the enterprise's ledger page (issue 13), the alarms layer of the one map and the
cockpit's alarm panels."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shouye.core.registry import MapFilters, map_layers
from shouye.enterprises.models import Industry, Tag
from shouye.monitoring.choices import AlarmLevel, Disposition
from shouye.monitoring.models import Alarm
from tests.factories import EnterpriseFactory

from . import kit
from .kit_live import handled, monitored, offline

pytestmark = pytest.mark.django_db


def _ledger(user, enterprise) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def handling(cast):
    """马山 ``inside``: acknowledgements after 2, 4 and 30 min (deadline 10: one missed), one false and one real
    closed, one alarm still open, one of 31 days ago (left out), one point offline."""
    point, camera = monitored(cast["inside"], "in")
    now = timezone.now()
    handled(kit.point(point.gateway, code="A"), now - timedelta(days=2), ack_minutes=2,
            disposition=Disposition.FALSE, level=AlarmLevel.RED)
    handled(kit.point(point.gateway, code="B"), now - timedelta(days=1), ack_minutes=4,
            disposition=Disposition.REAL, level=AlarmLevel.ORANGE)
    handled(kit.point(point.gateway, code="C"), now - timedelta(hours=3), ack_minutes=30, level=AlarmLevel.ORANGE)
    handled(kit.point(point.gateway, code="D"), now - timedelta(days=31), ack_minutes=1, disposition="real")
    Alarm.objects.update(ack_due_by=F("raised_at") + timedelta(minutes=10))
    offline(point)
    return point


def test_the_panel_shows_the_last_30_days_handling_quality(cast, handling):
    page = _ledger(cast["users"]["township_officer"], cast["inside"])
    panel = page.split('data-testid="alarms-panel"')[1].split('data-testid="alarms-panel-statistics"')[0]
    assert 'data-testid="alarms-panel-total">3<' in panel and 'data-testid="alarms-panel-open"' in panel
    assert 'data-level="orange">' in panel and "2</span>" in panel.split('data-level="orange">')[1][:20]
    assert 'data-figure="ack">4.0 / 24.8<' in panel  # p90 of 2, 4, 30: 4 + 0.8 × 26
    assert 'data-figure="missed">1<' in panel and 'data-figure="offline">1<' in panel
    assert "50.0% (1/2)" in panel
    assert f'{reverse("monitoring:statistics")}?enterprise={cast["inside"].pk}' in page


def test_the_panel_concerns_chemical_and_major_hazard_enterprises(cast, handling):
    assert 'data-testid="alarms-panel"' not in _ledger(cast["users"]["bureau_staff"], cast["outside"])
    tagged = EnterpriseFactory(industry=Industry.objects.get(code="industry_trade"))
    tagged.tags.add(Tag.objects.get(code="mhi"))
    page = _ledger(cast["users"]["bureau_staff"], tagged)
    assert 'data-testid="alarms-panel-total">0<' in page


def test_the_enterprise_user_sees_its_panel_without_the_bureaus_link(cast, handling):
    page = _ledger(cast["users"]["enterprise_user"], cast["inside"])
    assert 'data-testid="alarms-panel-total">3<' in page and 'data-testid="alarms-panel-statistics"' not in page


def test_the_map_layer_places_active_alarms_by_level(cast):
    point, camera = monitored(cast["inside"], "in")
    type(point).objects.filter(pk=point.pk).update(longitude="116.61", latitude="36.51")
    red = kit.alarm(point_row=point, level=AlarmLevel.RED)
    video = kit.alarm(camera_row=camera, level=AlarmLevel.BLUE)
    kit.alarm(point_row=kit.point(point.gateway, code="Z"), state="closed", disposition="real")
    other, _ = monitored(cast["outside"], "out")
    kit.alarm(point_row=other)
    layer = map_layers.layers["alarms"]
    points = layer.points(cast["users"]["township_officer"], MapFilters(), 100)
    assert [p.id for p in points] == [red.pk, video.pk]
    assert (points[0].lng, points[0].lat, points[0].css_class) == (116.61, 36.51, "red")
    inside = cast["inside"]
    assert (points[1].lng, points[1].lat) == (float(inside.longitude), float(inside.latitude))
    assert len(layer.points(cast["users"]["bureau_staff"], MapFilters(), 100)) == 3
    assert len(layer.points(cast["users"]["bureau_staff"], MapFilters(), 1)) == 1
    assert not layer.shown_to(cast["users"]["enterprise_user"])


def test_the_cockpit_panels(cast):
    point, camera = monitored(cast["inside"], "in")
    kit.alarm(point_row=point, level=AlarmLevel.RED, raised_at=timezone.now() - timedelta(days=2))
    kit.alarm(camera_row=camera, level=AlarmLevel.YELLOW)
    other, _ = monitored(cast["outside"], "out")
    kit.alarm(point_row=other, level=AlarmLevel.RED)
    offline(point)
    client = Client()
    client.force_login(cast["users"]["township_officer"])
    body = client.get("/cockpit/data/").json()
    kpis = {kpi["key"]: kpi["value"] for kpi in body["kpis"]}
    assert (kpis["alarms-active"], kpis["alarms-overdue"], kpis["points-offline"]) == (2, 1, 1)  # the red one of two days ago is past its deadline
    active = next(panel for panel in body["panels"] if panel["key"] == "alarms-active")["option"]
    by_level = {series["name"]: series["data"] for series in active["series"]}
    assert by_level[str(AlarmLevel.RED.label)] == [1] and by_level[str(AlarmLevel.YELLOW.label)] == [1]
    days = next(panel for panel in body["panels"] if panel["key"] == "alarms-per-day")["option"]
    totals = [sum(values) for values in zip(*(series["data"] for series in days["series"]), strict=True)]
    assert len(totals) == 30 and totals[-1] == 1 and totals[-3] == 1 and sum(totals) == 2
