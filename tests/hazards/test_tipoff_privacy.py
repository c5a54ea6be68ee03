"""A tip-off's sender is named only where tip-offs are triaged (issue 9 item 1; ARCHITECTURE.md §10;
个人信息保护法). The hazard a tip-off becomes is found by the triaging officer, in the officer's words, with
the public's photo re-encoded under a name that is not the sender's; the enterprise and the township see
"举报" as its source and nothing of who sent it or what they wrote. The generic check over every route is in
tests/core/test_scope.py."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image
from rest_framework.test import APIClient

from shouye.hazards.choices import HazardSource, TipOffState
from shouye.hazards.models import Hazard, HazardPhoto, TipOff
from tests.conftest import api_as

from .conftest import image_bytes, make_hazard, photo, snapshot

pytestmark = pytest.mark.django_db

REPORTER = {"reporter_name": "甄隐名", "reporter_phone": "13700135799"}
WORDS = "我是隔壁仓库的，亲眼看见夜里偷偷灌装液化气"
TIP = {"enterprise_name": "马山镇某液化气站", "township": "370113107", "address": "马山镇104国道旁",
       "description": WORDS, **REPORTER}
#: The officer's own description of the hazard, which the enterprise reads.
OFFICER_WORDS = "液化气钢瓶违规充装，现场无人监护"
#: The name of the file the sender's phone gave the photo.
SENDER_FILE = "甄隐名_IMG_20260701.jpg"
SECRETS = (REPORTER["reporter_name"], REPORTER["reporter_phone"], WORDS, "IMG_20260701")


@pytest.fixture
def staff(cast):
    user = cast["users"]["bureau_staff"]
    user.display_name = "应急局刘科员"
    user.save(update_fields=["display_name"])
    return user


def send_tip_off(**extra) -> TipOff:
    response = APIClient().post("/api/v1/tip-offs/", {**TIP, **extra}, format="multipart",
                                REMOTE_ADDR="203.0.113.99")
    assert response.status_code == 201, response.content
    return TipOff.objects.get(receipt_code=response.json()["receipt_code"].replace("-", ""))


def triage(user, tip_off, **data):
    return api_as(user).post(f"/api/v1/tip-offs/{tip_off.pk}/triage/", data, format="json")


def accepted(staff, cast, **extra) -> Hazard:
    tip_off = send_tip_off(**extra)
    response = triage(staff, tip_off, accept=True, enterprise=cast["inside"].pk, description=OFFICER_WORDS)
    assert response.status_code == 200, response.content
    return Hazard.objects.get(pk=response.json()["hazard"])


def shows_no_secret(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("role", ["enterprise_user", "township_officer"])
def test_the_api_names_the_triaging_officer_not_the_sender(cast, staff, role):
    hazard = accepted(staff, cast, photo=photo(SENDER_FILE))
    response = api_as(cast["users"][role]).get(f"/api/v1/hazards/{hazard.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["found_by"], body["found_by_name"]) == ("应急局刘科员", "应急局刘科员")
    assert (body["source"], body["source_display"]) == (HazardSource.TIP_OFF, "举报")
    assert body["description"] == OFFICER_WORDS
    assert shows_no_secret(response.content.decode()) == []
    ledger = api_as(cast["users"][role]).get("/api/v1/hazards/")
    assert shows_no_secret(ledger.content.decode()) == []


@pytest.mark.parametrize("role", ["enterprise_user", "township_officer"])
def test_the_hazard_page_names_the_triaging_officer_not_the_sender(client, cast, staff, role):
    hazard = accepted(staff, cast, photo=photo(SENDER_FILE))
    client.force_login(cast["users"][role])
    response = client.get(f"/hazards/{hazard.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "应急局刘科员" in page and "举报" in page and OFFICER_WORDS in page
    assert shows_no_secret(page) == []
    assert shows_no_secret(client.get(f"/enterprises/{cast['inside'].pk}/").content.decode()) == []


def test_the_sender_stays_on_the_tip_off_for_those_who_triage(client, cast, staff):
    hazard = accepted(staff, cast)
    tip_off = TipOff.objects.get(hazard=hazard)
    client.force_login(staff)
    page = client.get(f"/hazards/tip-offs/{tip_off.pk}/").content.decode()
    assert REPORTER["reporter_name"] in page and REPORTER["reporter_phone"] in page and WORDS in page
    assert (tip_off.triaged_by, tip_off.state) == (staff, TipOffState.ACCEPTED)


def test_accepting_through_the_api_needs_the_officers_description(cast, staff):
    tip_off = send_tip_off()
    before = snapshot()
    for blank in ({}, {"description": "  "}):
        response = triage(staff, tip_off, accept=True, enterprise=cast["inside"].pk, **blank)
        assert response.status_code == 400
        assert "举报原文" in response.json()["description"][0]
    assert snapshot() == before


def test_accepting_on_the_page_needs_the_officers_description(client, cast, staff):
    tip_off = send_tip_off()
    client.force_login(staff)
    form = client.get(f"/hazards/tip-offs/{tip_off.pk}/").context["form"]
    assert not form["description"].value(), "the form must not start from the sender's words"
    assert form["location"].value() == TIP["address"]
    before = snapshot()
    response = client.post(f"/hazards/tip-offs/{tip_off.pk}/", {
        "accept": "1", "enterprise": cast["inside"].pk, "level": "ordinary", "description": ""})
    assert response.status_code == 400
    assert "举报原文" in " ".join(response.context["form"].errors["description"])
    assert snapshot() == before
    response = client.post(f"/hazards/tip-offs/{tip_off.pk}/", {
        "accept": "1", "enterprise": cast["inside"].pk, "level": "ordinary", "description": OFFICER_WORDS,
        "location": "充装间"})
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hazards/{hazard.pk}/"
    assert (hazard.description, hazard.location, hazard.found_by, hazard.found_by_name) == \
        (OFFICER_WORDS, "充装间", staff, "应急局刘科员")


def test_dismissing_needs_no_description(cast, staff):
    response = triage(staff, send_tip_off(), accept=False, dismiss_reason="经核实为正常作业")
    assert response.status_code == 200 and response.json()["state"] == TipOffState.DISMISSED


def test_the_location_is_the_officers(cast, staff):
    """The API takes the location the officer gives, and none when it gives none: nothing the public wrote
    reaches the hazard unless the officer puts it there."""
    tip_off = send_tip_off()
    triage(staff, tip_off, accept=True, enterprise=cast["inside"].pk, description=OFFICER_WORDS)
    assert Hazard.objects.get().location == ""


@pytest.mark.parametrize("form", [False, True])
def test_stored_photo_names_do_not_carry_the_senders_file_name(client, cast, staff, form):
    if form:
        assert client.post("/tip-off/", {**TIP, "photo": photo(SENDER_FILE)}).status_code == 302
        tip_off = TipOff.objects.get()
    else:
        tip_off = send_tip_off(photo=photo(SENDER_FILE))
    assert tip_off.photo.name.startswith("tipoffs/") and tip_off.photo.name.endswith(".jpg")
    assert shows_no_secret(tip_off.photo.name) == []
    triage(staff, tip_off, accept=True, enterprise=cast["inside"].pk, description=OFFICER_WORDS)
    shared = Hazard.objects.get().photos.get()
    assert shared.image.name == tip_off.photo.name
    assert shows_no_secret(shared.thumbnail.name) == []


def test_the_shared_photo_carries_no_metadata_of_the_sender(client, cast, staff):
    """The photo is shared with the enterprise as the hazard's before-photo: it was re-encoded when received,
    so the EXIF of the sender's phone (here its owner's phone number) is not in what the enterprise fetches."""
    image = Image.new("RGB", (64, 48), (30, 90, 160))
    exif = image.getexif()
    exif[0x013B] = REPORTER["reporter_phone"]  # Artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    assert REPORTER["reporter_phone"].encode() in buffer.getvalue()
    upload = photo(SENDER_FILE)
    upload.file = io.BytesIO(buffer.getvalue())
    upload.size = len(buffer.getvalue())
    hazard = accepted(staff, cast, photo=upload)
    client.force_login(cast["users"]["enterprise_user"])
    for name in (hazard.photos.get().image.name, hazard.photos.get().thumbnail.name):
        response = client.get(f"/media/{name}")
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert content and REPORTER["reporter_phone"].encode() not in content


def test_an_officer_reporting_a_tip_off_hazard_names_no_one_else(cast, staff):
    """Reporting a hazard from a tip-off directly (not by triage) names the reporting officer as who found it:
    the sender's name typed as "found by" is refused."""
    body = {"enterprise": cast["inside"].pk, "description": OFFICER_WORDS, "source": HazardSource.TIP_OFF}
    before = snapshot()
    refused = api_as(staff).post("/api/v1/hazards/", {**body, "found_by_name": REPORTER["reporter_name"]},
                                 format="json")
    assert refused.status_code == 400 and "found_by_name" in refused.json()
    assert snapshot() == before
    response = api_as(staff).post("/api/v1/hazards/", body, format="json")
    assert response.status_code == 201
    assert (response.json()["found_by"], response.json()["found_by_name"]) == ("应急局刘科员", "应急局刘科员")


