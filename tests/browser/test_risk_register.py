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


def test_an_enterprise_edits_its_own_table_as_rows(visit):
    """The enterprise's own LEC table: "×" removes a band on the page (script, no inline code under the CSP), the
    rules refuse the table naming the row, the fixed table is saved as the enterprise's own."""
    from shouye.risks.models import RiskSettings

    qiye = User.objects.get(username="qiye")
    enterprise = qiye.memberships.get().enterprise
    tab = visit()
    tab.sign_in("qiye")
    tab.page.goto(f"/risks/enterprises/{enterprise.pk}/tables/")
    lec = tab.page.get_by_test_id("table-lec")
    lec.get_by_label("使用本企业的表").check()
    bands = lec.get_by_test_id("rows-lec-bands")
    bands.locator("tr[data-row='4'] button[data-remove-row]").click()  # the lowest band (D from 0) goes
    expect(bands.locator("tbody tr")).to_have_count(5)  # four bands and the blank row
    tab.page.get_by_role("button", name="保存", exact=True).click()
    expect(tab.page.get_by_test_id("row-error")).to_contain_text("第4行：最低一级的下限应为0")
    tab.shot("refused")
    assert not RiskSettings.objects.filter(enterprise=enterprise).exists()
    row = tab.page.get_by_test_id("table-lec").get_by_test_id("rows-lec-bands").locator("tr[data-row='3']")
    row.locator("input[name='lec-bands-minimum']").fill("0")
    tab.page.get_by_role("button", name="保存", exact=True).click()
    expect(tab.page.get_by_test_id("risk-point-table")).to_be_visible()
    own = RiskSettings.objects.get(enterprise=enterprise)
    assert [band["minimum"] for band in own.lec_table["bands"]] == [320, 160, 70, 0] and own.mes_table == {}
    assert tab.errors == []
