"""The installation pages: the list (the enterprise's own, the bureau's district with filters and Excel),
registering one, its page with the computation, substances, persons and duties, each act through the page,
the public notice board PDF, the phones masked for those who do not see personal data, and query counts."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouye.audit.models import AuditEvent
from shouye.major_hazards.choices import InstallationState
from shouye.major_hazards.models import DutyItem, MajorHazardInstallation
from tests.factories import EnterpriseFactory

from .conftest import appoint_all, make_installation, snapshot

pytestmark = pytest.mark.django_db


def offered(response) -> set[str]:
    return set(re.findall(r'data-action="([a-z-]+)"', response.content.decode()))


def test_the_owner_registers_an_installation_and_adds_substances(client, owner, cast):
    client.force_login(owner)
    assert client.get(reverse("major_hazards:create")).status_code == 200
    response = client.post(reverse("major_hazards:create"), {
        "enterprise": cast["inside"].pk, "name": "甲醇罐区", "kind": "tank_farm", "exposed_population": "60"})
    installation = MajorHazardInstallation.objects.get(name="甲醇罐区")
    assert response.status_code == 302 and response.url == reverse("major_hazards:detail", args=[installation.pk])
    response = client.post(reverse("major_hazards:add-substance", args=[installation.pk]), {
        "add-substance-name": "甲醇", "add-substance-quantity_t": "1000"})
    assert response.status_code == 302
    installation.refresh_from_db()
    assert installation.is_major and installation.ratio_sum == 2  # 1000/500
    page = client.get(reverse("major_hazards:detail", args=[installation.pk])).content.decode()
    assert "S = Σq/Q" in page and "甲醇" in page and "GB 18218-2018" in page


def test_a_bad_substance_answers_400_with_the_reason_and_changes_nothing(client, owner, installation):
    client.force_login(owner)
    before = snapshot()
    response = client.post(reverse("major_hazards:add-substance", args=[installation.pk]), {
        "add-substance-name": "神秘物质", "add-substance-quantity_t": "3"})
    assert response.status_code == 400
    assert "不在GB 18218-2018表1中" in response.content.decode()
    assert snapshot() == before


def test_supervisors_see_but_are_offered_nothing(client, cast, installation):
    client.force_login(cast["users"]["township_officer"])
    response = client.get(reverse("major_hazards:detail", args=[installation.pk]))
    assert response.status_code == 200 and offered(response) == set()
    assert client.post(reverse("major_hazards:cancel", args=[installation.pk]),
                       {"cancel-reason": "x"}).status_code == 403
    client.force_login(cast["users"]["department_officer"])
    assert client.get(reverse("major_hazards:detail", args=[installation.pk])).status_code == 404


def test_the_owner_is_offered_the_acts_of_the_state(client, owner, installation):
    client.force_login(owner)
    response = client.get(reverse("major_hazards:detail", args=[installation.pk]))
    assert offered(response) == {"add-substance", "appoint", "edit", "filing", "cancel"}
    client.post(reverse("major_hazards:cancel", args=[installation.pk]), {"cancel-reason": "停用"})
    installation.refresh_from_db()
    assert installation.state == InstallationState.CANCELLED
    response = client.post(reverse("major_hazards:filing", args=[installation.pk]),
                           {"filing-filing_number": "1", "filing-filed_on": "2026-01-01"})
    assert response.status_code == 409


def test_phones_masked_for_those_who_do_not_see_personal_data(client, cast, owner, installation):
    appoint_all(owner, installation)
    client.force_login(owner)
    assert "13812345678" in client.get(reverse("major_hazards:detail", args=[installation.pk])).content.decode()
    client.force_login(cast["users"]["township_officer"])
    page = client.get(reverse("major_hazards:detail", args=[installation.pk])).content.decode()
    assert "13812345678" not in page and "138****5678" in page


def test_the_notice_board_is_a_pdf_with_full_duty_phones(client, cast, owner, installation, settings):
    from shouye.major_hazards import board

    settings.SHOUYE_BUREAU_PHONE = "0531-87654321"
    appoint_all(owner, installation)
    client.force_login(cast["users"]["township_officer"])
    response = client.get(reverse("major_hazards:board", args=[installation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    context = board.board_context(installation)
    assert context["bureau_phone"] == "0531-87654321"
    assert [r["person"].phone for r in context["roles"]] == ["13812345678"] * 3


def test_district_list_filters_and_exports(client, cast, owner, installation):
    other = EnterpriseFactory(name="孝里化工", township=cast["outside"].township, industry=cast["inside"].industry)
    from tests.factories import UserFactory, member
    other_user = UserFactory(username="other-owner")
    member(other_user, "enterprise_user", enterprise=other)
    make_installation(other_user, other, name="液氨罐区", substances=[{"name": "液氨", "quantity_t": "200"}],
                      population=120)  # S=20, R = 2×2×20 = 80 → 二级
    staff = cast["users"]["bureau_staff"]
    client.force_login(staff)
    page = client.get(reverse("major_hazards:list")).content.decode()
    assert "液氯储罐区" in page and "液氨罐区" in page
    page = client.get(reverse("major_hazards:list"), {"grade": "2"}).content.decode()
    assert "液氨罐区" in page and "液氯储罐区" not in page
    assert client.get(reverse("major_hazards:list"), {"grade": "9"}).status_code == 400
    response = client.get(reverse("major_hazards:export"), {"grade": "4"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "重大危险源名称" and len(rows) == 2 and rows[1][4] == "液氯储罐区" and rows[1][9] == "四级"
    assert AuditEvent.objects.filter(verb="major-hazard.export").count() == 1
    client.force_login(owner)
    page = client.get(reverse("major_hazards:list")).content.decode()
    assert "液氨罐区" not in page
    assert client.get(reverse("major_hazards:export")).status_code == 403


def test_list_and_detail_read_in_constant_queries(client, cast, owner, django_assert_max_num_queries):
    staff = cast["users"]["bureau_staff"]
    first = make_installation(owner, cast["inside"])
    appoint_all(owner, first)
    client.force_login(staff)
    client.get(reverse("major_hazards:list"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("major_hazards:list"))
    with django_assert_max_num_queries(30) as detail_small:
        client.get(reverse("major_hazards:detail", args=[first.pk]))
    for n in range(6):
        installation = make_installation(owner, cast["inside"], name=f"单元{n}")
        appoint_all(owner, installation, on=timezone.localdate() - timedelta(days=60))
    from shouye.risks import generation
    generation.mark_missed()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("major_hazards:list"))
    with django_assert_max_num_queries(len(detail_small.captured_queries) + 1):
        client.get(reverse("major_hazards:detail", args=[first.pk]))


def test_the_bureau_administrator_edits_a_duty_item(client, cast, owner, installation):
    item = DutyItem.objects.get(role="operational", number=1)
    client.force_login(cast["users"]["bureau_staff"])
    assert client.get(reverse("major_hazards:duty-items")).status_code == 403
    client.force_login(cast["users"]["bureau_admin"])
    assert "待补充" in client.get(reverse("major_hazards:duty-items")).content.decode()
    before = snapshot()
    response = client.post(reverse("major_hazards:duty-item", args=[item.pk]),
                           {"text": " ", "frequency_days": "7", "active": "on"})
    assert response.status_code == 400 and snapshot() == before
    response = client.post(reverse("major_hazards:duty-item", args=[item.pk]), {
        "text": "每周对重大危险源进行一次巡查", "frequency_days": "7", "active": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "每周对重大危险源进行一次巡查" and not item.placeholder
    event = AuditEvent.objects.get(verb="major-hazard.duty-item")
    assert event.changes["text"][1] == "每周对重大危险源进行一次巡查"
    # an item no longer in use ends its tasks: they leave the duties and the overdue count
    appoint_all(owner, installation, on=timezone.localdate() - timedelta(days=10))
    from shouye.major_hazards import selectors
    staff = cast["users"]["bureau_staff"]
    assert selectors.overdue_duty_count(staff) == 10  # the operational items' first weekly window was missed
    client.post(reverse("major_hazards:duty-item", args=[item.pk]), {"text": item.text, "frequency_days": "7"})
    assert selectors.overdue_duty_count(staff) == 9
    assert not item.duty_tasks.filter(task__is_active=True).exists()
