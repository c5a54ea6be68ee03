"""The Content-Security-Policy in real Chromium (issue 9, defect 12): the home page with its charts, the
ledger page with its map and tiles from the configured tile server, a hazard, the calculators and the API
docs work under the policy, and the browser reports no violation on any of them. What used to be inline —
a select that submits its form, a row's remove button, progress widths — works from static files."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from shouye.accounts.models import Membership
from shouye.enterprises.models import Enterprise
from tests.hazards.conftest import make_hazard

pytestmark = pytest.mark.browser

#: A tile server of its own host (answered by the test, never the network), as SHOUYE_MAP_TILE_URL names one.
TILE_HOST = "http://tiles.shouye.test"
#: Records every violation the page reports; Playwright's init scripts run outside the page's policy.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                              + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


def png_tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 240)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def watched(visit, settings):
    """A signed-in desktop tab whose policy violations (events and console messages) are collected, with
    the map tiles of TILE_HOST served by the test."""
    settings.SHOUYE_MAP_TILE_URL = f"{TILE_HOST}/{{z}}/{{x}}/{{y}}.png"
    tab = visit()
    tab.console = []
    tab.page.add_init_script(RECORD_VIOLATIONS)
    tab.page.on("console", lambda message: tab.console.append(message.text)
                if "Content Security Policy" in message.text else None)
    tile = png_tile()
    tab.tiles = []

    def serve_tile(route):
        tab.tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=tile)

    tab.page.route(f"{TILE_HOST}/**", serve_tile)
    return tab


def violations(tab) -> list[str]:
    return tab.page.evaluate("() => window.__cspViolations") + tab.console


def test_no_policy_violation_on_home_map_hazard_calculators_and_api_docs(watched):
    tab, page = watched, watched.page
    tab.sign_in("staff")
    assert violations(tab) == []

    # Home: the charts draw, a tooltip shows, and the year picker submits its form (was onchange=).
    charts = page.locator("[data-chart]")
    expect(page.locator("[data-chart] canvas")).to_have_count(charts.count())
    charts.first.hover()
    year = page.locator("#hazard-year")
    last_year = str(timezone.localdate().year - 1)
    year.select_option(last_year)
    expect(page).to_have_url(re.compile(rf"hazard_year={last_year}"))
    expect(page.locator("#hazard-year")).to_have_value(last_year)
    expect(page.locator("[data-chart] canvas")).to_have_count(charts.count())
    tab.shot("01-home")
    assert violations(tab) == [], "home"

    # The ledger page: the map, its tiles from the tile server in settings, the pin and its popup.
    enterprise = Membership.objects.get(user__username="qiye").enterprise
    page.goto(f"/enterprises/{enterprise.pk}/")
    expect(page.locator("#map .leaflet-marker-icon")).to_be_visible()
    expect(page.locator("#map img.leaflet-tile-loaded").first).to_be_visible()
    assert tab.tiles and all(url.startswith(TILE_HOST) for url in tab.tiles)
    page.locator("#map .leaflet-marker-icon").click()
    expect(page.locator(".leaflet-popup-content")).to_have_text(enterprise.name)
    tab.shot("02-map")
    assert violations(tab) == [], "map"

    # A hazard.
    hazard = make_hazard(enterprise)
    page.goto(f"/hazards/{hazard.pk}/")
    expect(page.get_by_test_id("hazard-description")).to_be_visible()
    tab.shot("03-hazard")
    assert violations(tab) == [], "hazard"

    # The calculators: htmx adds and removes a substance row (was hx-on:click).
    page.goto("/calculators/")
    form = page.get_by_test_id("major-hazard-form")
    rows = form.locator(".substance-row")
    expect(rows.first).to_be_visible()
    before = rows.count()
    form.locator("button[name=add_row]").click()
    expect(rows).to_have_count(before + 1)
    rows.last.locator("[data-remove-row]").click()
    expect(rows).to_have_count(before)
    tab.shot("04-calculators")
    assert violations(tab) == [], "calculators"

    # The API docs (Swagger UI from our own static files).
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    tab.shot("05-api-docs")
    assert violations(tab) == [], "api docs"
    assert tab.errors == []


def test_an_enterprise_name_is_text_in_the_map_popup(watched):
    """Leaflet inserts a string popup as HTML; the name an enterprise typed must stay text."""
    enterprise = Membership.objects.get(user__username="qiye").enterprise
    name = '演示<img src="/static/x.png" class="injected">企业'
    Enterprise.objects.filter(pk=enterprise.pk).update(name=name)
    watched.sign_in("staff")
    watched.page.goto(f"/enterprises/{enterprise.pk}/")
    watched.page.locator("#map .leaflet-marker-icon").click()
    popup = watched.page.locator(".leaflet-popup-content")
    expect(popup).to_have_text(name)
    expect(popup.locator("img")).to_have_count(0)
    assert violations(watched) == []
