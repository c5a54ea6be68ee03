"""The personnel ledger of a high-risk work area on a 390-px phone, as a chemical enterprise's safety officer keeps
it: add a person with a special-operation certificate to an area that admits their post, see the certificate's
review date and flag, and be refused with the area's name when the area is full."""

import pytest
from django.db.models import Count, F
from playwright.sync_api import expect

from shouye.accounts.models import Membership
from shouye.core.identifiers import id_number
from shouye.enterprises.demo import DEMO_PASSWORD
from shouye.workareas.models import WorkArea, Worker

from .conftest import PHONE

pytestmark = pytest.mark.browser


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_safety_officer_adds_a_person_on_the_phone(visit):
    area = (WorkArea.objects.filter(high_risk=True).annotate(people=Count("workers"))
            .filter(people__lt=F("max_people")).order_by("id").first())
    assert area is not None, "the demo has a high-risk work area with room"
    officer = Membership.objects.filter(role="enterprise_user", enterprise=area.enterprise).first().user
    officer.set_password(DEMO_PASSWORD)
    officer.save()
    phone = visit(PHONE)
    phone.sign_in(officer.username)

    phone.open("workareas:workers")
    expect(phone.page.get_by_test_id("worker-table")).to_be_visible()
    assert fits_the_screen(phone.page)
    phone.shot("1-ledger")

    phone.page.get_by_role("link", name="登记人员").first.click()
    form = phone.page.get_by_test_id("worker-form")
    form.locator("#id_name").fill("赵六")
    form.locator("#id_id_number").fill(id_number(901))
    form.locator("#id_post").fill(area.posts()[0])
    form.locator("#id_phone").fill("13700001234")
    form.get_by_label(area.name, exact=True).check()
    form.locator("#id_certificates-0-kind").select_option("special_operation")
    form.locator("#id_certificates-0-operation_category").fill("危险化学品安全作业 · 氯化工艺作业")
    form.locator("#id_certificates-0-number").fill("T20240301")
    form.locator("#id_certificates-0-issued_on").fill("2023-03-01")
    assert fits_the_screen(phone.page)
    phone.shot("2-form")
    form.get_by_role("button", name="保存").click()

    expect(phone.page.get_by_test_id("certificates")).to_contain_text("2026-03-01")
    expect(phone.page.get_by_test_id("certificates").locator("[data-flag]")).to_have_count(1)
    assert fits_the_screen(phone.page)
    phone.shot("3-person")
    worker = Worker.objects.get(name="赵六")
    assert list(worker.work_areas.all()) == [area]

    WorkArea.objects.filter(pk=area.pk).update(max_people=area.workers.count())
    phone.open("workareas:worker-create")
    form = phone.page.get_by_test_id("worker-form")
    form.locator("#id_name").fill("钱七")
    form.locator("#id_id_number").fill(id_number(902))
    form.locator("#id_post").fill(area.posts()[0])
    form.get_by_label(area.name, exact=True).check()
    form.get_by_role("button", name="保存").click()
    expect(phone.page.get_by_test_id("work-areas-error")).to_contain_text(area.name)
    assert not Worker.objects.filter(name="钱七").exists()
    phone.shot("4-full")

    phone.open("workareas:detail", pk=area.pk)
    expect(phone.page.get_by_test_id("area-workers")).to_contain_text("赵六")
    assert fits_the_screen(phone.page)
    phone.shot("5-area")
    phone.open("enterprises:detail", pk=area.enterprise_id)
    expect(phone.page.get_by_test_id("workareas-panel")).to_contain_text(area.name)
    assert fits_the_screen(phone.page)
    phone.shot("6-ledger-page")
    assert phone.errors == []