# --- the data already stored -------------------------------------------------------------------------------


def migration(name: str):
    return importlib.import_module(f"shouye.hazards.migrations.{name}")


def test_hazards_already_made_from_tip_offs_are_found_by_the_officer(cast, staff):
    """Before issue 9 triage named the sender as who found the hazard. The migration names the officer who
    triaged it (or who reported it by hand with the source "tip-off"); other hazards keep their finder."""
    officer = cast["users"]["township_officer"]
    triaged = make_hazard(cast["inside"], source=HazardSource.TIP_OFF, found_by=staff,
                          found_by_name=REPORTER["reporter_name"])
    TipOff.objects.create(enterprise_name=TIP["enterprise_name"], description=WORDS, hazard=triaged,
                          enterprise=cast["inside"], township=cast["inside"].township, state=TipOffState.ACCEPTED,
                          triaged_by=staff, **REPORTER)
    by_hand = make_hazard(cast["inside"], source=HazardSource.TIP_OFF, found_by=officer, found_by_name="王举报")
    inspected = make_hazard(cast["inside"], found_by=officer, found_by_name="联合检查组")
    migration("0010_tip_off_hazards_found_by_the_officer").officer_found_tip_off_hazards(
        django_apps, connection.schema_editor())
    client = api_as(cast["users"]["enterprise_user"])
    found = {pk: (body["found_by"], body["found_by_name"]) for pk in (triaged.pk, by_hand.pk, inspected.pk)
             for body in [client.get(f"/api/v1/hazards/{pk}/").json()]}
    assert found == {triaged.pk: ("应急局刘科员", "应急局刘科员"),
                     by_hand.pk: ("township_officer", "township_officer"),
                     inspected.pk: ("township_officer", "联合检查组")}


