"""Field-ready documents (issue 10): a preview before the number is taken, the inspectors' names and
enforcement certificate numbers printed, signatures drawn on screen placed in the PDF (blank lines kept when
signing on paper), the rectification order on one A4 page for five hazards, the delivery receipt (送达回证),
and the enterprise finding its documents on its hazard's page. Through the pages and the API, read back
with pypdf."""

import base64
import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw
from pypdf import PdfReader

from shouye.audit.models import AuditEvent
from shouye.inspections import services
from shouye.inspections.models import Document, DocumentSequence, DocumentSignature
from tests.conftest import api_as
from tests.inspections.helpers import mark, start
from tests.inspections.test_documents import contains, pdf_text

pytestmark = pytest.mark.django_db

LONG_FINDING = ("加油机底部防爆挠性管外层破损，内层钢丝外露，加油作业时存在油品渗漏和静电引燃风险，现场未设置警示标识，"
                "操作人员未按规定每日巡检并记录")


def signature_png(color=(0, 0, 0, 255), size=(600, 200)) -> bytes:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(30, 150), (200, 40), (380, 160), (560, 50)], fill=color, width=6)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


INK = (0, 0, 0, 255)
BLUE_INK = (20, 40, 160, 255)


def zh(message: str) -> str:
    """A message as the Chinese page shows it."""
    with translation.override("zh-hans"):
        return gettext(message)


