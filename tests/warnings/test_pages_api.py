"""The pages and the API: entering a warning, the board, acknowledging and ticking on the phone page, the
acts' refusals (404 out of scope, 403 role, 409 state, 400 input), seasons and today's status."""

import pytest
from django.urls import reverse
from django.utils import timezone

from shouye.warnings import selectors
from shouye.warnings.models import ChecklistItem, EarlyWarning, NotifiedUnit, Season
from tests.conftest import api_as

pytestmark = pytest.mark.django_db
BASE = "/api/v1/early-warnings/"


def _snapshot():
    return (EarlyWarning.objects.values_list("state", "level").order_by("id").first(),
            NotifiedUnit.objects.filter(acknowledged_at__isnull=False).count(),
            ChecklistItem.objects.filter(done_at__isnull=False).count())


def test_enter_a_warning_on_the_page(client, cast, mashan):
    client.force_login(cast["users"]["bureau_staff"])
    page = client.get(reverse("warnings:create"))
    assert page.status_code == 200
    response = client.post(reverse("warnings:create"), {
        "title": "马山镇大风预警", "kind": "gale", "source": "manual", "level": "2",
        "issued_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "townships": [mashan.pk], "content": "大风"})
    warning = EarlyWarning.objects.get()
    assert response.status_code == 302 and warning.colour == "orange" and not warning.all_district
    assert warning.units.filter(township__isnull=False).count() == 1
    bad = client.post(reverse("warnings:create"), {"title": "x", "kind": "gale", "source": "manual", "level": "9",
                                                   "issued_at": "", "content": ""})
    assert bad.status_code == 400 and EarlyWarning.objects.count() == 1
    assert client.get(reverse("warnings:list")).status_code == 200


def test_board_and_phone_checklist(client, cast, warning):
    officer = cast["users"]["township_officer"]
    client.force_login(officer)
    detail = client.get(reverse("warnings:detail", args=[warning.pk]))
    assert detail.status_code == 200 and b'data-acknowledged="no"' in detail.content
    unit = selectors.own_units(officer, warning).get()
    response = client.post(reverse("warnings:acknowledge", args=[warning.pk]), {"acknowledge-unit": unit.pk})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.acknowledged_by == officer
    page = client.get(reverse("warnings:checklist", args=[warning.pk]))
    assert page.status_code == 200 and page.content.count(b'data-testid="checklist-item"') == 5
    item = unit.items.first()
    response = client.post(reverse("warnings:tick", args=[warning.pk]), {"item": item.pk, "done": "on"})
    assert response.status_code == 302 and response.url == reverse("warnings:checklist", args=[warning.pk])
    item.refresh_from_db()
    assert item.done_at is not None
    other = ChecklistItem.objects.filter(unit__warning=warning).exclude(unit=unit).first()
    refused = client.post(reverse("warnings:tick", args=[warning.pk]), {"item": other.pk, "done": "on"})
    assert refused.status_code == 400
    client.post(reverse("warnings:tick", args=[warning.pk]), {"item": item.pk})
    item.refresh_from_db()
    assert item.done_at is None


def test_page_refusals(client, cast, warning, xiaoli_warning):
    client.force_login(cast["users"]["township_officer"])
    assert client.get(reverse("warnings:detail", args=[xiaoli_warning.pk])).status_code == 404
    before = _snapshot()
    assert client.post(reverse("warnings:lift", args=[warning.pk])).status_code == 403
    client.force_login(cast["users"]["expert"])
    assert client.get(reverse("warnings:list")).status_code == 403
    client.force_login(cast["users"]["bureau_staff"])
    assert client.post(reverse("warnings:lift", args=[warning.pk]), {"lift-note": "解除"}).status_code == 302
    assert client.post(reverse("warnings:lift", args=[warning.pk])).status_code == 409
    assert _snapshot() != before


def test_api_issue_act_and_refusals(cast, mashan):
    staff, officer = api_as(cast["users"]["bureau_staff"]), api_as(cast["users"]["township_officer"])
    response = staff.post(BASE, {"title": "高温橙色预警", "kind": "high_temperature", "source": "meteorological",
                                 "level": 2, "issued_at": timezone.now().isoformat(), "all_district": True,
                                 "content": "高温"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["colour"] == "orange" and len(body["units"][0]["items"]) == 12
    pk = body["id"]
    assert officer.post(BASE, {}, format="json").status_code == 403
    bad = staff.post(BASE, {"title": "x", "kind": "gale", "source": "manual", "level": 7,
                            "issued_at": timezone.now().isoformat(), "content": "x"}, format="json")
    assert bad.status_code == 400 and "level" in bad.json()
    answer = officer.post(f"{BASE}{pk}/acknowledge/", {}, format="json")
    assert answer.status_code == 200
    mine = [u for u in answer.json()["units"] if u["township"] == mashan.code][0]
    assert mine["acknowledged_at"] and mine["minutes_to_acknowledge"] == 0
    assert officer.post(f"{BASE}{pk}/acknowledge/", {}, format="json").status_code == 400
    item = mine["items"][0]["id"]
    assert officer.post(f"{BASE}{pk}/tick/", {"item": item}, format="json").status_code == 200
    assert officer.post(f"{BASE}{pk}/adjust/", {"level": 1}, format="json").status_code == 403
    adjusted = staff.post(f"{BASE}{pk}/adjust/", {"level": 4, "note": "降级"}, format="json")
    assert adjusted.status_code == 200 and adjusted.json()["colour"] == "blue"
    assert staff.post(f"{BASE}{pk}/lift/", {}, format="json").status_code == 200
    assert staff.post(f"{BASE}{pk}/lift/", {}, format="json").status_code == 409
    assert officer.get(f"{BASE}{pk}/").json()["state"] == "lifted"
    assert officer.get(f"{BASE}999999/").status_code == 404
    assert api_as(cast["users"]["expert"]).get(BASE).status_code == 403


def test_seasons_page_api_and_home_panel(client, cast):
    staff = cast["users"]["bureau_staff"]
    client.force_login(staff)
    today = timezone.localdate()
    response = client.post(reverse("warnings:seasons"), {
        "season-kind": "flood", "season-year": today.year, "season-starts_on": today.replace(day=1).isoformat(),
        "season-ends_on": today.isoformat(), "season-notice": "区防指通告", "season-submit": "1"})
    assert response.status_code == 302 and Season.objects.count() == 1
    response = client.post(reverse("warnings:seasons"), {"reading-day": today.isoformat(), "reading-level": "4",
                                                         "reading-source": "manual", "reading-submit": "1"})
    assert response.status_code == 302
    bad = client.post(reverse("warnings:seasons"), {"reading-day": today.isoformat(), "reading-level": "6",
                                                    "reading-source": "manual", "reading-submit": "1"})
    assert bad.status_code == 400
    home = client.get("/")
    assert b'data-testid="warning-status"' in home.content
    status = api_as(cast["users"]["enterprise_user"]).get("/api/v1/warning-status/").json()
    assert status["reading"]["level"] == 4 and status["fire_level"]["colour"] == "orange"
    assert [s["kind"] for s in status["seasons"]] == ["flood"]
    officer = api_as(cast["users"]["township_officer"])
    assert officer.get("/api/v1/warning-seasons/").status_code == 200
    assert officer.post("/api/v1/warning-seasons/", {}, format="json").status_code == 403
    created = api_as(staff).post("/api/v1/warning-seasons/", {
        "kind": "forest_fire", "year": today.year, "starts_on": f"{today.year}-11-01",
        "ends_on": f"{today.year + 1}-05-31"}, format="json")
    assert created.status_code == 201
    client.force_login(cast["users"]["township_officer"])
    assert client.post(reverse("warnings:seasons"), {"reading-day": today.isoformat(),
                                                     "reading-submit": "1"}).status_code == 403


def test_tables_edited_by_the_administrator(client, cast):
    from shouye.warnings.models import FireDangerLevel, MeasureTemplate
    client.force_login(cast["users"]["bureau_staff"])
    scale = {"scale-level": "2", "scale-name": "不易燃烧", "scale-action": "可用火", "scale-colour": "blue",
             "scale-submit": "1"}
    assert client.post(reverse("warnings:seasons"), scale).status_code == 403
    assert client.get(reverse("warnings:measures")).status_code == 403
    client.force_login(cast["users"]["bureau_admin"])
    assert client.post(reverse("warnings:seasons"), scale).status_code == 302
    assert FireDangerLevel.objects.get(level=2).colour == "blue"
    response = client.post(reverse("warnings:measures"), {"level": "3", "article": "0", "text": "检查山洪灾害危险区",
                                                          "active": "on"})
    assert response.status_code == 302
    added = MeasureTemplate.objects.get(level=3, article=0)
    response = client.post(reverse("warnings:measures"), {"template": added.pk, "level": "3", "article": "0",
                                                          "text": "检查山洪灾害危险区和地质灾害隐患点"})
    added.refresh_from_db()
    assert response.status_code == 302 and not added.active and added.text.endswith("隐患点")
    assert client.get(reverse("warnings:measures")).status_code == 200


def test_a_season_recorded_again_corrects_its_dates(cast):
    from datetime import date

    from shouye.warnings import services
    staff = cast["users"]["bureau_staff"]
    services.save_season(actor=staff, kind="flood", year=2025, starts_on=date(2025, 6, 1), ends_on=date(2025, 9, 30))
    services.save_season(actor=staff, kind="flood", year=2025, starts_on=date(2025, 6, 15), ends_on=date(2025, 9, 15))
    assert Season.objects.get().starts_on == date(2025, 6, 15)
