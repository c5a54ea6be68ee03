"""Who is on duty now, the roster's pages (Excel, print), the setup, and the phones masked for roles that do
not need them."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouye.duty import services
from shouye.duty.models import DutyPosition
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(cast, crew, mashan):
    staff = cast["users"]["bureau_staff"]
    roster = services.create_roster(actor=staff, unit_kind="bureau", year=2026, month=2)
    services.generate_roster(actor=staff, roster=roster)
    services.publish_roster(actor=staff, roster=roster)
    officer = cast["users"]["township_officer"]
    township = services.create_roster(actor=officer, unit_kind="township", year=2026, month=2, township=mashan,
                                      duty_phone="0531-87000001")
    leader = DutyPosition.objects.get(code="leader")
    for day in range(1, 29):
        services.add_assignment(actor=officer, roster=township, day=date(2026, 2, day), position=leader,
                                name="马山带班", phone="13911112222")
    services.file_roster(actor=officer, roster=township)
    return roster, township


def test_on_duty_now(cast, month, signed_in):
    with time_machine.travel(timezone.make_aware(datetime(2026, 2, 17, 7, 0)), tick=False):
        bureau = signed_in("bureau_staff").get(reverse("duty:now")).content.decode()
        township = signed_in("township_officer").get(reverse("duty:now")).content.decode()
        api = api_as(cast["users"]["bureau_staff"]).get(reverse("duty-roster-on-duty")).json()
    assert "2026-02-16" in bureau                              # 07:00 is still the shift of the 16th
    assert "13911112222" in bureau and "马山带班" in bureau
    assert "马山带班" in township and "13911112222" not in township and "139****2222" in township
    assert "区应急局" not in township or "duty-phone" in township
    assert [unit["unit_kind"] for unit in api] == ["bureau", "township"]
    assert len(api[0]["people"]) == 4                          # a holiday: leader, two officers, standby


def test_roster_pages(cast, month, signed_in):
    roster, township = month
    client = signed_in("bureau_staff")
    page = client.get(reverse("duty:roster", kwargs={"pk": roster.pk})).content.decode()
    assert 'data-mark="holiday"' in page and 'data-testid="duty-phone"' in page
    export = client.get(reverse("duty:roster-export", kwargs={"pk": roster.pk}))
    assert export.status_code == 200
    sheet = load_workbook(__import__("io").BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("日期", "星期", "说明") and len(rows) == 29
    assert rows[17][2] == "节假日（加强值班）"                   # 17 February
    assert client.get(reverse("duty:roster-print", kwargs={"pk": roster.pk})).status_code == 200
    assert client.get(reverse("duty:rosters")).status_code == 200
    assert client.get(reverse("duty:rosters") + "?month=13").status_code == 400
    # The township officer sees its own roster, not the bureau's; the department officer neither.
    assert signed_in("township_officer").get(reverse("duty:roster", kwargs={"pk": roster.pk})).status_code == 404
    assert signed_in("township_officer").get(reverse("duty:roster", kwargs={"pk": township.pk})).status_code == 200
    assert signed_in("department_officer").get(reverse("duty:roster", kwargs={"pk": township.pk})).status_code == 404
    assert signed_in("expert").get(reverse("duty:now")).status_code == 403


def test_create_roster_pages(cast, crew, signed_in):
    client = signed_in("enterprise_user")
    form = client.get(reverse("duty:roster-create")).content.decode()
    assert cast["inside"].name in form and 'value="bureau"' not in form
    answer = client.post(reverse("duty:roster-create"), {"unit": f"enterprise:{cast['inside'].pk}", "year": 2026,
                                                         "month": 4, "duty_phone": "0531-1"})
    assert answer.status_code == 302
    refused = client.post(reverse("duty:roster-create"), {"unit": "bureau", "year": 2026, "month": 4})
    assert refused.status_code == 400
    api = api_as(cast["users"]["enterprise_user"])
    assert api.post(reverse("duty-roster-list"), {"unit": "bureau", "year": 2026, "month": 5},
                    format="json").status_code == 400
    assert api.post(reverse("duty-roster-list"), {"unit": f"enterprise:{cast['inside'].pk}", "year": 2026,
                                                  "month": 5}, format="json").status_code == 201


def test_setup_page(cast, crew, signed_in):
    client = signed_in("bureau_admin")
    assert client.get(reverse("duty:setup")).status_code == 200
    answer = client.post(reverse("duty:setup"), {"form": "season", "season-name": "2026年森林防火期",
                                                 "season-kind": "forest_fire", "season-starts_on": "2026-11-01",
                                                 "season-ends_on": "2026-10-01", "season-standby_per_day": 2})
    assert answer.status_code == 400
    position = DutyPosition.objects.get(code="officer")
    answer = client.post(reverse("duty:setup"), {
        "form": "position-officer", "position-officer-name": "值班员", "position-officer-order": 20,
        "position-officer-per_shift": 2, "position-officer-reinforced_extra": 1})
    assert answer.status_code == 302
    position.refresh_from_db()
    assert position.per_shift == 2
    assert signed_in("bureau_staff").get(reverse("duty:setup")).status_code == 403
