"""Photos (issue 3) through the hazard API: JPEG, PNG or WebP recognised by content, not by name; at most
SHOUYE_PHOTO_MAX_BYTES each; thumbnails. Anything else is refused with a message naming the file, and nothing
of the act is written. The checks on their own (EXIF orientation, pixel limit) are in
tests/core/test_attachments.py."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shouye.hazards.choices import HazardState, PhotoKind
from shouye.hazards.models import HazardPhoto
from tests.conftest import api_as

from .conftest import image_bytes, make_hazard, photo, snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/hazards/"


def report(user, enterprise, photos):
    return api_as(user).post(URL, {"enterprise": enterprise.pk, "description": "配电箱未接地",
                                   "source": "inspection", "photos": photos}, format="multipart")


@pytest.mark.parametrize(("fmt", "name", "content_type"), [
    ("JPEG", "现场.jpg", "image/jpeg"), ("PNG", "现场.png", "image/png"), ("WEBP", "现场.webp", "image/webp"),
])
def test_real_photos_are_stored_with_a_thumbnail(cast, fmt, name, content_type):
    response = report(cast["users"]["township_officer"], cast["inside"], [photo(name, fmt)])
    assert response.status_code == 201, response.content
    [shown] = response.json()["photos"]
    assert shown["kind"] == PhotoKind.BEFORE
    stored = HazardPhoto.objects.get(pk=shown["id"])
    with Image.open(stored.image) as image:
        assert image.format == fmt
    with Image.open(stored.thumbnail) as thumb:
        assert thumb.format == "JPEG"
        assert max(thumb.size) <= 320
    assert shown["url"].startswith("http://testserver/media/") and shown["thumbnail_url"].endswith(".jpg")


def test_a_photo_is_recognised_by_content_not_by_name(cast):
    """A PNG named .jpg is a PNG: accepted and stored as one."""
    response = report(cast["users"]["township_officer"], cast["inside"],
                      [SimpleUploadedFile("misnamed.jpg", image_bytes("PNG"), content_type="image/jpeg")])
    assert response.status_code == 201
    stored = HazardPhoto.objects.get(pk=response.json()["photos"][0]["id"])
    assert stored.image.name.endswith(".png")


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("整改后.jpg", "这不是图片，是一段文字".encode(), content_type="image/jpeg"),
    SimpleUploadedFile("动图.gif", image_bytes("GIF"), content_type="image/gif"),
    SimpleUploadedFile("空文件.png", b"", content_type="image/png"),
], ids=["text-named-jpg", "gif", "empty"])
def test_fake_photos_are_refused_naming_the_file(cast, upload):
    before = snapshot()
    response = report(cast["users"]["township_officer"], cast["inside"], [upload])
    assert response.status_code == 400
    [message] = response.json()["photos"]
    assert upload.name in message
    assert snapshot() == before


def test_a_photo_over_the_size_limit_is_refused_naming_the_file(cast, settings):
    """A real PNG (noise does not compress) over a limit lowered for the test."""
    settings.SHOUYE_PHOTO_MAX_BYTES = 2048
    noisy = Image.effect_noise((400, 400), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    big = SimpleUploadedFile("太大了.png", buffer.getvalue(), content_type="image/png")
    assert big.size > 2048
    before = snapshot()
    response = report(cast["users"]["township_officer"], cast["inside"], [photo("小图.jpg"), big])
    assert response.status_code == 400
    [message] = response.json()["photos"]
    assert "太大了.png" in message and "小图.jpg" not in message
    assert snapshot() == before


def test_every_refused_file_is_named(cast):
    hazard = make_hazard(cast["inside"], state=HazardState.RECTIFYING)
    before = snapshot(hazard)
    response = api_as(cast["users"]["enterprise_user"]).post(f"{URL}{hazard.pk}/submit/", {
        "note": "已整改", "photos": [
            photo("好的.jpg"),
            SimpleUploadedFile("一.jpg", b"plain text", content_type="image/jpeg"),
            SimpleUploadedFile("二.gif", image_bytes("GIF"), content_type="image/gif"),
        ]}, format="multipart")
    assert response.status_code == 400
    messages = response.json()["photos"]
    assert len(messages) == 2
    assert "一.jpg" in messages[0] and "二.gif" in messages[1]
    assert snapshot(hazard) == before


def test_after_photos_of_a_submission(cast):
    hazard = make_hazard(cast["inside"], state=HazardState.RECTIFYING)
    response = api_as(cast["users"]["enterprise_user"]).post(f"{URL}{hazard.pk}/submit/", {
        "note": "已加装接地线", "photos": [photo("a.jpg"), photo("b.webp", "WEBP")]}, format="multipart")
    assert response.status_code == 200
    assert [p["kind"] for p in response.json()["photos"]] == [PhotoKind.AFTER, PhotoKind.AFTER]


def test_the_default_limit_is_10_mb(cast):
    before = snapshot()
    huge = SimpleUploadedFile("巨大.jpg", b"\xff\xd8\xff\xe0" + bytes(10 * 2**20), content_type="image/jpeg")
    response = report(cast["users"]["township_officer"], cast["inside"], [huge])
    assert response.status_code == 400
    assert "巨大.jpg" in response.json()["photos"][0] and "10 MB" in response.json()["photos"][0]
    assert snapshot() == before
