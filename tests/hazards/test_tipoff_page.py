"""The public tip-off form at /tip-off/ (issue 3: no login, rate-limited) and the staff's triage pages: a
tip-off turned into a hazard of an enterprise in scope, or dismissed with a reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shouye.audit.models import AuditEvent
from shouye.hazards.choices import HazardLevel, HazardSource, TipOffState
from shouye.hazards.models import Hazard, TipOff

from .conftest import photo, snapshot

pytestmark = pytest.mark.django_db

TIP = {"enterprise_name": "马山镇某烟花店", "township": "370113107", "address": "马山镇政府路8号",
       "description": "店内大量囤积烟花爆竹，门口有人吸烟", "reporter_name": "", "reporter_phone": ""}


@pytest.fixture(autouse=True)
def _townships(district):
    """The demo district's townships, which the form offers."""


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_form_opens_without_signing_in(client):
    response = client.get("/tip-off/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="tip-off-form"' in page and 'enctype="multipart/form-data"' in page
    assert 'name="photo"' in page and 'accept="image/*"' in page
    assert "马山镇" in page  # the township choice


def test_an_anonymous_tip_off_is_received_and_thanked(client):
    response = client.post("/tip-off/", {**TIP, "photo": photo("现场.jpg")})
    assert response.status_code == 302 and response["Location"] == "/tip-off/thanks/"
    tip_off = TipOff.objects.get()
    assert (tip_off.enterprise_name, tip_off.township.code, tip_off.state) == \
        ("马山镇某烟花店", "370113107", TipOffState.NEW)
    assert tip_off.photo and tip_off.ip_address == "127.0.0.1"
    assert AuditEvent.objects.filter(verb="tipoff.submit").count() == 1
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    page = thanks.content.decode()
    assert 'data-testid="tip-off-thanks"' in page and tip_off.receipt_display in page
    assert f'data-testid="receipt-code">{tip_off.receipt_display}<' in page, "the code, not the sequential id"


def test_the_photo_is_optional(client):
    assert client.post("/tip-off/", {**TIP, "township": ""}).status_code == 302
    tip_off = TipOff.objects.get()
    assert not tip_off.photo and tip_off.township is None


def test_a_file_that_is_not_a_photo_is_refused_by_name(client):
    fake = SimpleUploadedFile("现场照片.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    response = client.post("/tip-off/", {**TIP, "photo": fake})
    assert response.status_code == 400
    assert "现场照片.jpg" in response.content.decode()
    assert not TipOff.objects.exists()


def test_a_tip_off_without_a_description_is_refused(client):
    response = client.post("/tip-off/", {**TIP, "description": ""})
    assert response.status_code == 400 and 'invalid-feedback' in response.content.decode()
    assert not TipOff.objects.exists()


def test_the_form_is_rate_limited(client, settings):
    settings.SHOUYE_TIPOFF_RATE_PER_HOUR = 2
    assert [client.post("/tip-off/", TIP).status_code for _ in range(2)] == [302, 302]
    refused = client.post("/tip-off/", TIP)
    assert refused.status_code == 429
    assert 'role="alert"' in refused.content.decode()
    assert TipOff.objects.count() == 2


# --- triage ------------------------------------------------------------------------------------------------


@pytest.fixture
def tip_off(db):
    return TipOff.objects.create(**{**TIP, "township": None}, ip_address="10.0.0.8")


def test_bureau_staff_see_new_tip_offs(client, cast, tip_off):
    page = signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/tip-offs/").content.decode()
    assert "马山镇某烟花店" in page and f"/hazards/tip-offs/{tip_off.pk}/" in page
    detail = client.get(f"/hazards/tip-offs/{tip_off.pk}/").content.decode()
    assert 'data-testid="triage-form"' in detail and cast["inside"].name in detail


def test_accepting_turns_the_tip_off_into_a_hazard(client, cast, tip_off):
    response = signed_in(client, cast["users"]["bureau_staff"]).post(f"/hazards/tip-offs/{tip_off.pk}/", {
        "accept": "1", "enterprise": cast["inside"].pk, "level": HazardLevel.MAJOR,
        "description": "烟花爆竹违规大量存放，门口吸烟"})
    tip_off.refresh_from_db()
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hazards/{hazard.pk}/"
    assert (tip_off.state, tip_off.hazard, hazard.source, hazard.level, hazard.enterprise) == \
        (TipOffState.ACCEPTED, hazard, HazardSource.TIP_OFF, HazardLevel.MAJOR, cast["inside"])
    assert hazard.description == "烟花爆竹违规大量存放，门口吸烟"
    assert AuditEvent.objects.filter(verb="hazard.report").count() == 1


def test_dismissing_needs_a_reason(client, cast, tip_off):
    client = signed_in(client, cast["users"]["bureau_staff"])
    before = snapshot()
    refused = client.post(f"/hazards/tip-offs/{tip_off.pk}/", {"accept": "0", "level": "ordinary",
                                                                "dismiss_reason": ""})
    assert refused.status_code == 400 and snapshot() == before
    response = client.post(f"/hazards/tip-offs/{tip_off.pk}/", {"accept": "0", "level": "ordinary",
                                                                 "dismiss_reason": "经核实为合法经营的仓库"})
    assert response.status_code == 302 and response["Location"] == "/hazards/tip-offs/"
    tip_off.refresh_from_db()
    assert (tip_off.state, tip_off.dismiss_reason) == (TipOffState.DISMISSED, "经核实为合法经营的仓库")
    assert AuditEvent.objects.filter(verb="tipoff.dismiss").count() == 1
    dismissed = client.get("/hazards/tip-offs/?state=dismissed").content.decode()
    assert "马山镇某烟花店" in dismissed
    assert "马山镇某烟花店" not in client.get("/hazards/tip-offs/").content.decode()


def test_a_tip_off_is_triaged_once(client, cast, tip_off):
    client = signed_in(client, cast["users"]["bureau_staff"])
    client.post(f"/hazards/tip-offs/{tip_off.pk}/", {"accept": "0", "level": "ordinary", "dismiss_reason": "重复举报"})
    before = snapshot()
    again = client.post(f"/hazards/tip-offs/{tip_off.pk}/", {"accept": "1", "enterprise": cast["inside"].pk,
                                                             "level": "ordinary"})
    assert again.status_code == 409 and snapshot() == before
    assert 'data-testid="triage-form"' not in again.content.decode()


def test_a_leader_reads_tip_offs_but_does_not_triage_them(client, cast, tip_off):
    client = signed_in(client, cast["users"]["leader"])
    detail = client.get(f"/hazards/tip-offs/{tip_off.pk}/")
    assert detail.status_code == 200 and 'data-testid="triage-form"' not in detail.content.decode()
    before = snapshot()
    response = client.post(f"/hazards/tip-offs/{tip_off.pk}/", {"accept": "1", "enterprise": cast["inside"].pk,
                                                                "level": "ordinary"})
    assert response.status_code == 403 and snapshot() == before


def test_tip_offs_need_the_permission(client, cast, tip_off):
    client = signed_in(client, cast["users"]["township_officer"])
    assert client.get("/hazards/tip-offs/").status_code == 403
    assert client.get(f"/hazards/tip-offs/{tip_off.pk}/").status_code == 403


def test_a_state_that_does_not_exist_is_an_error_not_the_whole_list(client, cast, tip_off):
    """ARCHITECTURE.md §10: an invalid filter is an error, never "ignore it and show everything" (issue 8)."""
    staff = signed_in(client, cast["users"]["bureau_staff"])
    response = staff.get("/hazards/tip-offs/?state=whatever")
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="filter-errors"' in page and tip_off.enterprise_name not in page
    assert staff.get("/api/v1/tip-offs/?state=whatever").status_code == 400
    dismissed = staff.get(f"/hazards/tip-offs/?state={TipOffState.DISMISSED}")
    assert dismissed.status_code == 200 and tip_off.enterprise_name not in dismissed.content.decode()
