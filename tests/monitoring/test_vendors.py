"""The bureau keeps the video vendors (issue 13), through the API and the pages alike: the platform issues the
secret and shows it once; the mapping starts from the protocol's and is edited, an unmapped code in one click;
a vendor switched off can no longer post."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.monitoring import defaults
from shouye.monitoring.intake import auth
from shouye.monitoring.models import AlarmVendor, UnmappedTypeCode, VendorTypeMapping
from tests.conftest import api_as

from . import kit
from . import kit_video as kv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    auth.forget()
    yield
    auth.forget()


def test_the_secret_is_shown_once_and_works(cast):
    admin = api_as(cast["users"]["bureau_admin"])
    created = admin.post("/api/v1/alarm-vendors/", {"code": "hik", "name": "某视频平台", "protocol": "gb28181"},
                         format="json")
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert len(secret) >= 40
    vendor = AlarmVendor.objects.get(code="hik")
    assert vendor.secret == secret and created.json()["key_id"] == vendor.key_id
    pk = vendor.pk
    for answer in (admin.get("/api/v1/alarm-vendors/"), admin.get(f"/api/v1/alarm-vendors/{pk}/"),
                   admin.patch(f"/api/v1/alarm-vendors/{pk}/", {"name": "新名称"}, format="json")):
        assert answer.status_code == 200
        assert secret not in answer.content.decode() and "secret" not in answer.content.decode()
    # A GB/T 28181 vendor starts with the standard's codes and priorities (REGULATIONS-2 §D.1).
    assert {m.vendor_code: m.scenario.code for m in VendorTypeMapping.objects.filter(vendor=vendor)} \
        == defaults.GB28181_TYPES
    assert vendor.severity_map == {k: str(v) for k, v in defaults.GB28181_PRIORITY.items()}
    assert AuditEvent.objects.filter(verb="alarm-vendor.create", target_id=str(pk)).exists()


def test_rotating_the_secret_shows_the_new_one_once_and_the_old_stops_working(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    old = vendor.secret
    admin = api_as(cast["users"]["bureau_admin"])
    rotated = admin.post(f"/api/v1/alarm-vendors/{vendor.pk}/rotate-secret/")
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    assert new != old
    vendor.refresh_from_db()
    assert kv.post(vendor, kv.event(), secret=old).status_code == 401
    assert kv.post(vendor, kv.event()).status_code == 202
    assert new not in admin.get(f"/api/v1/alarm-vendors/{vendor.pk}/").content.decode()


def test_the_mapping_is_edited_and_unmapped_codes_are_shown(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    assert kv.post(vendor, kv.event(type_code="36")).status_code == 400
    admin = api_as(cast["users"]["bureau_admin"])
    detail = admin.get(f"/api/v1/alarm-vendors/{vendor.pk}/").json()
    assert detail["unmapped_codes"][0]["vendor_code"] == "36" and detail["unmapped_codes"][0]["count"] == 1
    changed = admin.patch(f"/api/v1/alarm-vendors/{vendor.pk}/",
                          {"mappings": {"36": "open_flame", "smoking": "smoking"}}, format="json")
    assert changed.status_code == 200
    assert {m["vendor_code"]: m["scenario"] for m in changed.json()["mappings"]} == {"36": "open_flame",
                                                                                   "smoking": "smoking"}
    assert kv.post(vendor, kv.event(type_code="36")).status_code == 202
    refused = admin.patch(f"/api/v1/alarm-vendors/{vendor.pk}/", {"mappings": {"x": "no_such"},
                                                                 "severity_map": {"5": "purple"}}, format="json")
    assert refused.status_code == 400


def test_a_vendor_switched_off_cannot_post(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    admin = api_as(cast["users"]["bureau_admin"])
    assert admin.patch(f"/api/v1/alarm-vendors/{vendor.pk}/", {"is_active": False}, format="json").status_code == 200
    assert kv.post(vendor, kv.event()).status_code == 403


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer", "enterprise_user"])
def test_only_the_bureaus_administrators_keep_vendors(cast, role):
    vendor = kit.vendor()
    client = api_as(cast["users"][role])
    assert client.get("/api/v1/alarm-vendors/").status_code == 403
    assert client.post(f"/api/v1/alarm-vendors/{vendor.pk}/rotate-secret/").status_code == 403
    assert client.post("/api/v1/alarm-vendors/", {"code": "x", "name": "x"}, format="json").status_code == 403
    assert AlarmVendor.objects.count() == 1


# --- the pages ---------------------------------------------------------------------------------------------------


def _admin_page(cast):
    client = Client()
    client.force_login(cast["users"]["bureau_admin"])
    return client


def test_a_vendor_registered_on_its_page_shows_its_secret_once(cast):
    client = _admin_page(cast)
    created = client.post(reverse("monitoring:vendor-create"), {
        "code": "dahua", "name": "某AI平台", "protocol": "json", "replay_window_seconds": "120",
        "severity_map": "3 = 红色\n2：orange\n1 = blue"})
    assert created.status_code == 200, created.content.decode()
    vendor = AlarmVendor.objects.get(code="dahua")
    assert created["Cache-Control"] == "no-store"
    assert vendor.secret in created.content.decode() and vendor.key_id in created.content.decode()
    assert vendor.severity_map == {"3": "red", "2": "orange", "1": "blue"} and vendor.replay_window_seconds == 120
    for page in (reverse("monitoring:vendors"), reverse("monitoring:vendor", args=[vendor.pk]),
                 reverse("monitoring:vendor-update", args=[vendor.pk])):
        answer = client.get(page)
        assert answer.status_code == 200 and vendor.secret not in answer.content.decode()
    assert AuditEvent.objects.filter(verb="alarm-vendor.create", target_id=str(vendor.pk)).exists()


def test_a_refused_vendor_form_says_why_in_chinese_and_writes_nothing(cast):
    kit.vendor("acme")
    client = _admin_page(cast)
    refused = client.post(reverse("monitoring:vendor-create"), {
        "code": "acme", "name": "重复", "protocol": "json", "replay_window_seconds": "300", "severity_map": ""})
    assert refused.status_code == 400 and "已有使用该编码的厂商" in refused.content.decode()
    bad_level = client.post(reverse("monitoring:vendor-create"), {
        "code": "other", "name": "x", "protocol": "json", "replay_window_seconds": "300",
        "severity_map": "5 = purple"})
    assert bad_level.status_code == 400 and "不是有效的预警级别" in bad_level.content.decode()
    assert AlarmVendor.objects.count() == 1


def test_a_vendor_is_edited_and_switched_off_on_its_page(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    client = _admin_page(cast)
    edited = client.post(reverse("monitoring:vendor-update", args=[vendor.pk]), {
        "name": "新名称", "replay_window_seconds": "600", "severity_map": "5 = red\n1 = yellow"})
    assert edited.status_code == 302
    vendor.refresh_from_db()
    assert (vendor.name, vendor.replay_window_seconds, vendor.severity_map, vendor.is_active) == (
        "新名称", 600, {"5": "red", "1": "yellow"}, False)
    assert vendor.code == "acme"  # chosen once, on registration
    assert kv.post(vendor, kv.event()).status_code == 403
    assert AuditEvent.objects.filter(verb="alarm-vendor.update", target_id=str(vendor.pk)).exists()


def test_rotating_on_the_page_shows_the_new_secret_once_and_the_old_stops_working(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    old = vendor.secret
    client = _admin_page(cast)
    rotated = client.post(reverse("monitoring:vendor-rotate-secret", args=[vendor.pk]))
    assert rotated.status_code == 200
    vendor.refresh_from_db()
    assert vendor.secret != old and vendor.secret in rotated.content.decode()
    assert vendor.secret not in client.get(reverse("monitoring:vendor", args=[vendor.pk])).content.decode()
    assert kv.post(vendor, kv.event(), secret=old).status_code == 401
    assert kv.post(vendor, kv.event()).status_code == 202
    assert AuditEvent.objects.filter(verb="alarm-vendor.rotate-secret", target_id=str(vendor.pk)).exists()


def test_an_unmapped_code_is_mapped_in_one_click_and_then_accepted(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    assert kv.post(vendor, kv.event(type_code="36")).status_code == 400
    assert kv.post(vendor, kv.event(type_code="36")).status_code == 400
    client = _admin_page(cast)
    page = client.get(reverse("monitoring:vendor", args=[vendor.pk])).content.decode()
    assert 'data-testid="unmapped-codes"' in page and "<code>36</code>" in page
    mapped = client.post(reverse("monitoring:vendor-map-code", args=[vendor.pk]),
                         {"vendor_code": "36", "scenario": "open_flame"})
    assert mapped.status_code == 302
    assert VendorTypeMapping.objects.get(vendor=vendor, vendor_code="36").scenario.code == "open_flame"
    assert not UnmappedTypeCode.objects.filter(vendor=vendor).exists()
    assert kv.post(vendor, kv.event(type_code="36")).status_code == 202
    event = AuditEvent.objects.get(verb="alarm-vendor.map-code", target_id=str(vendor.pk))
    assert event.changes["refused_before"] == 2


def test_a_code_is_mapped_through_the_api_as_on_the_page(cast):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    assert kv.post(vendor, kv.event(type_code="7/2")).status_code == 400
    admin = api_as(cast["users"]["bureau_admin"])
    unknown = admin.post(f"/api/v1/alarm-vendors/{vendor.pk}/map-code/", {"vendor_code": "7/2", "scenario": "nope"},
                         format="json")
    assert unknown.status_code == 400 and not VendorTypeMapping.objects.filter(vendor_code="7/2").exists()
    mapped = admin.post(f"/api/v1/alarm-vendors/{vendor.pk}/map-code/", {"vendor_code": "7/2", "scenario": "smoking"},
                        format="json")
    assert mapped.status_code == 200 and mapped.json()["unmapped_codes"] == []
    assert kv.post(vendor, kv.event(type_code="7/2")).status_code == 202


def test_the_mapping_table_is_saved_whole_on_the_vendors_page(cast):
    vendor = kit.vendor()
    client = _admin_page(cast)
    rows = [("smoking", "smoking"), ("fire", "open_flame"), ("new", "phone_use")]
    body = {"m-TOTAL_FORMS": "4", "m-INITIAL_FORMS": "0"}
    for index, (code, scenario) in enumerate(rows):
        body.update({f"m-{index}-vendor_code": code, f"m-{index}-scenario": scenario})
    body.update({"m-3-vendor_code": "phone", "m-3-scenario": "phone_use", "m-3-DELETE": "on"})
    saved = client.post(reverse("monitoring:vendor", args=[vendor.pk]), body)
    assert saved.status_code == 302
    assert dict(VendorTypeMapping.objects.filter(vendor=vendor).values_list("vendor_code", "scenario__code")) \
        == dict(rows)
    repeated = client.post(reverse("monitoring:vendor", args=[vendor.pk]), {
        "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-0-vendor_code": "a", "m-0-scenario": "smoking",
        "m-1-vendor_code": "a", "m-1-scenario": "open_flame"})
    assert repeated.status_code == 400 and "每个厂商类型编码只能出现一次" in repeated.content.decode()
    assert VendorTypeMapping.objects.filter(vendor=vendor).count() == 3


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer", "enterprise_user"])
def test_only_the_bureaus_administrators_open_the_vendor_pages(cast, role):
    vendor = kit.vendor()
    client = Client()
    client.force_login(cast["users"][role])
    for name, args in (("monitoring:vendors", []), ("monitoring:vendor", [vendor.pk]),
                       ("monitoring:vendor-create", []), ("monitoring:vendor-update", [vendor.pk])):
        assert client.get(reverse(name, args=args)).status_code == 403
    old = vendor.secret
    assert client.post(reverse("monitoring:vendor-rotate-secret", args=[vendor.pk])).status_code == 403
    vendor.refresh_from_db()
    assert vendor.secret == old


def test_the_vendor_list_counts_in_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    client = _admin_page(cast)
    vendors = [kit.vendor(f"v{n}") for n in range(3)]
    for n, vendor in enumerate(vendors):
        for index in range(n + 1):
            kit.camera(vendor, cast["inside"], device_id=f"cam-{n}-{index}")
        UnmappedTypeCode.objects.create(vendor=vendor, vendor_code=f"x{n}", count=2, last_seen_at=timezone.now())
    with django_assert_max_num_queries(12) as few:
        page = client.get(reverse("monitoring:vendors"))
    assert page.status_code == 200
    for vendor in vendors:
        kit.camera(vendor, cast["outside"], device_id=f"more-{vendor.code}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("monitoring:vendors")).status_code == 200
    assert [(v.code, v.camera_count, v.unmapped_count) for v in page.context["vendors"]] == [
        ("v0", 1, 1), ("v1", 2, 1), ("v2", 3, 1)]


def test_the_vendors_page_reads_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    vendor = kit.vendor()
    client = _admin_page(cast)
    UnmappedTypeCode.objects.create(vendor=vendor, vendor_code="u0", count=1, last_seen_at=timezone.now())
    with django_assert_max_num_queries(15) as few:
        assert client.get(reverse("monitoring:vendor", args=[vendor.pk])).status_code == 200
    for index in range(8):
        UnmappedTypeCode.objects.create(vendor=vendor, vendor_code=f"u{index + 1}", count=1,
                                        last_seen_at=timezone.now())
        VendorTypeMapping.objects.create(vendor=vendor, vendor_code=f"m{index}",
                                         scenario=VendorTypeMapping.objects.filter(vendor=vendor).first().scenario)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("monitoring:vendor", args=[vendor.pk]))
    assert page.status_code == 200 and len(page.context["unmapped"]) == 9
