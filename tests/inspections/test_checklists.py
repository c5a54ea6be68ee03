"""Checklists (issue 3): the shipped library (the 20 items of 安监总管三〔2017〕121号, each a major hazard,
and the general checklists), loading it again changes nothing, every signed-in user reads it, an
administrator edits it in the admin, and an inspection keeps the version it used."""

import pytest
from django.apps import apps as django_apps
from django.test import Client

from shouye.hazards.choices import HazardLevel
from shouye.inspections import checklist_library
from shouye.inspections.models import Checklist, ChecklistItem
from tests.conftest import api_as
from tests.inspections.helpers import start

pytestmark = pytest.mark.django_db

GENERAL = ["gas-station", "construction-site", "school", "care-home", "crowded-place", "warehouse"]


def test_the_121_criteria_are_shipped_as_twenty_major_hazard_items():
    checklist = Checklist.objects.get(code="chemical-major-hazards")
    items = list(checklist.items.order_by("order"))
    assert len(items) == 20
    assert [item.legal_basis for item in items] == [f"安监总管三〔2017〕121号 第{n}条" for n in range(1, 21)]
    assert {item.default_level for item in items} == {HazardLevel.MAJOR}
    assert items[1].text == "特种作业人员未持证上岗。"
    assert items[19].text.startswith("未按国家标准分区分类储存危险化学品")
    assert checklist.industry.code == "hazardous_chemicals"


@pytest.mark.parametrize("code", GENERAL)
def test_each_general_checklist_has_sensible_items_with_a_legal_basis(code):
    checklist = Checklist.objects.get(code=code)
    items = list(checklist.items.all())
    assert 8 <= len(items) <= 15
    assert all(item.legal_basis and item.text for item in items)
    assert checklist_library.UNVERIFIED in checklist.description


def test_loading_the_library_again_creates_nothing_and_keeps_edits():
    edited = ChecklistItem.objects.filter(checklist__code="gas-station").first()
    edited.text = "本地修改后的检查内容"
    edited.save()
    before = (Checklist.objects.count(), ChecklistItem.objects.count())
    assert checklist_library.load(django_apps) == {"created": 0}
    assert (Checklist.objects.count(), ChecklistItem.objects.count()) == before
    edited.refresh_from_db()
    assert edited.text == "本地修改后的检查内容"


@pytest.mark.parametrize("role", ["nobody", "enterprise_user", "township_officer"])
def test_every_signed_in_user_reads_the_library(cast, role):
    response = api_as(cast["users"][role]).get("/api/v1/checklists/")
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert {"chemical-major-hazards", *GENERAL} <= codes
    checklist = Checklist.objects.get(code="chemical-major-hazards")
    detail = api_as(cast["users"][role]).get(f"/api/v1/checklists/{checklist.pk}/").json()
    assert len(detail["items"]) == 20
    assert detail["items"][0]["legal_basis"] == "安监总管三〔2017〕121号 第1条"


def test_the_checklist_pages_show_items_with_their_legal_basis(signed_in):
    client = signed_in("enterprise_user")
    page = client.get("/inspections/checklists/").content.decode()
    assert "化工和危险化学品重大生产安全事故隐患判定（20条）" in page
    checklist = Checklist.objects.get(code="gas-station")
    detail = client.get(f"/inspections/checklists/{checklist.pk}/").content.decode()
    assert "GB 50156" in detail and "《安全生产法》第二十七条" in detail


def _admin_change(client, checklist, *, first_text):
    """Post the admin's change form of ``checklist`` with its first item's text replaced."""
    items = list(checklist.items.order_by("order", "id"))
    data = {"code": checklist.code, "name": checklist.name, "description": checklist.description,
            "industry": checklist.industry_id or "", "is_active": "on",
            "items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": str(len(items)),
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    for n, item in enumerate(items):
        data.update({f"items-{n}-id": item.pk, f"items-{n}-checklist": checklist.pk,
                     f"items-{n}-order": item.order, f"items-{n}-text": first_text if n == 0 else item.text,
                     f"items-{n}-legal_basis": item.legal_basis, f"items-{n}-default_level": item.default_level,
                     f"items-{n}-category": item.category})
    return client.post(f"/admin/inspections/checklist/{checklist.pk}/change/", data)


def test_an_inspection_keeps_the_version_it_used_when_the_template_changes_later(cast):
    admin = cast["users"]["bureau_admin"]
    admin.is_staff = True
    admin.save()
    checklist = Checklist.objects.get(code="gas-station")
    original = checklist.items.order_by("order").first().text
    inspection = start(cast["users"]["bureau_staff"], cast["inside"])
    assert (inspection.checklist_version, inspection.checklist_name) == (1, checklist.name)

    client = Client()
    client.force_login(admin)
    response = _admin_change(client, checklist, first_text="修订后的第一项检查内容")
    assert response.status_code == 302
    checklist.refresh_from_db()
    assert checklist.version == 2
    assert checklist.items.order_by("order").first().text == "修订后的第一项检查内容"

    record = api_as(cast["users"]["bureau_staff"]).get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert record["checklist_version"] == 1
    assert record["items"][0]["text"] == original
    later = start(cast["users"]["bureau_staff"], cast["inside"])
    assert later.checklist_version == 2
    assert later.items.order_by("order").first().text == "修订后的第一项检查内容"
