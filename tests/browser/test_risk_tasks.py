"""An enterprise safety officer does an investigation on a phone (issue 11): from "my investigations" to the
instance, one measure not OK with a photo, the other OK; the hazard is reported in the hazards' loop, the day's
totals (what the bureau's liveness reads) count the investigation done, and the bureau's liveness table shows
the enterprise's last completed investigation as today."""

import io
from datetime import timedelta

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from shouye.accounts.models import Membership
from shouye.enterprises.choices import OperatingStatus
from shouye.enterprises.demo import DEMO_PASSWORD, QIYE_TOWNSHIP
from shouye.hazards.choices import HazardSource
from shouye.hazards.models import Hazard
from shouye.risks.choices import CycleUnit
from shouye.risks.models import TaskDailyTotal, TaskInstance
from shouye.risks.services import tasks as services
from tests.risks.tasks_fixtures import risk_point

from .conftest import ARTEFACTS, PHONE

pytestmark = pytest.mark.browser


def officer_with_nothing_done_today() -> Membership:
    """The safety officer of an operating enterprise of 马山镇 that has done no investigation today: the browser
    tests share the demo district, and another of them (a duty done on a phone, as ``qiye``) may have done one
    today for ``qiye``'s enterprise."""
    today = timezone.localdate()
    done_today = TaskDailyTotal.objects.filter(enterprise=OuterRef("enterprise"), last_done_at__date=today)
    return (Membership.objects.filter(role="enterprise_user", enterprise__township__code=QIYE_TOWNSHIP,
                                      enterprise__status=OperatingStatus.OPERATING, user__is_active=True)
            .exclude(Exists(done_today)).select_related("user", "enterprise").order_by("enterprise_id").first())


def test_a_safety_officer_does_an_investigation_with_a_photo_on_a_phone(visit):
    membership = officer_with_nothing_done_today()
    officer, enterprise = membership.user, membership.enterprise
    officer.set_password(DEMO_PASSWORD)  # the demo's generated accounts cannot sign in until given one
    officer.save(update_fields=["password"])
    point = risk_point(enterprise, code="RP-B1", name="液氨储罐区")
    services.create_task(actor=officer, risk_point=point, data=services.TaskInput(
        cycle=1, cycle_unit=CycleUnit.DAY, starts_at=timezone.now() - timedelta(minutes=5), post="储运岗",
        assignee=officer, all_measures=True))
    instance = TaskInstance.objects.filter(task__risk_point=point).order_by("due_from").first()
    first, second = instance.task.measures.order_by("pk")
    picture = ARTEFACTS / "risk-task-check.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 70, 60)).save(buffer, "JPEG")
    picture.write_bytes(buffer.getvalue())

    bureau = visit()
    bureau.sign_in("staff")
    liveness = f"/risks/liveness/?township={enterprise.township.code}"
    bureau.page.goto(liveness)
    days_since = bureau.page.locator(f"tr[data-enterprise='{enterprise.pk}'] [data-cell=days-since]")
    expect(days_since).to_be_visible()
    expect(days_since).not_to_have_text("0")
    bureau.shot("liveness-before")

    tab = visit(PHONE)
    page = tab.page
    tab.sign_in(officer.username)
    tab.open("risks:my-tasks")
    now_section = page.get_by_test_id("section-now")
    expect(now_section).to_contain_text("液氨储罐区")
    tab.shot("my-tasks")
    # (the account also has its responsible persons' duties to do: the demo links them to it)
    now_section.get_by_role("link").filter(has_text="液氨储罐区").first.click()
    expect(page.get_by_test_id("check-form")).to_be_visible()
    page.locator(f"label[for=id_outcome_{first.pk}_1]").click()
    page.fill(f"#id_note_{first.pk}", "液位计读数不准")
    page.set_input_files(f"#id_photos_{first.pk}", str(picture))
    page.locator(f"label[for=id_outcome_{second.pk}_0]").click()
    tab.shot("filled")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the investigation page scrolls sideways on a phone ({width}px)"
    page.get_by_test_id("check-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("hazard-link")).to_be_visible()
    tab.shot("done")
    hazard = Hazard.objects.get(investigation_check__instance=instance)
    assert hazard.source == HazardSource.MEASURE_FAILED and hazard.photos.count() == 1
    total = TaskDailyTotal.objects.get(enterprise=enterprise, day=timezone.localtime(instance.due_from).date())
    assert total.done == 1 and total.last_done_at is not None
    page.get_by_test_id("hazard-link").click()
    expect(page.get_by_test_id("hazard-source")).to_contain_text("管控措施失效")
    assert tab.errors == []

    bureau.page.goto(liveness)
    expect(days_since).to_have_text("0")
    bureau.shot("liveness-after")
    assert bureau.errors == []
