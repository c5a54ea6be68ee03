"""A field inspection on a phone (issue 10): each mark and finding is saved as it is entered, a reload in the
middle loses nothing, leaving with unsaved input warns and keeps it on the phone, the finish button saves
what is pending before it leaves, and "all remaining compliant" marks the rest in one tap. The enterprise of
a new inspection is found by typing part of its name, and its industry's checklist is proposed."""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from shouye.accounts.models import Membership, User
from shouye.inspections import checklist_library, services
from shouye.inspections.models import Checklist, Inspection
from shouye.inspections.selectors import suggested_checklists

from .conftest import PHONE

pytestmark = pytest.mark.browser

FINDING = "消防通道堆放杂物（现场浏览器测试）"
LATE_FINDING = "应急照明灯不亮（点完成前刚输入）"
NOTES = "企业负责人陪同检查"


@pytest.fixture
def checklists(demo):
    """The checklist library, which a data migration loads and the live server's flush removes."""
    checklist_library.load(django_apps)


def open_inspection():
    """A routine inspection by the demo's bureau officer of the enterprise user's enterprise, on a checklist of
    at least five items."""
    enterprise = Membership.objects.get(user__username="qiye").enterprise
    checklist = (Checklist.objects.filter(is_active=True).annotate(n=Count("items")).filter(n__gte=5)
                 .order_by("n", "pk").first())
    staff = User.objects.get(username="staff")
    return services.start_inspection(actor=staff, enterprise=enterprise, kind="routine",
                                     inspected_at=timezone.now() - timedelta(hours=1), inspectors=[staff],
                                     checklist=checklist)


def results(inspection) -> list[tuple[str, str]]:
    return [(item.result, item.finding) for item in inspection.items.order_by("order")]


def test_nothing_typed_is_lost_on_a_phone(visit, checklists):
    inspection = open_inspection()
    items = list(inspection.items.order_by("order"))
    officer = visit(PHONE)
    page = officer.page
    officer.sign_in("staff")
    officer.open("inspections:detail", pk=inspection.pk)

    def card(n):
        return page.get_by_test_id(f"item-{items[n].order}")

    def mark(n, result):
        card(n).locator(f"label[for='r-{items[n].pk}-{result}']").click()

    def saved(n):
        expect(page.get_by_test_id(f"save-state-{items[n].order}")).to_have_attribute("data-state", "saved")

    # 1. A compliant item is saved at the tap; the finding fields show only for a non-compliant item.
    expect(card(1).locator(f"#finding-{items[1].pk}")).to_be_hidden()
    mark(0, "compliant")
    saved(0)
    mark(1, "non_compliant")
    expect(card(1).locator(f"#finding-{items[1].pk}")).to_be_visible()
    card(1).locator(f"#finding-{items[1].pk}").fill(FINDING)
    saved(1)
    expect(page.get_by_test_id("progress")).to_contain_text(f"2/{len(items)}")
    page.locator("#notes").fill(NOTES)
    expect(page.get_by_test_id("save-state-notes")).to_have_attribute("data-state", "saved")
    officer.shot("01-saved-as-entered")

    # 2. A reload in the middle: both marks and the finding are there.
    page.reload()
    expect(card(0).locator(f"#r-{items[0].pk}-compliant")).to_be_checked()
    expect(card(1).locator(f"#r-{items[1].pk}-non_compliant")).to_be_checked()
    expect(card(1).locator(f"#finding-{items[1].pk}")).to_have_value(FINDING)
    expect(page.get_by_test_id("progress")).to_contain_text(f"2/{len(items)}")
    expect(page.locator("#notes")).to_have_value(NOTES)

    # 3. Leaving with a non-compliant mark whose finding is not written yet: the browser warns, and the mark
    # is kept on the phone and back after the reload.
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    mark(2, "non_compliant")
    expect(page.get_by_test_id(f"save-state-{items[2].order}")).to_have_attribute("data-state", "unsaved")
    page.reload()
    assert dialogs == ["beforeunload"]
    expect(card(2).locator(f"#r-{items[2].pk}-non_compliant")).to_be_checked()
    expect(page.get_by_test_id(f"save-state-{items[2].order}")).to_have_attribute("data-state", "unsaved")
    card(2).locator(f"#finding-{items[2].pk}").fill(FINDING)
    saved(2)

    # 4. "All remaining compliant" marks the rest, except what is already marked.
    page.get_by_test_id("remaining-compliant").click()
    expect(page.get_by_test_id("progress")).to_contain_text(f"{len(items)}/{len(items)}")
    expect(page.locator(".js-record-form input[value=compliant]:checked")).to_have_count(len(items) - 2)
    officer.shot("02-all-remaining-compliant")
    assert [result for result, _ in results(inspection)].count("compliant") == len(items) - 2

    # 5. A finding typed and the finish button tapped at once: it is saved before the page leaves.
    mark(3, "non_compliant")
    card(3).locator(f"#finding-{items[3].pk}").fill(LATE_FINDING)
    page.get_by_test_id("finish-link").click()
    expect(page.get_by_test_id(f"draft-{items[3].order}")).to_be_visible()
    assert results(inspection)[:4] == [("compliant", ""), ("non_compliant", FINDING),
                                       ("non_compliant", FINDING), ("non_compliant", LATE_FINDING)]
    assert dialogs == ["beforeunload"]
    inspection.refresh_from_db()
    assert inspection.notes == NOTES
    officer.shot("03-finish-after-saving")
    assert not officer.errors


def test_the_enterprise_is_found_by_typing_and_its_checklist_proposed(visit, checklists):
    enterprise = Membership.objects.get(user__username="qiye").enterprise
    suggested = suggested_checklists([enterprise.industry_id])[enterprise.industry_id]
    officer = visit(PHONE)
    page = officer.page
    officer.sign_in("staff")
    officer.open("inspections:create")
    form = page.get_by_test_id("inspection-form")
    form.get_by_test_id("enterprise-search").fill(enterprise.name[2:6])
    option = form.get_by_test_id("enterprise-results").get_by_role("option").filter(has_text=enterprise.name)
    officer.shot("01-search")
    option.first.click()
    expect(form.locator("#id_enterprise")).to_have_value(str(enterprise.pk))
    expect(form.locator("#id_checklist")).to_have_value(str(suggested.pk))
    expect(form.get_by_test_id("checklist-suggestion")).to_contain_text(suggested.name)
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("record-form")).to_be_visible()
    inspection = Inspection.objects.filter(enterprise=enterprise).latest("id")
    assert inspection.checklist_id == suggested.pk
    assert not officer.errors
