"""An enterprise's hot-work permit on a phone (issue 12), from the draft to the completion acceptance: filled in
with the form's fields, risks, a gas test taken on the spot, the measures confirmed one by one, the briefing,
then the form's signatures drawn on screen in order by the work leader, the unit, the safety department and the
approver (with its level), the shift leader's check, the watchperson starting the work from the big button and
the acceptance."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shouye.accounts.models import User
from shouye.permits.choices import PermitState
from shouye.permits.models import SpecialOperationPermit

from .conftest import PHONE

pytestmark = pytest.mark.browser

LOCAL = "%Y-%m-%dT%H:%M"


def draw(page, canvas) -> None:
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 60, steps=5)
    page.mouse.move(box["x"] + 200, box["y"] + 20, steps=5)
    page.mouse.up()


def act(tab, action: str, fields: dict | None = None, *, signature: bool = False, selects: dict | None = None):
    page = tab.page
    section = page.locator(f"details[data-action='{action}']")
    expect(section).to_be_visible()
    section.locator("summary").click()
    for name, value in (fields or {}).items():
        section.locator(f"[name='{action}-{name}']").fill(value)
    for name, value in (selects or {}).items():
        section.locator(f"[name='{action}-{name}']").select_option(value)
    if signature:
        draw(page, section.locator("canvas"))
    tab.shot(action)
    section.get_by_test_id(f"do-{action}").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_hot_work_permit_from_draft_to_acceptance_on_a_phone(visit):
    officer = User.objects.get(username="qiye")
    enterprise = officer.memberships.get(role="enterprise_user").enterprise
    tab = visit(PHONE)
    page = tab.page
    tab.sign_in("qiye")
    page.goto("/permits/new/?kind=hot_work")
    start = timezone.localtime()
    page.select_option("[name=enterprise]", str(enterprise.pk))
    for name, value in {"applicant_unit": "一车间", "work_unit": "检修班", "content": "更换法兰垫片",
                        "location": "罐区东侧管线", "planned_start": start.strftime(LOCAL),
                        "planned_end": (start + timedelta(hours=1)).strftime(LOCAL), "details-method": "电焊",
                        "work_leader": "负责人乙", "watchperson": "监护人丙", "person-0-name": "动火人甲",
                        "person-0-certificate_number": "T370113", "person-0-certificate_issued_on": "2025-03-01"
                        }.items():
        page.fill(f"[name='{name}']", value)
    page.select_option("[name='person-0-role']", "operator")
    tab.shot("form")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("草稿")
    permit = SpecialOperationPermit.objects.get(enterprise=enterprise)

    act(tab, "identify", {"risk_identification": "可燃气体泄漏、灼烫、触电"})
    act(tab, "gas-test", {"sampled_at": timezone.localtime().strftime(LOCAL), "sample_point": "法兰处",
                          "representative_gas": "甲烷", "lel_percent": "5", "result_percent": "0.1",
                          "analyst": "分析员丁"})
    section = page.locator("details[data-action='confirm-measures']")
    section.locator("summary").click()
    for select in section.locator("select[name^='confirm-measures-involved-']").all():
        select.select_option("yes")
    for confirmer in section.locator("input[name^='confirm-measures-confirmed_by-']").all():
        confirmer.fill("确认人戊")
    section.get_by_test_id("do-confirm-measures").click()
    expect(page.locator(".alert-success")).to_be_visible()
    act(tab, "brief", {"briefed_by": "负责人乙", "briefed_to": "动火人甲\n监护人丙"})

    for name in ("负责人乙", "车间主任", "安全部门"):
        act(tab, "sign", {"name": name}, signature=True)
    act(tab, "approve", {"name": "审批人庚"}, signature=True, selects={"level": "plant_head"})
    act(tab, "check", {"name": "班长辛"}, signature=True)

    page.get_by_test_id("watch-link").click()
    expect(page.get_by_test_id("countdown")).to_be_visible()
    tab.shot("watch")
    page.get_by_test_id("watch-start").click()
    expect(page.get_by_test_id("permit-state")).to_have_text("进行中")
    act(tab, "accept", {"name": "验收人壬"}, signature=True)
    expect(page.get_by_test_id("permit-state")).to_have_text("已完工验收")
    tab.shot("accepted")

    permit.refresh_from_db()
    assert permit.state == PermitState.COMPLETED
    assert list(permit.signatures.values_list("step", flat=True)) == [
        "work_leader", "unit", "safety_dept", "approver", "shift_leader", "acceptance"]
    assert all(bytes(s.image).startswith(b"\x89PNG") for s in permit.signatures.all())
    assert not tab.errors
