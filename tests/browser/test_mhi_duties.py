"""A responsible person of a major hazard installation does a duty on a phone (issue 11): the duty is an
investigation task of the linked account, opened from the installation's page; found not OK with a note, it
becomes a hazard, and the installation's page shows the duty done."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shouye.accounts.models import User
from shouye.hazards.models import Hazard
from shouye.major_hazards import services
from shouye.major_hazards.choices import InstallationKind, PersonRole
from shouye.risks.models import TaskInstance

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_a_responsible_person_does_a_duty_on_a_phone(visit):
    officer = User.objects.get(username="qiye")
    enterprise = officer.memberships.get(role="enterprise_user").enterprise
    installation = services.create_installation(actor=officer, enterprise=enterprise, name="液氯钢瓶库",
                                                kind=InstallationKind.WAREHOUSE, exposed_population=10,
                                                substances=[{"name": "液氯", "quantity_t": "8"}])
    services.appoint_person(actor=officer, installation=installation, role=PersonRole.TECHNICAL, name="张工",
                            post="技术副总", phone="13800000001",
                            appointed_on=timezone.localdate() - timedelta(days=1), user=officer)
    instance = TaskInstance.objects.get(task__duty__person__installation=installation, task__task_number=2)
    title = instance.task.title

    tab = visit(PHONE)
    page = tab.page
    tab.sign_in("qiye")
    tab.open("major_hazards:detail", pk=installation.pk)
    page.locator("details[data-role=technical] summary").click()
    row = page.get_by_test_id("mhi-duty").nth(1)
    expect(row).to_contain_text(title[:20])
    expect(row.get_by_test_id("mhi-last-done")).to_have_text("—")
    row.get_by_test_id("mhi-do-duty").click()
    expect(page.get_by_test_id("measure-duty")).to_contain_text(title[:20])
    page.locator("label[for=id_outcome_duty_1]").click()
    page.fill("#id_note_duty", "安全仪表系统未按期检验")
    tab.shot("filled")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the duty page scrolls sideways on a phone ({width}px)"
    page.get_by_test_id("check-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("hazard-link")).to_be_visible()
    tab.shot("done")
    hazard = Hazard.objects.get(investigation_check__instance=instance)
    assert "安全仪表系统未按期检验" in hazard.description

    tab.open("major_hazards:detail", pk=installation.pk)
    page.locator("details[data-role=technical] summary").click()
    row = page.get_by_test_id("mhi-duty").nth(1)
    expect(row.get_by_test_id("mhi-last-done")).to_have_text(timezone.localdate().isoformat())
    tab.shot("installation")
    assert tab.errors == []
