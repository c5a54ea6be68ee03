"""Public tip-offs (issue 3): anyone may send one without signing in, at most SHOUYE_TIPOFF_RATE_PER_HOUR
per client address per hour; bureau staff list them and triage each into a hazard or dismiss it with a
reason."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from shouye.audit.models import AuditEvent
from shouye.hazards import services
from shouye.hazards.choices import HazardSource, PhotoKind, TipOffState
from shouye.hazards.models import Hazard, HazardDailyTotal, TipOff
from tests.conftest import api_as

from .conftest import photo, snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/tip-offs/"
TIP = {"enterprise_name": "某某加油站", "township": "370113107", "address": "马山镇104国道旁",
       "description": "夜间在站内违规卸油，无人监护"}


def send(ip="203.0.113.7", **data):
    return APIClient().post(URL, {**TIP, **data}, format="multipart", REMOTE_ADDR=ip)


def received(response) -> TipOff:
    """The tip-off a receipt is for (the receipt gives the code, not the id)."""
    return TipOff.objects.get(receipt_code=response.json()["receipt_code"].replace("-", ""))


def test_anyone_may_send_a_tip_off_with_a_photo(cast):
    response = send(photo=photo("现场.jpg"), reporter_phone="13900000000")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"receipt_code", "received_at", "detail"}
    tip = received(response)
    assert tip.state == TipOffState.NEW
    assert tip.township.code == "370113107"
    assert tip.ip_address == "203.0.113.7"
    assert tip.photo.name.endswith(".jpg")
    event = AuditEvent.objects.get(verb="tipoff.submit")
    assert event.target_id == str(tip.pk) and event.ip_address == "203.0.113.7"


def test_a_bad_tip_off_is_refused_with_field_messages(cast):
    before = snapshot()
    response = send(description="", photo=SimpleUploadedFile("证据.jpg", b"text", content_type="image/jpeg"))
    assert response.status_code == 400
    assert response.json()["description"] == ["该字段不能为空。"]
    gif = send(photo=SimpleUploadedFile("证据.gif", b"GIF89a....", content_type="image/gif"))
    assert gif.status_code == 400
    assert "证据.gif" in gif.json()["photo"][0]
    assert snapshot() == before


def test_the_rate_limit_per_address_and_hour(cast, settings):
    settings.SHOUYE_TIPOFF_RATE_PER_HOUR = 2
    start = datetime(2026, 7, 1, 10, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False) as clock:
        assert send().status_code == 201
        assert send().status_code == 201
        before = snapshot()
        refused = send()
        assert refused.status_code == 429
        assert refused.json()["detail"]
        assert int(refused["Retry-After"]) > 0
        assert snapshot() == before
        assert send(ip="198.51.100.1").status_code == 201
        clock.move_to(start + timedelta(hours=1))
        assert send().status_code == 201
    assert TipOff.objects.count() == 4


def test_refused_input_does_not_count_against_the_limit(cast, settings):
    settings.SHOUYE_TIPOFF_RATE_PER_HOUR = 1
    assert send(description="").status_code == 400
    assert send().status_code == 201


def test_the_service_raises_when_the_limit_is_reached(cast, settings):
    settings.SHOUYE_TIPOFF_RATE_PER_HOUR = 1
    data = {"enterprise_name": "某仓库", "description": "消防通道堵塞"}
    services.submit_tip_off(data=data, ip_address="192.0.2.1")
    with pytest.raises(services.TooManyTipOffs):
        services.submit_tip_off(data=data, ip_address="192.0.2.1")


def test_only_bureau_staff_see_tip_offs(cast):
    send()
    assert APIClient().get(URL).status_code in (401, 403)
    for role in ("township_officer", "enterprise_user", "expert", "department_officer"):
        assert api_as(cast["users"][role]).get(URL).status_code == 403
    for role in ("bureau_staff", "leader"):
        response = api_as(cast["users"][role]).get(URL)
        assert response.status_code == 200
        assert response.json()["results"][0]["enterprise_name"] == TIP["enterprise_name"]


def triage(user, tip_id, **data):
    return api_as(user).post(f"{URL}{tip_id}/triage/", data, format="json")


def test_triage_into_a_hazard(cast):
    tip_id = received(send(photo=photo("现场.png", "PNG"))).pk
    staff = cast["users"]["bureau_staff"]
    response = triage(staff, tip_id, accept=True, enterprise=cast["inside"].pk, level="major",
                      description="站内违规卸油，卸油作业无人监护")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TipOffState.ACCEPTED
    hazard = Hazard.objects.get(pk=response.json()["hazard"])
    assert hazard.source == HazardSource.TIP_OFF and hazard.level == "major"
    assert hazard.township_id == cast["inside"].township_id and hazard.industry_id == cast["inside"].industry_id
    assert hazard.description == "站内违规卸油，卸油作业无人监护"
    assert list(hazard.photos.values_list("kind", flat=True)) == [PhotoKind.BEFORE]
    assert AuditEvent.objects.filter(verb="hazard.report", target_id=str(hazard.pk)).count() == 1
    assert HazardDailyTotal.objects.get(township=hazard.township_id, level="major").found == 1

    before = snapshot()
    again = triage(staff, tip_id, accept=False, dismiss_reason="重复")
    assert again.status_code == 409
    assert again.json()["state"] == TipOffState.ACCEPTED
    assert snapshot() == before


def test_dismissal_needs_a_reason(cast):
    tip_id = received(send()).pk
    staff = cast["users"]["bureau_staff"]
    before = snapshot()
    refused = triage(staff, tip_id, accept=False)
    assert refused.status_code == 400 and "dismiss_reason" in refused.json()
    assert snapshot() == before
    response = triage(staff, tip_id, accept=False, dismiss_reason="经核实为正常作业")
    assert response.json()["state"] == TipOffState.DISMISSED
    assert response.json()["dismiss_reason"] == "经核实为正常作业"


def test_accepting_needs_an_enterprise(cast):
    tip_id = received(send()).pk
    before = snapshot()
    response = triage(cast["users"]["bureau_staff"], tip_id, accept=True)
    assert response.status_code == 400 and "enterprise" in response.json()
    assert snapshot() == before


def test_the_leader_may_read_but_not_triage(cast):
    tip_id = received(send()).pk
    before = snapshot()
    assert triage(cast["users"]["leader"], tip_id, accept=False, dismiss_reason="x").status_code == 403
    assert snapshot() == before
