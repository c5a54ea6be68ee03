"""The attachments building block (shouye.core.attachments): photos are checked by content, size, pixel count
and EXIF orientation and stored with a thumbnail; a photo already stored by one row is given to another by
naming the same stored file, never re-encoded or copied (issue 8): an inspection item's photos become the
hazard's before-photos, a tip-off's photo the hazard's before-photo. Documents (issue 14) are checked by content
(PDF, DOCX/XLSX by their package's declaration, DOC/XLS by their compound file's streams, OFD), by size, and
stored with their name, size, type and SHA-256; serving and the sweep are tested with the plans' documents
(tests/plans)."""

import hashlib
import io
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from shouye.core import attachments, uploads
from shouye.hazards.choices import PhotoKind
from shouye.hazards.models import Hazard, HazardPhoto, TipOff
from shouye.hazards.services import report_hazard
from shouye.inspections.models import InspectionPhoto
from tests.conftest import api_as
from tests.hazards.conftest import image_bytes, photo
from tests.inspections.helpers import jpeg, mark, start
from tests.plans.conftest import PDF, document, docx_bytes, ofd_bytes, ole_bytes, package, xlsx_bytes

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    """Every file under MEDIA_ROOT, by its storage name."""
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(str(Path(folder, name).relative_to(root)) for folder, _, names in os.walk(root) for name in names)


def tip_off_with_photo() -> TipOff:
    """A tip-off sent by the public through the API with one photo (the rate limit's count starts afresh)."""
    cache.clear()
    response = APIClient().post("/api/v1/tip-offs/", {
        "enterprise_name": "某某加油站", "township": "370113107", "description": "夜间在站内违规卸油，无人监护",
        "photo": photo("现场.png", "PNG")}, format="multipart", REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 201, response.content
    return TipOff.objects.get(receipt_code=response.json()["receipt_code"].replace("-", ""))


def refusal(uploads_, **options) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        attachments.check_photos(uploads_, **options)
    return refused.value.message_dict[options.get("field", "photos")]


# --- the checks on their own ----------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "extension", "content_type"), [
    ("JPEG", "jpg", "image/jpeg"), ("PNG", "png", "image/png"), ("WEBP", "webp", "image/webp")])
def test_a_photo_is_kept_in_its_format_with_a_jpeg_thumbnail_of_at_most_320_pixels(fmt, extension, content_type):
    """Recognised by content: the upload's name says .bin, the stored name takes the real format's extension."""
    [checked] = attachments.check_photos([photo("现场.bin", fmt, size=(1200, 900))])
    assert checked.image.name == f"现场.{extension}" and checked.content_type == content_type
    assert (checked.width, checked.height) == (1200, 900)
    with Image.open(checked.image) as image:
        assert image.format == fmt
    with Image.open(checked.thumbnail) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (320, 240)
    assert checked.thumbnail.name == "现场-thumb.jpg"


def test_what_is_not_a_jpeg_png_or_webp_photo_is_refused_naming_each_file():
    messages = refusal([photo("好的.jpg"),
                        SimpleUploadedFile("说明.jpg", "这不是图片".encode(), content_type="image/jpeg"),
                        SimpleUploadedFile("动图.gif", image_bytes("GIF"), content_type="image/gif")],
                       field="photo")
    assert len(messages) == 2 and "说明.jpg" in messages[0] and "动图.gif" in messages[1]


def test_a_photo_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.SHOUYE_PHOTO_MAX_BYTES = 2 * 2**20
    big = SimpleUploadedFile("太大.jpg", b"\xff\xd8\xff\xe0" + bytes(2 * 2**20), content_type="image/jpeg")
    [message] = refusal([big])
    assert "太大.jpg" in message and "2 MB" in message


def test_an_exif_rotated_jpeg_is_stored_upright():
    """A phone held upright saves a landscape pixel grid with EXIF orientation 6 (rotate 90°): the stored
    image is portrait and carries no orientation left to apply; so is its thumbnail."""
    upload = photo("rotated.jpg", size=(80, 40), orientation=6)
    with Image.open(io.BytesIO(upload.read())) as raw:
        assert raw.size == (80, 40) and raw.getexif().get(0x0112) == 6
    upload.seek(0)
    [checked] = attachments.check_photos([upload])
    with Image.open(checked.image) as image:
        assert image.size == (40, 80)
        assert image.getexif().get(0x0112) in (None, 1)
    with Image.open(checked.thumbnail) as thumb:
        assert thumb.size[0] < thumb.size[1]


