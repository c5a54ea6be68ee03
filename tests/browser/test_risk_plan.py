"""The plant plan in a real browser (issue 11): the enterprise's safety officer uploads a plan, draws a zone by
clicking its corners, names and saves it, places a risk point in it so that it turns red, is told why the zone
cannot be deleted; then on a phone the enterprise ledger page shows the four-colour map."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shouye.accounts.models import User
from shouye.risks.models import FloorPlan, PlanZone, RiskPoint
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

def _png(path) -> str:
    from PIL import Image

    Image.new("RGB", (800, 500), (235, 238, 242)).save(path, "PNG")
    return str(path)

def test_the_safety_officer_draws_a_zone_and_places_a_risk_point(visit, tmp_path):
    officer = User.objects.get(username="qiye")
    enterprise = officer.memberships.get().enterprise
    point = RiskPoint(code="PLAN-BROWSER", name="液氯储罐", kind="facility", department="储运部", responsible_person="李四",
                      grade="major")
    point.stamp_from(enterprise)
    point.save()

    tab = visit(DESKTOP)
    page = tab.page
    tab.sign_in("qiye")
    page.goto(reverse("risks:plan-upload") + f"?enterprise={enterprise.pk}")
    page.set_input_files("#id_file", _png(tmp_path / "plan.png"))
    page.get_by_test_id("plan-upload-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("floorplan-map")).to_be_visible()
    plan = FloorPlan.objects.get(enterprise=enterprise)
    assert (plan.width, plan.height) == (800, 500)

    editor = page.get_by_test_id("zone-editor")
    editor.get_by_role("button", name="划定区域").click()
    box = page.get_by_test_id("floorplan-map").bounding_box()
    for dx, dy in ((-120, -80), (120, -80), (120, 80), (-120, 80)):
        page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
    editor.get_by_role("button", name="完成轮廓").click()
    page.fill("[data-zone-name]", "液氯罐区")
    editor.get_by_role("button", name="保存区域").click()
    expect(page.get_by_test_id("zone-list")).to_contain_text("液氯罐区")
    zone = PlanZone.objects.get(plan=plan)
    assert len(zone.polygon) == 4
    assert all(0 <= x <= 800 and 0 <= y <= 500 for x, y in zone.polygon)
    tab.shot("zone-drawn")

    form = page.get_by_test_id("zone-points-form").first
    form.locator("select").select_option(str(point.pk))
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#zone-{zone.pk}")).to_have_attribute("data-zone-colour", "red")
    expect(page.locator(".leaflet-overlay-pane path").first).to_have_attribute("fill", "#e02020")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".leaflet-overlay-pane path").first.click()
    editor.get_by_role("button", name="删除区域").click()
    expect(page.locator("[data-zone-error]")).to_contain_text("不能删除")
    expect(page.locator("[data-zone-error]")).to_contain_text("液氯储罐")
    assert PlanZone.objects.filter(pk=zone.pk).exists()
    tab.shot("delete-refused")
    assert tab.errors == []

    phone = visit(PHONE)
    phone.sign_in("qiye")
    phone.page.goto(reverse("enterprises:detail", kwargs={"pk": enterprise.pk}))
    panel = phone.page.get_by_test_id("risk-map-panel")
    expect(panel.locator(".leaflet-overlay-pane path").first).to_have_attribute("fill", "#e02020")
    expect(panel).to_contain_text("液氯罐区")
    phone.shot("ledger-panel")
    assert phone.errors == []
