"""Cameras are kept by the enterprise's own users and the bureau, each within its scope (issue 13), through the API
and the pages alike."""

import pytest
from django.test import Client
from django.urls import reverse

from shouye.audit.models import AuditEvent
from shouye.major_hazards.models import MajorHazardInstallation
from shouye.monitoring.models import Camera
from tests.conftest import api_as

from . import kit

pytestmark = pytest.mark.django_db


def installation(enterprise, name="1号储罐区"):
    return MajorHazardInstallation.objects.create(enterprise=enterprise, township_id=enterprise.township_id,
                                                  industry_id=enterprise.industry_id, name=name, kind="tank_farm")


def test_an_enterprise_registers_and_sees_only_its_own_cameras(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["outside"], device_id="cam-out", name="外单位摄像头")
    tank = installation(cast["inside"])
    client = api_as(cast["users"]["enterprise_user"])
    created = client.post("/api/v1/cameras/", {"vendor": vendor.code, "vendor_device_id": "cam-9", "name": "卸油区1号",
                                               "zone": "unloading", "enterprise": cast["inside"].pk,
                                               "installation": tank.pk, "longitude": "116.56",
                                               "latitude": "36.51"}, format="json")
    assert created.status_code == 201, created.content
    camera = Camera.objects.get(vendor_device_id="cam-9")
    assert (camera.enterprise, camera.township, camera.installation) == (cast["inside"], cast["inside"].township, tank)
    listed = client.get("/api/v1/cameras/").json()
    names = [row["name"] for row in listed["results"]]
    assert names == ["卸油区1号"]
    outsider = Camera.objects.get(vendor_device_id="cam-out")
    assert client.get(f"/api/v1/cameras/{outsider.pk}/").status_code == 404
    assert client.patch(f"/api/v1/cameras/{outsider.pk}/", {"name": "x"}, format="json").status_code == 404


def test_a_camera_cannot_name_another_enterprises_installation_or_enterprise(cast):
    vendor = kit.vendor()
    client = api_as(cast["users"]["enterprise_user"])
    theirs = installation(cast["outside"], "外单位罐区")
    body = {"vendor": vendor.code, "vendor_device_id": "cam-9", "name": "x", "enterprise": cast["inside"].pk}
    assert "installation" in client.post("/api/v1/cameras/", {**body, "installation": theirs.pk},
                                         format="json").json()
    assert "enterprise" in client.post("/api/v1/cameras/", {**body, "enterprise": cast["outside"].pk},
                                       format="json").json()
    # The bureau sees both enterprises, but the service still refuses another enterprise's installation.
    admin = api_as(cast["users"]["bureau_admin"])
    refused = admin.post("/api/v1/cameras/", {**body, "installation": theirs.pk}, format="json")
    assert refused.status_code == 400 and "installation" in refused.json()
    assert not Camera.objects.exists()


def test_the_same_device_id_twice_is_refused_and_a_camera_is_switched_off(cast):
    vendor = kit.vendor()
    camera = kit.camera(vendor, cast["inside"])
    admin = api_as(cast["users"]["bureau_admin"])
    again = admin.post("/api/v1/cameras/", {"vendor": vendor.code, "vendor_device_id": camera.vendor_device_id,
                                            "name": "x", "enterprise": cast["inside"].pk}, format="json")
    assert again.status_code == 400 and "vendor_device_id" in again.json()
    off = admin.patch(f"/api/v1/cameras/{camera.pk}/", {"is_active": False, "zone": "fuelling"}, format="json")
    assert off.status_code == 200 and off.json()["is_active"] is False
    camera.refresh_from_db()
    assert (camera.is_active, camera.zone) == (False, "fuelling")


def test_a_township_officer_reads_cameras_but_does_not_keep_them(cast):
    vendor = kit.vendor()
    camera = kit.camera(vendor, cast["inside"])
    client = api_as(cast["users"]["township_officer"])
    assert client.get(f"/api/v1/cameras/{camera.pk}/").status_code == 200
    assert client.patch(f"/api/v1/cameras/{camera.pk}/", {"name": "x"}, format="json").status_code == 403


# --- the pages ---------------------------------------------------------------------------------------------------


def _page_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(vendor, enterprise, **values) -> dict:
    return {"enterprise": enterprise.pk, "vendor": vendor.pk, "vendor_device_id": "cam-p1", "name": "加油区2号",
            "zone": "fuelling", "installation": "", "longitude": "", "latitude": "", **values}


