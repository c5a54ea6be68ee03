"""Enforcement documents (issue 3): 现场检查记录, 责令限期整改指令书 and 整改复查意见书 as A4 PDFs with the Chinese
fonts embedded, read back with pypdf; numbers unique and gap-free per kind and year, restarting each year,
also when two officers issue at the same moment (PostgreSQL)."""

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from shouye.audit.models import AuditEvent
from shouye.inspections import services
from shouye.inspections.models import Document, DocumentSequence
from tests.concurrency import at_the_same_moment
from tests.conftest import api_as
from tests.inspections.helpers import finished, mark, start

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
A4_POINTS = (595, 842)


def pdf_text(content: bytes) -> str:
    """The text of every page, without white space (a line may wrap anywhere in Chinese text)."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def contains(text: str, expected: str) -> bool:
    return re.sub(r"\s+", "", expected) in text


def embedded_fonts(reader: PdfReader) -> set[str]:
    """Names of the fonts whose glyphs are embedded in the file (a FontFile in their descriptor)."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].get_object().values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants.get_object()[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]))
    return names


def download(client, document) -> bytes:
    response = client.get(f"/api/v1/inspection-documents/{document['id']}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def issue(actor, inspection, kind="rectification_order", **extra):
    if kind == "rectification_order":
        extra.setdefault("deadline", timezone.localdate() + timedelta(days=15))
    return services.issue_document(actor=actor, inspection=inspection, kind=kind, **extra)


@pytest.fixture
def inspection(cast):
    staff = cast["users"]["bureau_staff"]
    record = start(staff, cast["inside"], subject="加油站专项检查", place="加油区")
    mark(staff, record, non_compliant=(4, 9), finding_4="加油机防爆挠性管破损")
    return services.finish_inspection(actor=staff, inspection=record)


def test_the_rectification_order_reads_back_with_the_bureau_title_number_hazards_and_deadline(cast, inspection,
                                                                                             settings):
    client = api_as(cast["users"]["bureau_staff"])
    deadline = timezone.localdate() + timedelta(days=10)
    response = client.post(f"/api/v1/inspections/{inspection.pk}/documents/",
                           {"kind": "rectification_order", "deadline": deadline.isoformat()}, format="json")
    assert response.status_code == 201, response.json()
    document = response.json()
    year = timezone.localdate().year
    assert document["number"] == f"长应急责改〔{year}〕1号" and document["serial"] == 1
    content = download(client, document)
    reader = PdfReader(io.BytesIO(content))
    assert tuple(round(float(v)) for v in reader.pages[0].mediabox[2:]) == A4_POINTS
    assert any("Noto-Serif-CJK-SC" in font for font in embedded_fonts(reader))
    text = pdf_text(content)
    for expected in (settings.SHOUYE_BUREAU_NAME, "责令限期整改指令书", f"长应急责改〔{year}〕1号", cast["inside"].name,
                     "加油机防爆挠性管破损", "GB 50156", "《中华人民共和国安全生产法》第六十五条",
                     f"{deadline.year}年{deadline.month}月{deadline.day}日", "检查人员（签名）", "（印章）"):
        assert contains(text, expected), expected
    event = AuditEvent.objects.get(verb="inspection.document")
    assert event.note == document["number"]


def test_the_inspection_record_lists_every_item_and_the_people(cast, inspection):
    document = issue(cast["users"]["bureau_staff"], inspection, "inspection_record")
    text = pdf_text(document.file.read())
    year = timezone.localdate().year
    for expected in ("济南市长清区应急管理局", "现场检查记录", f"长应急检记〔{year}〕1号", "加油站专项检查", "加油区",
                     "共检查12项，发现问题2项", str(cast["users"]["bureau_staff"]), "被检查单位现场负责人（签名）"):
        assert contains(text, expected), expected


def test_the_re_inspection_opinion_tells_rectified_from_unrectified(cast, inspection):
    staff = cast["users"]["bureau_staff"]
    order = issue(staff, inspection)
    again = start(staff, cast["inside"], kind="reinspection", checklist=None, reinspection_of=inspection)
    first, second = again.items.order_by("order")
    services.record_results(actor=staff, inspection=again, results=[
        {"item": first.pk, "result": "compliant"}, {"item": second.pk, "result": "non_compliant"}])
    services.finish_inspection(actor=staff, inspection=again)
    opinion = issue(staff, again, "reinspection_opinion", opinion="第1项已整改到位，第2项继续整改。")
    text = pdf_text(opinion.file.read())
    for expected in ("整改复查意见书", opinion.number, order.number, "已整改1项", "未整改完成1项",
                     "第1项已整改到位，第2项继续整改。"):
        assert contains(text, expected), expected


def test_the_issuer_name_and_seal_are_configurable(cast, inspection, settings, tmp_path):
    from PIL import Image

    seal = tmp_path / "seal.png"
    Image.new("RGBA", (120, 120), (220, 0, 0, 255)).save(seal)
    settings.SHOUYE_DOCUMENT_ISSUER = "济南市长清区应急管理局执法大队"
    settings.SHOUYE_DOCUMENT_SEAL_IMAGE = str(seal)
    document = issue(cast["users"]["bureau_staff"], inspection, "inspection_record")
    content = document.file.read()
    assert contains(pdf_text(content), "济南市长清区应急管理局执法大队")
    reader = PdfReader(io.BytesIO(content))
    assert any(page.images for page in reader.pages)


def test_numbers_are_gap_free_per_kind_and_restart_each_year(cast, inspection):
    staff = cast["users"]["bureau_staff"]
    with time_machine.travel(datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI), tick=False):
        orders = [issue(staff, inspection).number for _ in range(3)]
        records = [issue(staff, inspection, "inspection_record").number for _ in range(2)]
    assert orders == ["长应急责改〔2026〕1号", "长应急责改〔2026〕2号", "长应急责改〔2026〕3号"]
    assert records == ["长应急检记〔2026〕1号", "长应急检记〔2026〕2号"]
    with time_machine.travel(datetime(2027, 1, 1, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert issue(staff, inspection).number == "长应急责改〔2027〕1号"
    assert list(Document.objects.filter(kind="rectification_order").order_by("year", "serial")
                .values_list("year", "serial")) == [(2026, 1), (2026, 2), (2026, 3), (2027, 1)]


def test_a_refused_document_takes_no_number(cast, inspection):
    staff = cast["users"]["bureau_staff"]
    client = api_as(staff)
    url = f"/api/v1/inspections/{inspection.pk}/documents/"
    yesterday = timezone.localdate() - timedelta(days=1)
    refused = client.post(url, {"kind": "rectification_order", "deadline": yesterday.isoformat()}, format="json")
    assert refused.status_code == 400 and "deadline" in refused.json()
    missing = client.post(url, {"kind": "rectification_order"}, format="json")
    assert missing.status_code == 400 and "deadline" in missing.json()
    assert Document.objects.count() == 0 and not AuditEvent.objects.filter(verb="inspection.document").exists()
    assert issue(staff, inspection).serial == 1


def test_documents_need_a_finished_inspection_and_the_right_contents(cast):
    staff = cast["users"]["bureau_staff"]
    client = api_as(staff)
    open_one = start(staff, cast["inside"])
    response = client.post(f"/api/v1/inspections/{open_one.pk}/documents/", {"kind": "inspection_record"},
                           format="json")
    assert response.status_code == 409
    clean = finished(staff, cast["inside"], non_compliant=())
    response = client.post(f"/api/v1/inspections/{clean.pk}/documents/",
                           {"kind": "rectification_order", "deadline": str(timezone.localdate())}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    response = client.post(f"/api/v1/inspections/{clean.pk}/documents/",
                           {"kind": "reinspection_opinion", "opinion": "好"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    assert Document.objects.count() == 0 and DocumentSequence.objects.filter(last_number__gt=0).count() == 0


def test_who_issues_and_who_reads(cast, inspection):
    document = issue(cast["users"]["bureau_staff"], inspection, "inspection_record")
    url = f"/api/v1/inspections/{inspection.pk}/documents/"
    for role in ("leader", "enterprise_user", "expert"):
        client = api_as(cast["users"][role])
        assert client.post(url, {"kind": "inspection_record"}, format="json").status_code == 403
        assert [d["number"] for d in client.get(url).json()] == [document.number]
        assert download(client, {"id": document.pk})[:5] == b"%PDF-"
    assert api_as(cast["users"]["township_officer"]).post(url, {"kind": "inspection_record"},
                                                          format="json").status_code == 201
    outsider = api_as(cast["users"]["department_officer"])
    assert outsider.get(f"/api/v1/inspection-documents/{document.pk}/download/").status_code == 404
    assert outsider.get(f"/api/v1/inspection-documents/{document.pk}/").status_code == 404


def test_the_number_template_is_editable_and_carries_into_the_next_year(cast, inspection):
    staff = cast["users"]["bureau_staff"]
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        issue(staff, inspection)
        DocumentSequence.objects.filter(kind="rectification_order", year=2026).update(
            prefix_template="长应急罚责改〔{year}〕{number}号")
        assert issue(staff, inspection).number == "长应急罚责改〔2026〕2号"
    with time_machine.travel(datetime(2027, 1, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert issue(staff, inspection).number == "长应急罚责改〔2027〕1号"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises every write transaction, so issuing can never overlap there")
def test_two_officers_issuing_at_the_same_moment_get_consecutive_numbers(cast, squad_officers):
    staff = cast["users"]["bureau_staff"]
    record = finished(staff, cast["inside"], non_compliant=(1,))
    documents, errors = at_the_same_moment(*(lambda user=user: issue(user, record)
                                             for user in (staff, squad_officers[0])))
    numbers = [(document.serial, document.number) for document in documents]
    assert not errors, errors
    year = timezone.localdate().year
    assert sorted(numbers) == [(1, f"长应急责改〔{year}〕1号"), (2, f"长应急责改〔{year}〕2号")]
    assert DocumentSequence.objects.get(kind="rectification_order", year=year).last_number == 2
    assert sorted(Document.objects.values_list("serial", flat=True)) == [1, 2]


def test_chinese_dates_follow_the_forms():
    from shouye.inspections.documents import chinese_date

    assert chinese_date(date(2026, 5, 1)) == "2026年5月1日"
