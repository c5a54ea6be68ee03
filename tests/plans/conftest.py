"""Fixtures of the plans tests: the clock stands on 2026-09-15 (a year the work calendar covers), the cast's
enterprise ``inside`` (hazardous chemicals: a high-risk unit) and its user, and a plan published on
2026-03-02; and documents of each kind a plan may hold, built in memory (also used by tests/core)."""

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from shouye.core.xlsx import new_workbook, workbook_bytes
from shouye.plans import services
from shouye.plans.choices import DocumentKind, PlanKind

TODAY = date(2026, 9, 15)
PUBLISHED = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 9, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def owner(cast):
    return cast["users"]["enterprise_user"]


def make_plan(actor, enterprise=None, *, kind=PlanKind.COMPREHENSIVE, title="全厂生产安全事故应急预案", topics=(),
              published_on=None, **unit):
    plan = services.create_plan(actor=actor, enterprise=enterprise, kind=kind, title=title, topics=topics, **unit)
    if published_on is not None:
        plan = services.publish_plan(actor=actor, plan=plan, published_on=published_on)
    return plan


@pytest.fixture
def plan(owner, cast):
    return make_plan(owner, cast["inside"], published_on=PUBLISHED)


@pytest.fixture
def onsite(owner, cast):
    return make_plan(owner, cast["inside"], kind=PlanKind.ON_SITE, title="罐区泄漏现场处置方案",
                     published_on=PUBLISHED)


# --- documents -------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def package(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes(main: str = WORD_MAIN) -> bytes:
    return package({"[Content_Types].xml": f'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
                                           f'ContentType="{main}"/></Types>', "word/document.xml": "<w:document/>"})


def xlsx_bytes() -> bytes:
    workbook = new_workbook()
    workbook.active.append(["应急物资", "数量"])
    return workbook_bytes(workbook)


def ole_bytes(stream: str) -> bytes:
    """A compound file's header and a directory entry naming ``stream`` (UTF-16LE), as Word and Excel write."""
    return OLE + bytes(504) + stream.encode("utf-16-le") + bytes(64)


def ofd_bytes() -> bytes:
    return package({"OFD.xml": '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"><ofd:DocBody/>'
                               '</ofd:OFD>', "Doc_0/Document.xml": "<ofd:Document/>"})


def document(name: str = "预案文本.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def attach_text(actor, plan):
    """The plan's text attached (a PDF), as filing needs (shouye.plans.services.file_plan)."""
    return services.attach_documents(actor=actor, plan=plan, kind=DocumentKind.PLAN_TEXT, files=[document()])