def test_an_enterprise_registers_edits_and_switches_off_its_own_camera_on_the_pages(cast):
    vendor = kit.vendor()
    tank = installation(cast["inside"])
    client = _page_as(cast["users"]["enterprise_user"])
    assert client.get(reverse("monitoring:camera-create")).status_code == 200
    created = client.post(reverse("monitoring:camera-create"), _form(vendor, cast["inside"], installation=tank.pk))
    assert created.status_code == 302, created.content.decode()
    camera = Camera.objects.get(vendor_device_id="cam-p1")
    assert (camera.enterprise, camera.installation, camera.zone) == (cast["inside"], tank, "fuelling")
    edited = client.post(reverse("monitoring:camera-update", args=[camera.pk]), {
        "name": "加油区2号（东）", "zone": "perimeter", "installation": "", "longitude": "116.5", "latitude": "36.5",
        "is_active": "on", "vendor": vendor.pk, "vendor_device_id": "changed"})
    assert edited.status_code == 302, edited.content.decode()
    camera.refresh_from_db()
    assert (camera.name, camera.zone, camera.installation, camera.vendor_device_id) == (
        "加油区2号（东）", "perimeter", None, "cam-p1")  # the device id is chosen once
    assert client.post(reverse("monitoring:camera-deactivate", args=[camera.pk])).status_code == 302
    camera.refresh_from_db()
    assert not camera.is_active
    again = client.post(reverse("monitoring:camera-deactivate", args=[camera.pk]), follow=True)
    assert "该摄像头已停用" in again.content.decode()
    assert list(AuditEvent.objects.filter(target_id=str(camera.pk), verb__startswith="camera.").order_by(
        "pk").values_list("verb", flat=True)) == ["camera.create", "camera.update", "camera.deactivate"]


def test_the_camera_form_refuses_with_reasons_and_writes_nothing(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"], device_id="cam-p1")
    theirs = installation(cast["outside"], "外单位罐区")
    admin = _page_as(cast["users"]["bureau_admin"])
    twice = admin.post(reverse("monitoring:camera-create"), _form(vendor, cast["inside"]))
    assert twice.status_code == 400 and "该厂商已有使用此设备编号的摄像头" in twice.content.decode()
    wrong = admin.post(reverse("monitoring:camera-create"), _form(vendor, cast["inside"], vendor_device_id="cam-p2",
                                                                  installation=theirs.pk))
    assert wrong.status_code == 400 and "该重大危险源不属于此企业" in wrong.content.decode()
    own = _page_as(cast["users"]["enterprise_user"])
    outside = own.post(reverse("monitoring:camera-create"), _form(vendor, cast["outside"], vendor_device_id="cam-p3"))
    assert outside.status_code == 400
    assert Camera.objects.count() == 1


def test_the_camera_list_is_scoped_and_filtered(cast):
    vendor, other = kit.vendor(), kit.vendor("other")
    kit.camera(vendor, cast["inside"], device_id="in-1", name="内部摄像头甲", zone="fuelling")
    kit.camera(other, cast["inside"], device_id="in-2", name="内部摄像头乙", is_active=False)
    kit.camera(vendor, cast["outside"], device_id="out-1", name="外部摄像头")
    url = reverse("monitoring:cameras")

    def names(user, query=""):
        answer = _page_as(cast["users"][user]).get(f"{url}?{query}")
        assert answer.status_code == 200
        return sorted(camera.name for camera in answer.context["object_list"])

    assert names("enterprise_user") == ["内部摄像头乙", "内部摄像头甲"]
    assert names("township_officer") == ["内部摄像头乙", "内部摄像头甲"]
    assert names("bureau_staff") == ["内部摄像头乙", "内部摄像头甲", "外部摄像头"]
    assert names("bureau_staff", "vendor=other") == ["内部摄像头乙"]
    assert names("bureau_staff", "is_active=true") == ["内部摄像头甲", "外部摄像头"]
    assert names("bureau_staff", f"enterprise={cast['outside'].pk}") == ["外部摄像头"]
    assert names("bureau_staff", f"township={cast['outside'].township.code}") == ["外部摄像头"]
    # A township officer reads the cameras but does not keep them: no form, no act.
    officer = _page_as(cast["users"]["township_officer"])
    camera = Camera.objects.get(vendor_device_id="in-1")
    assert officer.get(reverse("monitoring:camera-create")).status_code == 403
    assert officer.post(reverse("monitoring:camera-deactivate", args=[camera.pk])).status_code == 403
    camera.refresh_from_db()
    assert camera.is_active


def test_an_enterprise_user_cannot_reach_another_enterprises_camera(cast):
    camera = kit.camera(kit.vendor(), cast["outside"], device_id="out-1")
    client = _page_as(cast["users"]["enterprise_user"])
    assert client.get(reverse("monitoring:camera-update", args=[camera.pk])).status_code == 404
    assert client.post(reverse("monitoring:camera-deactivate", args=[camera.pk])).status_code == 404
    camera.refresh_from_db()
    assert camera.is_active


def test_the_camera_list_reads_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    vendor = kit.vendor()
    for index in range(3):
        kit.camera(vendor, cast["inside"], device_id=f"a-{index}", installation=installation(cast["inside"], f"罐{index}"))
    client = _page_as(cast["users"]["bureau_admin"])
    with django_assert_max_num_queries(15) as few:
        assert client.get(reverse("monitoring:cameras")).status_code == 200
    for index in range(6):
        kit.camera(kit.vendor(f"x{index}"), cast["outside"], device_id=f"b-{index}",
                   installation=installation(cast["outside"], f"外罐{index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("monitoring:cameras")).status_code == 200
