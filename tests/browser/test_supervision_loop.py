"""The supervision loop in a real browser on a phone (issue 3): an officer records an inspection with a photo
and issues the rectification order; the enterprise rectifies with an after-photo; the township officer
re-inspects and closes the hazard out, which the ledger page and its Excel show."""

import io
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db.models import Count
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from shouye.accounts.models import Membership
from shouye.hazards.models import Hazard
from shouye.inspections import checklist_library
from shouye.inspections.models import Checklist, Document, Inspection

from .conftest import ARTEFACTS, PHONE

pytestmark = pytest.mark.browser

#: What the zh-Hans catalogue calls a closed-out hazard and the rectification order.
CLOSED = "已销号"
ORDER_TITLE = "责令限期整改指令书"
FINDING = "二楼配电室门口堆放纸箱，堵塞安全出口（浏览器测试）"
MEASURES = "清理堆放物，恢复安全出口畅通，每日巡查"
RESPONSIBLE = "钱晓静"


@pytest.fixture
def checklists(demo):
    """The checklist library, which a data migration loads and the live server's flush removes."""
    checklist_library.load(django_apps)


def jpeg(colour: str) -> dict:
    """A small real JPEG as Playwright uploads it, like a phone camera's."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return {"name": f"{colour}.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def shortest_checklist(industry) -> Checklist:
    """The shortest active checklist of the enterprise's industry (else of any) that has an ordinary item (a
    major hazard would need a governance plan first)."""
    with_ordinary = Checklist.objects.filter(is_active=True, items__default_level="ordinary").values("pk")
    candidates = Checklist.objects.filter(pk__in=with_ordinary).annotate(n=Count("items")).order_by("n", "pk")
    return candidates.filter(industry=industry).first() or candidates.first()


def horizontal_overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def open_hazard_from_ledger(tab, hazard: Hazard) -> None:
    """The ledger as a phone shows it (cards), then the hazard's page."""
    tab.open("hazards:list")
    cards = tab.page.get_by_test_id("hazard-cards")
    expect(cards).to_be_visible()
    cards.locator(f"a[href$='/hazards/{hazard.pk}/']").click()
    expect(tab.page.get_by_test_id("hazard-description")).to_contain_text(FINDING)


