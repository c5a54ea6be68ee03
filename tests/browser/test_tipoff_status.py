"""The tip-off on a phone, from the public form to the status page (issue 10): the sender submits without
signing in, reads the receipt code on the thanks page, opens the status page, types the code as people do
(lower case, spaces) and sees the state of the report."""

import re

import pytest
from playwright.sync_api import expect

from shouye.hazards.models import TipOff

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_from_the_public_form_to_the_status_page_on_a_phone(visit, settings):
    settings.SHOUYE_TIPOFF_RATE_PER_HOUR = 100
    tab = visit(PHONE)
    page = tab.page
    tab.open("tip-off:form")
    page.fill("#id_enterprise_name", "马山镇无名液化气充装点")
    page.select_option("#id_township", "370113107")
    page.fill("#id_address", "马山镇104国道旁第三间平房")
    page.fill("#id_description", "夜里偷偷给液化气钢瓶充装，没有任何防护")
    tab.shot("form")
    page.get_by_test_id("tip-off-form").locator("button[type=submit]").click()
    code = page.get_by_test_id("receipt-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$"))
    receipt = code.inner_text()
    assert TipOff.objects.filter(receipt_code=receipt.replace("-", "")).exists()
    tab.shot("thanks")
    page.get_by_test_id("status-link").click()
    page.fill("#id_code", receipt.lower().replace("-", " "))
    page.get_by_test_id("tip-off-status-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("tip-off-status-label")).to_have_text("已受理")
    expect(page.get_by_test_id("tip-off-status")).not_to_contain_text("夜里偷偷")
    tab.shot("status")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the status page scrolls sideways on a phone ({width}px)"
    assert tab.errors == []
