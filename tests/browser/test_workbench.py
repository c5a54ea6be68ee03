"""The workbench (我的待办, issue 10) on a phone (390×844) for each role: the user lands on its own to-dos, the
to-do total and the notification bell are visible without opening the menu, and a to-do's link leads to its
object. The to-dos each test follows are made here, dated so that they lead their cards whatever the demo holds
(the tests do not depend on the demo's activity)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shouye.accounts.models import Membership
from shouye.hazards.choices import HazardLevel, TipOffState
from shouye.hazards.choices import HazardState as S
from shouye.hazards.models import Hazard, TipOff
from shouye.notifications.services import notify
from tests.hazards.conftest import make_hazard

from .conftest import PHONE

pytestmark = pytest.mark.browser

#: Long past: the to-dos made here sort before anything the demo made (oldest deadline or submission first).
LONG_AGO = timedelta(days=3 * 365)


def enterprise_of(username: str, role: str):
    return Membership.objects.filter(user__username=username, role=role).select_related("enterprise") \
        .first().enterprise


def phone_home(visit, username: str):
    tab = visit(PHONE)
    tab.sign_in(username)
    page = tab.page
    expect(page.get_by_test_id("workbench")).to_be_visible()
    expect(page.get_by_test_id("notification-bell")).to_be_visible()
    expect(page.get_by_test_id("todo-badge")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    return tab, page


def follow(page, key: str, text: str, expected_path: str) -> None:
    """Opens the to-do ``text`` of the card ``key`` and checks where it leads."""
    todo = page.locator(f"[data-todo={key}]")
    todo.scroll_into_view_if_needed()
    todo.get_by_role("link", name=text).first.click()
    expect(page).to_have_url(re.compile(re.escape(expected_path) + "$"))


def test_enterprise_user_workbench_on_a_phone(visit):
    enterprise = enterprise_of("qiye", "enterprise_user")
    hazard = make_hazard(enterprise, state=S.RECTIFYING, description="浏览器测试：消防栓被遮挡",
                         deadline=timezone.localdate() - LONG_AGO)
    tab, page = phone_home(visit, "qiye")
    expect(page.locator("[data-chart]")).to_have_count(0)
    rectify = page.locator("[data-todo=hazards-to-rectify]")
    expect(rectify).to_contain_text("浏览器测试：消防栓被遮挡")
    expect(rectify.get_by_test_id("overdue-mark").first).to_be_visible()
    expect(page.get_by_test_id("todo-total")).to_be_visible()
    tab.shot("01-workbench")
    follow(page, "hazards-to-rectify", "浏览器测试：消防栓被遮挡", f"/hazards/{hazard.pk}/")
    tab.shot("02-hazard")
    assert tab.errors == []


def test_township_officer_workbench_on_a_phone(visit):
    mashan = enterprise_of("qiye", "enterprise_user")
    hazard = make_hazard(mashan, state=S.SUBMITTED, description="浏览器测试：马山待复查",
                         submitted_at=timezone.now() - LONG_AGO)
    officer = Membership.objects.get(user__username="mashan").user
    notify(recipients=[officer], verb="test", title="浏览器测试：请复查", link=f"/hazards/{hazard.pk}/")
    tab, page = phone_home(visit, "mashan")
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    expect(page.locator("[data-todo=hazards-reinspection]")).to_contain_text("浏览器测试：马山待复查")
    tab.shot("01-workbench")
    follow(page, "hazards-reinspection", "浏览器测试：马山待复查", f"/hazards/{hazard.pk}/")

    page.get_by_test_id("notification-bell").click()
    notice = page.get_by_test_id("notification").filter(has_text="浏览器测试：请复查")
    expect(notice).to_have_attribute("data-unread", "")
    tab.shot("02-notifications")
    notice.click()
    expect(page).to_have_url(re.compile(rf"/hazards/{hazard.pk}/$"))
    assert officer.notifications.get(title="浏览器测试：请复查").read_at is not None
    assert tab.errors == []


def test_bureau_staff_workbench_on_a_phone(visit):
    tip_off = TipOff.objects.create(enterprise_name="浏览器测试：无证仓库", description="夜间搬运烟花爆竹",
                                    state=TipOffState.NEW)
    TipOff.objects.filter(pk=tip_off.pk).update(created_at=timezone.now() - LONG_AGO)
    tab, page = phone_home(visit, "staff")
    expect(page.locator("[data-todo=tip-offs-new]")).to_contain_text("浏览器测试：无证仓库")
    # The statistics follow the to-dos.
    expect(page.locator("[data-chart]").first).to_be_attached()
    tab.shot("01-workbench")
    follow(page, "tip-offs-new", "浏览器测试：无证仓库", f"/hazards/tip-offs/{tip_off.pk}/")
    tab.shot("02-tip-off")
    assert tab.errors == []


def test_expert_workbench_on_a_phone(visit):
    enterprise = enterprise_of("expert", "expert")
    hazard = make_hazard(enterprise, state=S.SUBMITTED, level=HazardLevel.MAJOR, description="浏览器测试：待专家复核",
                         submitted_at=timezone.now() - LONG_AGO)
    tab, page = phone_home(visit, "expert")
    expect(page.locator("[data-chart]")).to_have_count(0)
    expect(page.locator("[data-todo=hazards-expert-verification]")).to_contain_text("浏览器测试：待专家复核")
    tab.shot("01-workbench")
    follow(page, "hazards-expert-verification", "浏览器测试：待专家复核", f"/hazards/{hazard.pk}/")
    expect(page.get_by_text(Hazard.objects.get(pk=hazard.pk).description).first).to_be_visible()
    assert tab.errors == []