def test_inspection_to_closed_hazard_on_a_phone(visit, checklists):
    enterprise = Membership.objects.get(user__username="qiye").enterprise
    checklist = shortest_checklist(enterprise.industry)
    deadline = timezone.localdate() + timedelta(days=10)
    # The demo district has a year of inspections and hazards: this test's are the ones it adds.
    earlier_inspections = list(Inspection.objects.filter(enterprise=enterprise).values_list("pk", flat=True))
    earlier_hazards = list(Hazard.objects.filter(enterprise=enterprise).values_list("pk", flat=True))

    # 1. The bureau officer starts a routine inspection with a checklist.
    officer = visit(PHONE)
    page = officer.page
    officer.sign_in("staff")
    officer.open("inspections:create")
    form = page.get_by_test_id("inspection-form")
    form.get_by_test_id("enterprise-search").fill(enterprise.name)
    form.get_by_test_id("enterprise-results").get_by_role("option").filter(has_text=enterprise.name).first.click()
    expect(form.locator("#id_enterprise")).to_have_value(str(enterprise.pk))
    form.locator("#id_kind").select_option("routine")
    form.locator("#id_checklist").select_option(str(checklist.pk))
    expect(form.locator("input[name=inspectors]:checked")).to_have_count(1)
    officer.shot("01-new-inspection")
    form.locator("button[type=submit]").click()
    record = page.get_by_test_id("record-form")
    expect(record).to_be_visible()
    inspection = Inspection.objects.filter(enterprise=enterprise).exclude(pk__in=earlier_inspections).get()
    items = list(inspection.items.order_by("order"))
    assert len(items) == checklist.items.count()

    # 2. Every item marked; one ordinary item non-compliant, with its finding and a photo.
    faulty = next(item for item in items if item.default_level == "ordinary")
    for item in items:
        card = page.get_by_test_id(f"item-{item.order}")
        if item.pk == faulty.pk:
            card.locator(f"label[for='r-{item.pk}-non_compliant']").click()
            card.locator(f"#finding-{item.pk}").fill(FINDING)
            card.locator(f"#location-{item.pk}").fill("二楼配电室")
            card.locator(f"#photos-{item.pk}").set_input_files(jpeg("red"))
        else:
            card.locator(f"label[for='r-{item.pk}-compliant']").click()
    assert horizontal_overflow(page) <= 1
    officer.shot("02-items-marked")
    record.locator("button[name=next][value=finish]").click()

    # 3. Finishing confirms the one draft hazard.
    draft = page.get_by_test_id(f"draft-{faulty.order}")
    expect(draft).to_be_visible()
    draft.locator(f"#level-{faulty.pk}").select_option("ordinary")
    officer.shot("03-confirm-hazard")
    page.get_by_test_id("confirm-finish").click()
    expect(page.get_by_test_id("results")).to_be_visible()
    hazard = Hazard.objects.filter(enterprise=enterprise).exclude(pk__in=earlier_hazards).get()
    assert FINDING in hazard.description
    assert hazard.photos.filter(kind="before").count() == 1
    officer.shot("04-finished")

    # 4. Rectification ordered on the hazard: deadline, responsible person, measures.
    page.get_by_test_id("results").locator(f"a[href$='/hazards/{hazard.pk}/']").click()
    expect(page.get_by_test_id("hazard-state")).to_have_attribute("data-state", "reported")
    expect(page.locator("[data-testid=hazard-photos] img[data-kind=before]")).to_have_count(1)
    assign = page.locator("details[data-action=assign]")
    if assign.get_attribute("open") is None:
        assign.locator("summary").click()
    assign.locator("#id_assign-deadline").fill(deadline.isoformat())
    assign.locator("#id_assign-responsible_person").fill(RESPONSIBLE)
    assign.locator("#id_assign-measures").fill(MEASURES)
    officer.shot("05-order-rectification")
    assign.locator("button[type=submit]").click()
    expect(page.get_by_test_id("hazard-state")).to_have_attribute("data-state", "rectifying")
    expect(page.get_by_test_id("hazard-deadline")).to_contain_text(deadline.isoformat())

    # 5. The rectification order issued as PDF and downloaded.
    officer.open("inspections:documents", pk=inspection.pk)
    issue = page.get_by_test_id("issue-form")
    issue.locator("#id_kind").select_option("rectification_order")
    issue.locator("#id_deadline").fill(deadline.isoformat())
    # The officer signs on the screen (static/core/signature.js); the enterprise's pad is left for a pen.
    pad = issue.locator("[data-signature-pad] canvas").first
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + 15, steps=8)
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] * 0.6, steps=8)
    page.mouse.up()
    expect(issue.locator("[data-signature-pad] input[type=hidden]").first).to_have_value(
        re.compile("^data:image/png;base64,"))
    officer.shot("06-issue-order")
    issue.get_by_test_id("issue").click()
    documents = page.get_by_test_id("documents")
    expect(documents).to_contain_text(ORDER_TITLE)
    officer.shot("07-order-issued")
    with page.expect_download() as download_info:
        documents.locator("a[href*='/documents/']").first.click()
    pdf = download_info.value
    assert pdf.suggested_filename.endswith(".pdf")
    body = pdf.path().read_bytes()
    assert body.startswith(b"%PDF")
    (ARTEFACTS / f"{officer.prefix}-07-order.pdf").write_bytes(body)
    text = "".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(body)).pages)
    assert ORDER_TITLE in text
    assert enterprise.name in text
    order = Document.objects.get(inspection=inspection)
    assert list(order.signatures.values_list("role", flat=True)) == ["inspector"]
    assert len({image.name for pdf_page in PdfReader(io.BytesIO(body)).pages for image in pdf_page.images}) == 1
    assert officer.errors == []

    # 6. The enterprise submits the rectification with an after-photo.
    company = visit(PHONE)
    page = company.page
    company.sign_in("qiye")
    open_hazard_from_ledger(company, hazard)
    expect(page.get_by_test_id("hazard-state")).to_have_attribute("data-state", "rectifying")
    submit = page.locator("details[data-action=submit]")
    if submit.get_attribute("open") is None:
        submit.locator("summary").click()
    submit.locator("#id_submit-note").fill("纸箱已清走，安全出口畅通，已安排专人每日巡查")
    submit.locator("#id_submit-photos").set_input_files(jpeg("green"))
    company.shot("08-submit-rectification")
    submit.locator("button[type=submit]").click()
    expect(page.get_by_test_id("hazard-state")).to_have_attribute("data-state", "submitted")
    expect(page.locator("[data-testid=hazard-photos] img[data-kind=after]")).to_have_count(1)
    company.shot("09-submitted")
    assert company.errors == []

    # 7. The township officer re-inspects and closes the hazard out.
    township = visit(PHONE)
    page = township.page
    township.sign_in("mashan")
    open_hazard_from_ledger(township, hazard)
    verify = page.locator("details[data-action=verify]")
    if verify.get_attribute("open") is None:
        verify.locator("summary").click()
    verify.locator("#id_verify-note").fill("现场复查：安全出口畅通，整改合格")
    township.shot("10-verify")
    verify.locator("button[type=submit]").click()
    state = page.get_by_test_id("hazard-state")
    expect(state).to_have_attribute("data-state", "closed")
    expect(state).to_have_text(CLOSED)
    expect(page.get_by_test_id("no-actions")).to_be_visible()
    township.shot("11-closed")

    # 8. Closed in the ledger page and in its Excel.
    township.open("hazards:list")
    card = page.get_by_test_id("hazard-cards").locator(f"a[href$='/hazards/{hazard.pk}/']")
    expect(card).to_contain_text(CLOSED)
    assert horizontal_overflow(page) <= 1
    township.shot("12-ledger")
    with page.expect_download() as download_info:
        page.get_by_test_id("ledger-export").click()
    excel = download_info.value
    assert excel.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(excel.path().read_bytes()), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    ours = [row for row in rows[1:] if row[header.index("隐患描述")] == hazard.description]
    assert len(ours) == 1
    row = ours[0]
    assert row[header.index("企业名称")] == enterprise.name
    assert row[header.index("状态")] == CLOSED
    assert row[header.index("整改责任人")] == RESPONSIBLE
    assert row[header.index("复查人")]
    assert township.errors == []