def test_photos_already_stored_lose_the_senders_file_name(client, cast, staff, django_capture_on_commit_callbacks):
    """The migration copies each stored tip-off photo, and the thumbnail of the hazard photo sharing it, under
    random names, points the rows at them, and deletes the old files after its commit."""
    old_photo = default_storage.save(f"tipoffs/2026/01/{SENDER_FILE}", ContentFile(image_bytes("JPEG")))
    old_thumbnail = default_storage.save("hazards/2026/01/甄隐名_IMG_20260701-thumb.jpg",
                                         ContentFile(image_bytes("JPEG", size=(32, 24))))
    contents = {name: default_storage.open(name).read() for name in (old_photo, old_thumbnail)}
    hazard = make_hazard(cast["inside"], source=HazardSource.TIP_OFF, found_by=staff, found_by_name="应急局刘科员")
    tip_off = TipOff.objects.create(enterprise_name=TIP["enterprise_name"], description=WORDS, photo=old_photo,
                                    hazard=hazard, enterprise=cast["inside"], township=cast["inside"].township,
                                    state=TipOffState.ACCEPTED, triaged_by=staff)
    shared = HazardPhoto.objects.create(hazard=hazard, kind="before", image=old_photo, thumbnail=old_thumbnail,
                                        uploaded_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        migration("0009_tip_off_photo_names_not_the_senders").rename_stored_photos(
            django_apps, connection.schema_editor())
    tip_off.refresh_from_db()
    shared.refresh_from_db()
    assert shared.image.name == tip_off.photo.name
    assert tip_off.photo.name.startswith("tipoffs/2026/01/") and shared.thumbnail.name.startswith("hazards/2026/01/")
    assert shows_no_secret(tip_off.photo.name + shared.thumbnail.name) == []
    assert default_storage.open(tip_off.photo.name).read() == contents[old_photo]
    assert default_storage.open(shared.thumbnail.name).read() == contents[old_thumbnail]
    assert not default_storage.exists(old_photo) and not default_storage.exists(old_thumbnail)
    client.force_login(cast["users"]["enterprise_user"])
    body = client.get(f"/api/v1/hazards/{hazard.pk}/")
    assert shows_no_secret(body.content.decode()) == []
    assert client.get(body.json()["photos"][0]["url"]).status_code == 200