def data_url(content: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def image_count(content: bytes) -> int:
    """The distinct images placed in the PDF (WeasyPrint lists a shared image in every page's resources)."""
    return len({image.name for page in PdfReader(io.BytesIO(content)).pages for image in page.images})


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def staff(cast):
    user = cast["users"]["bureau_staff"]
    user.display_name = "王执法"
    user.enforcement_certificate_no = "37011322001"
    user.save()
    return user


@pytest.fixture
def inspection(cast, staff):
    record = start(staff, cast["inside"], subject="加油站专项检查", place="加油区")
    mark(staff, record, non_compliant=(4, 9), finding_4="加油机防爆挠性管破损")
    return services.finish_inspection(actor=staff, inspection=record)


def order_form(**extra) -> dict:
    return {"kind": "rectification_order",
            "deadline": (timezone.localdate() + timedelta(days=15)).isoformat(), **extra}


def nothing_issued() -> bool:
    return (not Document.objects.exists() and not DocumentSequence.objects.filter(last_number__gt=0).exists()
            and not DocumentSignature.objects.exists()
            and not AuditEvent.objects.filter(verb="inspection.document").exists())


# --- preview, then confirm -----------------------------------------------------------------------------


def test_the_preview_is_the_document_without_a_number_and_takes_none(signed_in, inspection, staff):
    client = signed_in("bureau_staff")
    response = client.post(f"/inspections/{inspection.pk}/documents/preview/",
                           order_form(**{f"signature-{staff.pk}": data_url(signature_png())}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    text = pdf_text(response.content)
    for expected in ("责令限期整改指令书", "预览/草稿", "（编号于确认出具时生成）", "加油机防爆挠性管破损",
                     "王执法（执法证号：37011322001）"):
        assert contains(text, expected), expected
    assert "长应急责改" not in text
    assert image_count(response.content) == 1  # the signature, as it will be printed
    assert nothing_issued()

    confirmed = client.post(f"/inspections/{inspection.pk}/documents/",
                            order_form(**{f"signature-{staff.pk}": data_url(signature_png())}))
    assert confirmed.status_code == 302
    document = Document.objects.get()
    year = timezone.localdate().year
    assert document.number == f"长应急责改〔{year}〕1号"
    text = pdf_text(document.file.read())
    assert contains(text, document.number) and "预览" not in text and "草稿" not in text


def test_a_refused_preview_shows_the_errors_and_writes_nothing(signed_in, inspection):
    client = signed_in("bureau_staff")
    response = client.post(f"/inspections/{inspection.pk}/documents/preview/",
                           order_form(deadline=(timezone.localdate() - timedelta(days=1)).isoformat()))
    assert response.status_code == 400
    assert zh("The deadline cannot be in the past.") in response.content.decode()
    assert nothing_issued()
    assert signed_in("enterprise_user").post(f"/inspections/{inspection.pk}/documents/preview/",
                                             order_form()).status_code == 403
    assert signed_in("department_officer").post(f"/inspections/{inspection.pk}/documents/preview/",
                                                order_form()).status_code == 404
    assert nothing_issued()


def test_the_issue_page_offers_a_pad_per_inspector_and_one_for_the_recipient(signed_in, inspection, staff):
    page = signed_in("bureau_staff").get(f"/inspections/{inspection.pk}/documents/").content.decode()
    assert f'name="signature-{staff.pk}"' in page and 'name="recipient_signature"' in page
    assert page.count("data-signature-pad") == 2 and "core/signature.js" in page
    assert "37011322001" in page and 'data-testid="preview"' in page


# --- names, certificate numbers and signatures ------------------------------------------------------


def test_every_document_prints_the_inspectors_with_their_certificate_numbers(cast, inspection, staff):
    other = cast["users"]["township_officer"]
    other.display_name, other.enforcement_certificate_no = "李镇安", "37011322017"
    other.save()
    record = start(staff, cast["inside"], inspectors=[staff, other])
    mark(staff, record, non_compliant=(2,))
    record = services.finish_inspection(actor=staff, inspection=record)
    order = services.issue_document(actor=staff, inspection=record, kind="rectification_order",
                                    deadline=timezone.localdate() + timedelta(days=10))
    minutes = services.issue_document(actor=staff, inspection=record, kind="inspection_record")
    receipt = services.issue_document(actor=staff, inspection=record, kind="delivery_receipt",
                                      served_document=order, delivery_method="in_person")
    for document in (order, minutes, receipt):
        text = pdf_text(document.file.read())
        for expected in ("王执法（执法证号：37011322001）", "李镇安（执法证号：37011322017）"):
            assert contains(text, expected), (document.kind, expected)


def test_signatures_drawn_on_screen_are_in_the_pdf_and_blank_lines_stay_without_them(signed_in, inspection,
                                                                                    staff):
    client = signed_in("bureau_staff")
    client.post(f"/inspections/{inspection.pk}/documents/", order_form())
    on_paper = Document.objects.get()
    paper_pdf = on_paper.file.read()
    assert image_count(paper_pdf) == 0
    text = pdf_text(paper_pdf)
    assert contains(text, "检查人员（签名）：") and contains(text, "被检查单位负责人（签收）：")

    response = client.post(f"/inspections/{inspection.pk}/documents/", order_form(**{
        f"signature-{staff.pk}": data_url(signature_png()), "recipient_signature": data_url(signature_png(BLUE_INK)),
        "recipient_name": "赵站长"}))
    assert response.status_code == 302
    signed = Document.objects.exclude(pk=on_paper.pk).get()
    signed_pdf = signed.file.read()
    assert image_count(signed_pdf) == 2
    assert contains(pdf_text(signed_pdf), "赵站长")
    assert sorted(signed.signatures.values_list("role", "name")) == [("inspector", "王执法"), ("recipient", "赵站长")]
    assert bytes(signed.signatures.get(role="inspector").image).startswith(b"\x89PNG")


@pytest.mark.parametrize(("value", "message"), [
    (data_url(b"\xff\xd8\xff\xe0 not a png", "image/jpeg"), "The signature must be a PNG image."),
    ("data:image/png;base64,@@@", "The signature could not be read."),
    (data_url(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "The signature could not be read."),
    (data_url(b"GIF89a" + b"\0" * 64), "The signature must be a PNG image."),
    (data_url(signature_png(size=(3000, 100))), "The signature image is too large."),
    (data_url(b"\x89PNG\r\n\x1a\n" + b"\0" * (300 * 1024)), "The signature is larger than %(kb)d kB."),
])
def test_a_signature_that_is_not_a_small_real_png_is_refused_and_nothing_is_issued(signed_in, inspection, staff,
                                                                                     value, message):
    response = signed_in("bureau_staff").post(f"/inspections/{inspection.pk}/documents/",
                                              order_form(**{f"signature-{staff.pk}": value}))
    assert response.status_code == 400
    assert zh(message).replace("%(kb)d", "256") in response.content.decode()
    assert nothing_issued()


def test_the_api_takes_signatures_by_inspector_and_refuses_a_stranger_s(cast, inspection, staff):
    client = api_as(staff)
    url = f"/api/v1/inspections/{inspection.pk}/documents/"
    stranger = cast["users"]["township_officer"]
    refused = client.post(url, {**order_form(), "inspector_signatures": {str(stranger.pk): data_url(signature_png())}},
                          format="json")
    assert refused.status_code == 400 and "inspector_signatures" in refused.json()
    unsigned_recipient = client.post(url, {**order_form(), "recipient_signature": data_url(signature_png(BLUE_INK))},
                                     format="json")
    assert unsigned_recipient.status_code == 400 and "recipient_name" in unsigned_recipient.json()
    assert nothing_issued()
    response = client.post(url, {**order_form(), "inspector_signatures": {str(staff.pk): data_url(signature_png())},
                                 "recipient_name": "赵站长", "recipient_signature": data_url(signature_png(BLUE_INK))},
                           format="json")
    assert response.status_code == 201, response.json()
    content = b"".join(client.get(response.json()["download"]).streaming_content)
    assert image_count(content) == 2


# --- one page for five hazards --------------------------------------------------------------------------


def test_the_rectification_order_fits_one_a4_page_with_five_hazards_and_signatures(cast, staff):
    record = start(staff, cast["inside"], subject="加油站专项检查", place="加油区、罐区、配电室")
    mark(staff, record, non_compliant=(1, 2, 3, 4, 5), **{f"finding_{n}": LONG_FINDING for n in range(1, 6)})
    record = services.finish_inspection(actor=staff, inspection=record)
    order = services.issue_document(
        actor=staff, inspection=record, kind="rectification_order",
        deadline=timezone.localdate() + timedelta(days=15), recipient_name="赵站长",
        inspector_signatures={staff.pk: data_url(signature_png())}, recipient_signature=data_url(signature_png(BLUE_INK)))
    content = order.file.read()
    text = pdf_text(content)
    assert text.count(LONG_FINDING) == 5 and contains(text, "王执法（执法证号：37011322001）")
    assert image_count(content) == 2
    assert page_count(content) == 1


# --- the delivery receipt -------------------------------------------------------------------------------


def test_the_delivery_receipt_names_the_document_served_the_recipient_place_and_method(signed_in, cast,
                                                                                     inspection, staff):
    client = signed_in("bureau_staff")
    order = services.issue_document(actor=staff, inspection=inspection, kind="rectification_order",
                                    deadline=timezone.localdate() + timedelta(days=15))
    response = client.post(f"/inspections/{inspection.pk}/documents/", {
        "kind": "delivery_receipt", "served_document": order.pk, "delivery_method": "in_person",
        "delivery_place": "加油站站长办公室", "recipient_name": "赵站长", "opinion": "当场签收",
        "recipient_signature": data_url(signature_png(BLUE_INK)), f"signature-{staff.pk}": data_url(signature_png())})
    assert response.status_code == 302
    receipt = Document.objects.get(kind="delivery_receipt")
    year = timezone.localdate().year
    assert receipt.number == f"长应急送达〔{year}〕1号" and receipt.served_document == order
    content = receipt.file.read()
    text = pdf_text(content)
    for expected in ("送达回证", receipt.number, "送达文书名称及文号", f"《责令限期整改指令书》（{order.number}）",
                     "受送达人", cast["inside"].name, "加油站站长办公室", "直接送达", "收件人（签名或盖章）", "赵站长",
                     "送达人（签名）", "王执法（执法证号：37011322001）", "备注", "当场签收"):
        assert contains(text, expected), expected
    assert image_count(content) == 2 and page_count(content) == 1


def test_a_delivery_receipt_needs_a_document_of_this_inspection_and_a_method(signed_in, cast, inspection, staff):
    client = signed_in("bureau_staff")
    other = start(staff, cast["inside"])
    mark(staff, other)
    other = services.finish_inspection(actor=staff, inspection=other)
    foreign = services.issue_document(actor=staff, inspection=other, kind="inspection_record")
    before = Document.objects.count()
    response = client.post(f"/inspections/{inspection.pk}/documents/", {"kind": "delivery_receipt"})
    assert response.status_code == 400
    page = response.content.decode()
    assert zh("Choose the document that is served.") in page and zh("Choose how the document is served.") in page
    api = api_as(staff).post(f"/api/v1/inspections/{inspection.pk}/documents/",
                             {"kind": "delivery_receipt", "served_document": foreign.pk,
                              "delivery_method": "post"}, format="json")
    assert api.status_code == 400 and "served_document" in api.json()
    assert Document.objects.count() == before


# --- the enterprise's documents on its hazard --------------------------------------------------------


def test_the_enterprise_user_finds_its_documents_on_its_hazard_and_not_another_s(signed_in, cast, inspection, staff):
    order = services.issue_document(actor=staff, inspection=inspection, kind="rectification_order",
                                    deadline=timezone.localdate() + timedelta(days=15))
    hazard = inspection.items.exclude(hazard=None).first().hazard
    client = signed_in("enterprise_user")
    page = client.get(f"/hazards/{hazard.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="hazard-documents"' in html and order.number in html
    download = client.get(f"/inspections/documents/{order.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"

    elsewhere = start(staff, cast["outside"], checklist="gas-station")
    mark(staff, elsewhere, non_compliant=(1,))
    elsewhere = services.finish_inspection(actor=staff, inspection=elsewhere)
    foreign = services.issue_document(actor=staff, inspection=elsewhere, kind="rectification_order",
                                      deadline=timezone.localdate() + timedelta(days=15))
    foreign_hazard = elsewhere.items.exclude(hazard=None).first().hazard
    assert client.get(f"/inspections/documents/{foreign.pk}/").status_code == 404
    assert client.get(f"/hazards/{foreign_hazard.pk}/").status_code == 404
    assert foreign.number not in client.get(f"/hazards/{hazard.pk}/").content.decode()


def test_the_hazard_page_lists_its_documents_in_a_fixed_number_of_queries(signed_in, inspection, staff,
                                                                         django_assert_max_num_queries):
    hazard = inspection.items.exclude(hazard=None).first().hazard
    client = signed_in("enterprise_user")
    services.issue_document(actor=staff, inspection=inspection, kind="inspection_record")
    with django_assert_max_num_queries(60) as one:
        client.get(f"/hazards/{hazard.pk}/")
    for _ in range(4):
        services.issue_document(actor=staff, inspection=inspection, kind="inspection_record")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(f"/hazards/{hazard.pk}/").content.decode().count('data-testid="document-download"') == 5