def test_a_decompression_bomb_is_refused_without_decoding_it():
    """70 megapixels of one colour compress to a few kilobytes; decoded they would take hundreds of MB."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 7_000)).save(buffer, "PNG")
    bomb = SimpleUploadedFile("炸弹.png", buffer.getvalue(), content_type="image/png")
    assert bomb.size < 100_000 and 10_000 * 7_000 > uploads.MAX_PIXELS
    [message] = refusal([bomb])
    assert "炸弹.png" in message


def test_a_required_photo_is_asked_for_with_the_act_s_own_message():
    assert attachments.check_photos([]) == []
    assert refusal([], required=True) == ["请至少添加一张照片。"]
    assert refusal(None, required=True, required_message="Add one after-photo.") == ["Add one after-photo."]


# --- storing and sharing --------------------------------------------------------------------------------


def test_photos_are_stored_by_month_under_the_model_s_folder(cast):
    hazard = report_hazard(actor=cast["users"]["bureau_staff"], enterprise=cast["inside"],
                           description="配电箱未接地", source="inspection", photos=[photo("配电箱.jpg")])
    stored = hazard.photos.get()
    assert stored.image.name.startswith(HazardPhoto.upload_prefix) and "/配电箱" in stored.image.name
    assert stored.image.name.split("/")[1:3] == attachments.upload_path(stored, "x").split("/")[1:3]
    assert stored_files() == sorted([stored.image.name, stored.thumbnail.name])


def test_sharing_a_photo_names_the_same_stored_files(cast):
    staff = cast["users"]["bureau_staff"]
    first = report_hazard(actor=staff, enterprise=cast["inside"], description="配电箱未接地",
                          source="inspection", photos=[photo()])
    second = report_hazard(actor=staff, enterprise=cast["inside"], description="同一配电箱",
                           source="inspection", stored_photos=first.photos.all())
    original, shared = first.photos.get(), second.photos.get()
    assert (shared.image.name, shared.thumbnail.name) == (original.image.name, original.thumbnail.name)
    assert shared.kind == PhotoKind.BEFORE and shared.uploaded_by == staff
    assert len(stored_files()) == 2


def test_a_shared_photo_without_a_thumbnail_gets_one_made_from_the_stored_image(cast):
    tip_off = TipOff(enterprise_name="某加油站", township=cast["inside"].township, description="夜间违规卸油")
    [checked] = attachments.check_photos([photo("现场.png", "PNG", size=(800, 600))])
    tip_off.photo.save(checked.image.name, checked.image)
    stored_image = Path(tip_off.photo.path).read_bytes()
    hazard = report_hazard(actor=cast["users"]["bureau_staff"], enterprise=cast["inside"],
                           description="夜间违规卸油", source="inspection")
    row = attachments.share_photo(HazardPhoto, {"hazard": hazard, "kind": PhotoKind.BEFORE},
                                  image=tip_off.photo, actor=cast["users"]["bureau_staff"])
    assert row.image.name == tip_off.photo.name
    assert Path(tip_off.photo.path).read_bytes() == stored_image
    assert row.thumbnail.name.startswith("hazards/") and row.thumbnail.name.endswith("-thumb.jpg")
    with Image.open(row.thumbnail) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (320, 240)


# --- through the API: finishing an inspection, triaging a tip-off ----------------------------------------


def test_finishing_an_inspection_gives_the_hazard_the_item_s_photos_without_a_second_copy(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"], checklist="warehouse")
    item = inspection.items.get(order=3)
    client = api_as(staff)
    response = client.post(f"/api/v1/inspections/{inspection.pk}/photos/",
                           {"item": item.pk, "photos": [jpeg("通道.jpg"), jpeg("堆垛.jpg", color=(0, 90, 0))]},
                           format="multipart")
    assert response.status_code == 201
    mark(staff, inspection, non_compliant=(3,))
    files = stored_files()
    assert len(files) == 4
    response = client.post(f"/api/v1/inspections/{inspection.pk}/finish/", {}, format="json")
    assert response.status_code == 200, response.content
    assert stored_files() == files
    hazard = Hazard.objects.get()
    shared = [(p.kind, p.image.name, p.thumbnail.name) for p in hazard.photos.all()]
    assert shared == [(PhotoKind.BEFORE, p.image.name, p.thumbnail.name) for p in InspectionPhoto.objects.all()]


def test_triaging_a_tip_off_gives_the_hazard_its_photo_without_a_second_copy(cast):
    tip_off = tip_off_with_photo()
    assert stored_files() == [tip_off.photo.name]
    response = api_as(cast["users"]["bureau_staff"]).post(f"/api/v1/tip-offs/{tip_off.pk}/triage/", {
        "accept": True, "enterprise": cast["inside"].pk, "description": "加油站夜间违规卸油"}, format="json")
    assert response.status_code == 200, response.content
    before = Hazard.objects.get().photos.get()
    assert before.kind == PhotoKind.BEFORE and before.image.name == tip_off.photo.name
    assert stored_files() == sorted([tip_off.photo.name, before.thumbnail.name])


# --- documents ------------------------------------------------------------------------------------------


def document_refusal(uploads_, **options) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        attachments.check_documents(uploads_, **options)
    return refused.value.message_dict[options.get("field", "documents")]


# Named ids: the generated packages carry the time they were made, so ids made of their bytes could differ between
# two xdist workers collecting a second apart, and xdist refuses to run then.
@pytest.mark.parametrize(("data", "extension", "content_type"), [
    (PDF, "pdf", "application/pdf"),
    (docx_bytes(), "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (xlsx_bytes(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (ole_bytes("WordDocument"), "doc", "application/msword"),
    (ole_bytes("Workbook"), "xls", "application/vnd.ms-excel"),
    (ole_bytes("Book"), "xls", "application/vnd.ms-excel"),
    (ofd_bytes(), "ofd", "application/ofd"),
], ids=["pdf", "docx", "xlsx", "doc", "xls-workbook", "xls-book", "ofd"])
def test_a_document_is_recognised_by_content_and_keeps_its_name_size_and_digest(data, extension, content_type):
    """The upload's name says .bin: the stored name takes the real kind's extension, the original is kept."""
    [checked] = attachments.check_documents([document("备案材料.bin", data)])
    assert checked.file.name == f"备案材料.{extension}" and checked.content_type == content_type
    assert checked.original_name == "备案材料.bin" and checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


def test_what_is_not_a_document_is_refused_naming_each_file():
    """A program renamed .pdf, a macro-enabled Word file, a zip of anything, an OLE file that is neither Word
    nor Excel (an .msi installer is one), a photo and an empty file: each named, nothing accepted."""
    docm = docx_bytes("application/vnd.ms-word.document.macroEnabled.main+xml")
    uploads_ = [document("预案.pdf"), document("预案文本.pdf", b"MZ\x90\x00" + bytes(200)),
                document("带宏.docx", docm), document("材料.zip", package({"readme.txt": "x"})),
                document("安装.doc", ole_bytes("SummaryInformation")), document("照片.pdf", image_bytes()),
                document("空白.pdf", b""), document("损坏.docx", b"PK\x03\x04" + bytes(100))]
    messages = document_refusal(uploads_, field="files")
    names = ["预案文本.pdf", "带宏.docx", "材料.zip", "安装.doc", "照片.pdf", "空白.pdf", "损坏.docx"]
    assert len(messages) == len(names)
    assert all(name in message for name, message in zip(names, messages, strict=True))
    assert "不是 PDF" in messages[0] and "空白.pdf" in messages[5]


def test_a_document_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.SHOUYE_DOCUMENT_MAX_BYTES = 2 * 2**20
    big = document("评估报告.pdf", PDF + bytes(2 * 2**20))
    [message] = document_refusal([big])
    assert "评估报告.pdf" in message and "2 MB" in message
    assert attachments.check_documents([document("评估报告.pdf", PDF + bytes(2**20))])


def test_the_document_limit_is_20_mb_unless_configured():
    assert django_settings.SHOUYE_DOCUMENT_MAX_BYTES == 20 * 2**20


def test_a_zip_bomb_is_recognised_without_inflating_it():
    """A package whose content-types part inflates to 50 MB: only its first kilobytes are read."""
    bomb = package({"[Content_Types].xml": "<Types>" + " " * (50 * 2**20) + "</Types>"})
    assert len(bomb) < 2**20
    [message] = document_refusal([document("炸弹.docx", bomb)])
    assert "炸弹.docx" in message


def test_a_required_document_is_asked_for():
    assert attachments.check_documents([]) == []
    assert document_refusal([], required=True) == ["请至少添加一份文件。"]
