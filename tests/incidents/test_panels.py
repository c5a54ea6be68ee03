"""The map layer of active incidents and the cockpit panel (issue 14)."""

from decimal import Decimal

import pytest

from shouye.incidents import services
from tests.conftest import page_as

pytestmark = pytest.mark.django_db


def test_active_incidents_on_the_map_within_scope(cast, staff, accident):
    from .conftest import intake

    placed = services.report_incident(actor=staff, enterprise=cast["outside"], latitude=Decimal("36.5"),
                                      longitude=Decimal("116.8"), **intake(title="孝里管道泄漏"))
    services.close_incident(actor=staff, incident=accident, summary="完毕")
    collection = page_as(staff).get("/map/layers/incidents/").json()
    names = {feature["properties"]["name"] for feature in collection["features"]}
    assert "孝里管道泄漏" in names and "储罐区闪爆" not in names
    officer = page_as(cast["users"]["township_officer"]).get("/map/layers/incidents/").json()
    assert "孝里管道泄漏" not in str(officer)
    assert placed.township == cast["outside"].township


def test_the_cockpit_panel_lists_active_incidents_and_overdue_clocks(cast, staff, accident, clock):
    from datetime import timedelta

    clock.shift(timedelta(minutes=45))
    body = page_as(staff).get("/cockpit/data/").json()
    panel = next(p for p in body["panels"] if p["key"] == "incidents-active")
    assert "储罐区闪爆" in panel["rows"][0]["text"]
    kpis = {k["key"]: k["value"] for k in body["kpis"]}
    assert kpis["incidents-active"] == 1 and kpis["incidents-clocks-overdue"] == 1
