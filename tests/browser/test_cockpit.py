"""The cockpit (驾驶舱, issue 10) in Chromium: on the duty room's 1920×1080 screen every chart draws, the whole
cockpit fits the screen, and it refreshes its figures from the server without reloading; on a phone the panels
stack at the screen's width; no script error and no policy violation on either."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shouye.enterprises.models import Enterprise
from shouye.hazards.choices import HazardLevel, HazardState
from tests.browser.conftest import PHONE
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.hazards.conftest import make_hazard

pytestmark = pytest.mark.browser

DUTY_ROOM = {"width": 1920, "height": 1080}
#: At least the charts of the first cockpit (issue 10); each app that registers a chart panel adds one.
MIN_CHARTS = 7


def expect_every_chart_drawn(page) -> None:
    """Every chart box of the page holds its drawn canvas (lists and KPI panels have no chart box)."""
    boxes = page.locator(".cockpit-chart")
    expect(boxes.first).to_be_attached()
    assert boxes.count() >= MIN_CHARTS
    expect(page.locator(".cockpit-chart canvas")).to_have_count(boxes.count())


def watch(tab) -> None:
    """Collect the page's policy violations and every answer of 400 or more (the browser's own favicon request
    aside: the site's favicon is another part of issue 10)."""
    tab.console = []
    tab.page.add_init_script(RECORD_VIOLATIONS)
    tab.page.on("console", lambda message: tab.console.append(message.text)
                if "Content Security Policy" in message.text else None)
    tab.page.on("response", lambda response: tab.console.append(f"{response.status} {response.url}")
                if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)


def problems(tab) -> list[str]:
    return tab.page.evaluate("() => window.__cspViolations") + tab.console + tab.errors


def some_activity() -> None:
    """Hazards in two townships, one of them overdue and major, so the charts are not flat."""
    today = timezone.localdate()
    first, last = Enterprise.objects.order_by("id")[:1].get(), Enterprise.objects.order_by("-id")[:1].get()
    make_hazard(first, state=HazardState.RECTIFYING, level=HazardLevel.MAJOR, deadline=today - timedelta(days=2))
    make_hazard(last, state=HazardState.CLOSED, found_at=timezone.now() - timedelta(days=40))


def test_the_duty_room_screen_draws_every_chart_and_refreshes_without_reloading(visit, settings):
    settings.SHOUYE_COCKPIT_REFRESH_SECONDS = 1
    some_activity()
    tab = visit(DUTY_ROOM)
    watch(tab)
    tab.sign_in("staff")
    page = tab.page
    page.goto("/cockpit/")
    expect_every_chart_drawn(page)
    # The district's enterprises: the demo's, and those other browser tests added (an import, a map target).
    expect(page.get_by_test_id("kpi-enterprises")).to_have_text(str(Enterprise.objects.count()))
    expect(page.get_by_test_id("kpi-hazards-major")).not_to_have_text("0")
    expect(page.get_by_test_id("panel-recent-events").locator("li a").first).to_be_visible()
    # Everything on one screen: no panel runs past the bottom of the 1080-pixel screen.
    bottoms = page.locator(".cockpit-panel").evaluate_all("(els) => els.map((el) => el.getBoundingClientRect().bottom)")
    assert max(bottoms) <= DUTY_ROOM["height"]
    page.wait_for_timeout(1500)  # the charts' opening animation, for the screenshot
    tab.shot("01-duty-room")

    # New hazards reach the screen at the next refresh, in the same page (the marker survives).
    page.evaluate("() => { window.__samePage = true; }")
    open_before = int(page.get_by_test_id("kpi-hazards-open").inner_text())
    make_hazard(Enterprise.objects.order_by("id")[:1].get(), state=HazardState.REPORTED)
    expect(page.get_by_test_id("kpi-hazards-open")).to_have_text(str(open_before + 1))
    assert page.evaluate("() => window.__samePage") is True
    expect_every_chart_drawn(page)
    tab.shot("02-refreshed")
    page.goto("about:blank")  # no refresh racing the database's flush after the test
    assert problems(tab) == []


def test_on_a_phone_the_panels_stack_at_the_screens_width(visit):
    some_activity()
    tab = visit(PHONE)
    watch(tab)
    tab.sign_in("mashan")
    page = tab.page
    page.goto("/cockpit/")
    expect_every_chart_drawn(page)
    mashan = Enterprise.objects.filter(township__code="370113107").count()  # the demo's four, and any imported
    expect(page.get_by_test_id("kpi-enterprises")).to_have_text(str(mashan))
    boxes = page.locator(".cockpit-panel").evaluate_all(
        "(els) => els.map((el) => { const r = el.getBoundingClientRect(); return [r.left, r.width, r.top]; })")
    assert all(width >= PHONE["width"] - 40 for _left, width, _top in boxes)
    tops = [top for _left, _width, top in boxes]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.wait_for_timeout(1500)  # the charts' opening animation, for the screenshot
    tab.shot("01-phone")
    assert problems(tab) == []
