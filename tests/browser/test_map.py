"""The one map (一张图, issue 10) in a real browser, on a desk and on a phone, without any tile server: the
townships drawn as labelled areas, the layers toggled, clusters opened, a popup leading to the ledger page,
and Leaflet's zoom buttons titled in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from shouye.enterprises.models import Enterprise
from tests.factories import EnterpriseFactory

from .conftest import DESKTOP, PHONE

XIAOLI = "370113008"

pytestmark = pytest.mark.browser

#: A name as someone might type it: the popup must show it as text, never run it.
HOSTILE_NAME = '<img src=x onerror="window.__injected=1">马山测试化工'


def open_map(tab, username: str = "staff"):
    tab.sign_in(username)
    tab.open("map:index")
    expect(tab.page.get_by_test_id("map")).to_have_attribute("data-ready", "1")
    return tab.page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_map_draws_the_townships_and_the_enterprises_without_tiles(visit, settings, viewport):
    settings.SHOUYE_MAP_TILE_URL = ""
    tab = visit(viewport)
    page = open_map(tab)
    # no tile server: the ten townships are drawn, labelled, with the note that the outlines are approximate
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    expect(page.get_by_test_id("map")).to_have_attribute("data-outlines", "10")
    expect(page.locator(".township-label", has_text="马山镇")).to_be_visible()
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()
    expect(page.get_by_test_id("approximate-note")).to_have_text("街镇边界为示意边界，非精确。")
    # the zoom buttons speak Chinese
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "缩小")
    # the enterprises are on, clustered; the count says how many
    total = Enterprise.objects.exclude(status="closed").exclude(longitude=None).count()
    expect(page.locator('[data-count-for="enterprises"]')).to_have_text(str(total))
    expect(page.locator(".marker-cluster").first).to_be_visible()
    tab.shot("map")
    assert tab.errors == []


@pytest.fixture
def lone_target():
    """An enterprise of 孝里街道 named to inject script, the township's only open one (the layer leaves closed
    ones out: filtered to 孝里街道, the target is the one point, never inside a cluster whatever the zoom the page
    settles on). The browser tests share the demo district: afterwards it is as it was."""
    # Not 马山镇, where the other browser tests' enterprise account works (and leaves its alarms and hazards).
    xiaoli = Enterprise.objects.filter(township__code=XIAOLI).order_by("pk").first()
    target = EnterpriseFactory(name=HOSTILE_NAME, township=xiaoli.township, industry=xiaoli.industry,
                               longitude=xiaoli.longitude, latitude=xiaoli.latitude)
    others = Enterprise.objects.filter(township=xiaoli.township).exclude(pk=target.pk)
    statuses = dict(others.values_list("pk", "status"))
    others.update(status="closed")
    yield target
    for pk, status in statuses.items():
        Enterprise.objects.filter(pk=pk).update(status=status)
    target.delete()


def test_layers_toggle_and_a_popup_leads_to_the_ledger_page(visit, settings, lone_target):
    settings.SHOUYE_MAP_TILE_URL = ""
    target = lone_target
    tab = visit(DESKTOP)
    page = open_map(tab)
    # the inspections of this month are off at first; switched on, they are fetched and counted
    expect(page.locator('[data-count-for="inspections"]')).to_have_text("")
    page.locator("label[for=layer-inspections]").click()
    expect(page.locator('[data-count-for="inspections"]')).to_have_text(re.compile(r"^\d+$"))
    # the hazards layer switched off: no hazard point or count is left
    page.locator("label[for=layer-hazards]").click()
    expect(page.locator('[data-count-for="hazards"]')).to_have_text("")
    expect(page.locator(".map-point-hazards")).to_have_count(0)
    # a cluster clicked zooms in on its enterprises (the scale bar shortens)
    scale = page.locator(".leaflet-control-scale-line")
    before = scale.inner_text()
    page.locator(".marker-cluster").first.click()
    expect(scale).not_to_have_text(before)
    # filtered to 孝里街道, the lone enterprise's popup shows its name as text and leads to its ledger page
    page.locator("#map-township").select_option(XIAOLI)
    count = Enterprise.objects.filter(township__code=XIAOLI).exclude(status="closed").count()
    expect(page.locator('[data-count-for="enterprises"]')).to_have_text(str(count))
    page.locator(".leaflet-control-zoom-out").click()
    # the newest popup: the one closing fades out for a moment beside it
    popup = page.locator(".leaflet-popup-content .map-popup").last
    points = page.locator(".map-point-enterprises")
    expect(points.first).to_be_attached()
    for index in range(points.count()):
        points.nth(index).dispatch_event("click")
        expect(popup).to_be_visible()
        if popup.locator("strong").inner_text() == HOSTILE_NAME:
            break
    expect(popup.locator("strong")).to_have_text(HOSTILE_NAME)
    assert page.evaluate("() => window.__injected") is None
    tab.shot("popup")
    popup.get_by_test_id("popup-link").dispatch_event("click")  # the popup may still be panning into view
    expect(page).to_have_url(re.compile(rf"/enterprises/{target.pk}/$"))
    expect(page.locator("h1")).to_contain_text(HOSTILE_NAME)
    assert tab.errors == []


def test_a_township_officer_sees_only_its_township(visit, settings):
    settings.SHOUYE_MAP_TILE_URL = ""
    tab = visit(PHONE)
    page = open_map(tab, "mashan")
    options = page.locator("#map-township option").all_inner_texts()
    assert options[1:] == ["马山镇"]
    count = Enterprise.objects.filter(township__code="370113107").exclude(status="closed").count()
    expect(page.locator('[data-count-for="enterprises"]')).to_have_text(str(count))
    assert tab.errors == []
