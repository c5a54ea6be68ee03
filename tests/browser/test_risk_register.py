"""The risk register on a phone (390×844), in Chromium: the enterprise's safety officer opens 风险管控, adds a
hazard source to a risk point, sees the assessment's result appear as the values are chosen (htmx) and saves
it; the point is graded."""

import pytest
from playwright.sync_api import expect

from shouye.accounts.models import User
from shouye.risks.models import RiskPoint
from tests.browser.conftest import PHONE
from tests.risks.register_helpers import make_point

pytestmark = pytest.mark.browser


def test_a_safety_officer_assesses_a_hazard_source_on_a_phone(visit):
    qiye = User.objects.get(username="qiye")
    enterprise = qiye.memberships.get().enterprise
    point = make_point(qiye, enterprise, code="RP-BROWSER", name="浏览器测试储罐区")
    tab = visit(PHONE)
    tab.sign_in("qiye")
    tab.page.goto("/risks/")
    expect(tab.page.get_by_text("浏览器测试储罐区")).to_be_visible()
    tab.shot("list")
    tab.page.get_by_text("浏览器测试储罐区").click()
    tab.page.get_by_role("link", name="新增危险源").click()
    tab.page.select_option("#id_identification_method", "scl")
    tab.page.fill("#id_step_or_item", "呼吸阀")
    tab.page.fill("#id_name", "呼吸阀堵塞")
    tab.page.select_option("#id_factor_category", "things")
    tab.page.get_by_role("button", name="保存").click()
    # The source is added and its assessment opens: choosing the values shows the result before saving.
    tab.page.select_option("#id_l", "6")
    tab.page.select_option("#id_e", "6")
    tab.page.select_option("#id_c", "7")
    expect(tab.page.get_by_test_id("assess-result")).to_contain_text("252")
    expect(tab.page.get_by_test_id("assess-result")).to_contain_text("较大风险")
    tab.shot("assess")
    tab.page.get_by_role("button", name="保存").click()
    expect(tab.page.get_by_test_id("current-assessment")).to_contain_text("252")
    tab.shot("point")
    point.refresh_from_db()
    assert point.grade == "high" and RiskPoint.objects.get(pk=point.pk).control_level == "deputy"
    assert tab.errors == []
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
