"""The QR code of a printed permit opens its live status on a phone (issue 12): signed in, the inspector sees
the state, the validity counting down, the watchperson, the last gas test and the signatures, without scrolling
sideways, and can fetch the printed form again."""

import re

import pytest
from playwright.sync_api import expect

from shouye.permits.choices import PermitState
from shouye.permits.models import SpecialOperationPermit

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_the_status_page_a_paper_copy_is_checked_against_on_a_phone(visit):
    permit = SpecialOperationPermit.objects.filter(state=PermitState.IN_PROGRESS).order_by("pk").first()
    assert permit is not None, "the demo has permits in progress now"
    tab = visit(PHONE)
    page = tab.page
    tab.sign_in("staff")
    tab.open("permits:status", pk=permit.pk)
    expect(page.get_by_test_id("permit-number")).to_have_text(permit.number)
    expect(page.get_by_test_id("permit-state")).to_have_text("进行中")
    expect(page.get_by_test_id("countdown")).to_have_text(re.compile(r"^\d+:\d\d:\d\d$"))
    expect(page.get_by_test_id("status-watchperson")).to_contain_text("李卫东")
    expect(page.get_by_test_id("status-signatures")).to_contain_text("吴厂长")
    tab.shot("status")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the status page scrolls sideways on a phone ({width}px)"
    response = page.request.get(page.get_by_test_id("print-link").get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert tab.errors == []
