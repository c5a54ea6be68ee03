"""The inspection pages (issue 3), as an officer uses them on a phone: start an inspection (the two-officer
rule refused with its message, nothing written), mark items with large buttons and photos from the camera,
confirm the draft hazards, issue a document, and find it all on the enterprise's ledger page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from shouye.audit.models import AuditEvent
from shouye.hazards.models import Hazard, HazardPhoto
from shouye.inspections import services
from shouye.inspections.models import Checklist, Document, Inspection, InspectionItem, InspectionPhoto
from tests.inspections.helpers import finished, jpeg, mark, start

pytestmark = pytest.mark.django_db

TWO_OFFICERS = "An enforcement inspection needs at least two enforcement officers (Administrative Penalty Law, Art. 42)."


def form_data(cast, **overrides):
    data = {"enterprise": cast["inside"].pk, "kind": "routine",
            "checklist": Checklist.objects.get(code="gas-station").pk,
            "inspected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "加油区",
            "subject": "节前检查", "inspectors": [cast["users"]["bureau_staff"].pk]}
    data.update(overrides)
    return data


def written():
    return Inspection.objects.count(), InspectionItem.objects.count(), AuditEvent.objects.count()


def test_the_form_finds_only_enterprises_in_scope(cast, signed_in):
    """The picker searches (issue 10: no drop-down of the district's enterprises); the search and the
    prefilled enterprise keep to the user's scope."""
    officer = signed_in("township_officer")
    page = officer.get("/inspections/new/").content.decode()
    assert cast["outside"].name not in page and cast["building"].name not in page
    names = [row["name"] for row in officer.get("/inspections/new/enterprises/?q=有限公司").json()["results"]]
    assert cast["inside"].name in names
    assert cast["outside"].name not in names and cast["building"].name not in names
    prefilled = signed_in("bureau_staff").get(f"/inspections/new/?enterprise={cast['building'].pk}").content.decode()
    assert re.search(rf'name="enterprise" value="{cast["building"].pk}"', prefilled)
    assert f'value="{cast["building"].name}"' in prefilled
    foreign = officer.get(f"/inspections/new/?enterprise={cast['building'].pk}").content.decode()
    assert cast["building"].name not in foreign


def test_an_enforcement_inspection_with_one_officer_is_refused_on_the_page(cast, signed_in):
    before = written()
    response = signed_in("bureau_staff").post("/inspections/new/", form_data(cast, kind="enforcement"))
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = translation.gettext(TWO_OFFICERS)
    assert "行政处罚法" in expected, "the message reaches the officer in Chinese"
    error = re.search(r'data-testid="inspectors-error">([^<]+)<', response.content.decode())
    assert error and unescape(error.group(1)) == expected
    assert written() == before


def test_an_enforcement_inspection_with_two_officers_starts(cast, signed_in, squad_officers):
    response = signed_in("bureau_staff").post("/inspections/new/", form_data(
        cast, kind="enforcement", inspectors=[officer.pk for officer in squad_officers]))
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert response["Location"] == f"/inspections/{inspection.pk}/"
    assert inspection.kind == "enforcement" and inspection.inspectors.count() == 2


def test_the_record_page_is_made_for_a_phone(cast, signed_in):
    inspection = start(cast["users"]["bureau_staff"], cast["inside"])
    page = signed_in("bureau_staff").get(f"/inspections/{inspection.pk}/").content.decode()
    item = inspection.items.order_by("order").first()
    assert f'name="result-{item.pk}"' in page and 'class="btn-check"' in page
    assert page.count('accept="image/*" capture="environment"') == inspection.items.count() + 1
    assert "GB 50156" in page and 'name="viewport"' in page


def test_marking_with_photos_then_confirming_the_edited_hazards(cast, signed_in):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    items = list(inspection.items.order_by("order"))
    data = {f"result-{item.pk}": "compliant" for item in items}
    data.update({f"result-{items[6].pk}": "non_compliant", f"finding-{items[6].pk}": "灭火器压力不足",
                 f"location-{items[6].pk}": "便利店", f"result-{items[11].pk}": "not_applicable",
                 f"photos-{items[6].pk}": jpeg("灭火器.jpg"), "photos": jpeg("全景.jpg"), "next": "finish"})
    client = signed_in("bureau_staff")
    response = client.post(f"/inspections/{inspection.pk}/record/", data)
    assert response.status_code == 302 and response["Location"] == f"/inspections/{inspection.pk}/finish/"
    assert InspectionPhoto.objects.filter(item=items[6]).count() == 1
    assert InspectionPhoto.objects.filter(item__isnull=True).count() == 1

    confirm = client.get(f"/inspections/{inspection.pk}/finish/").content.decode()
    assert 'data-testid="draft-7"' in confirm and "灭火器压力不足" in confirm
    assert 'data-testid="draft-12"' not in confirm
    response = client.post(f"/inspections/{inspection.pk}/finish/", {
        f"description-{items[6].pk}": "便利店2具灭火器压力不足", f"level-{items[6].pk}": "ordinary",
        f"location-{items[6].pk}": "便利店收银台旁"})
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert (hazard.description, hazard.location, hazard.level) == ("便利店2具灭火器压力不足", "便利店收银台旁", "ordinary")
    assert hazard.township_id == cast["inside"].township_id
    assert HazardPhoto.objects.filter(hazard=hazard, kind="before").count() == 1
    record = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert f"#{hazard.pk}" in record and 'data-testid="record-form"' not in record


def test_a_bad_photo_is_refused_by_name_and_nothing_is_written(cast, signed_in):
    inspection = start(cast["users"]["bureau_staff"], cast["inside"])
    item = inspection.items.order_by("order").first()
    before = written()
    response = signed_in("bureau_staff").post(f"/inspections/{inspection.pk}/record/", {
        f"result-{item.pk}": "non_compliant",
        f"photos-{item.pk}": SimpleUploadedFile("报告.pdf", b"%PDF-1.4 not a photo")})
    assert response.status_code == 400 and "报告.pdf" in response.content.decode()
    assert written() == before and InspectionPhoto.objects.count() == 0
    item.refresh_from_db()
    assert item.result == "pending"


def test_finishing_with_unchecked_items_is_explained(cast, signed_in):
    inspection = start(cast["users"]["bureau_staff"], cast["inside"])
    page = signed_in("bureau_staff").get(f"/inspections/{inspection.pk}/finish/").content.decode()
    assert 'data-testid="unchecked"' in page and 'data-testid="finish-form"' not in page
    response = signed_in("bureau_staff").post(f"/inspections/{inspection.pk}/finish/", {})
    assert response.status_code == 400
    inspection.refresh_from_db()
    assert inspection.state == "in_progress"


def test_issuing_a_rectification_order_on_the_documents_page(cast, signed_in):
    inspection = finished(cast["users"]["township_officer"], cast["inside"])
    client = signed_in("township_officer")
    deadline = timezone.localdate() + timedelta(days=7)
    response = client.post(f"/inspections/{inspection.pk}/documents/",
                           {"kind": "rectification_order", "deadline": deadline.isoformat()})
    assert response.status_code == 302
    document = Document.objects.get()
    page = client.get(f"/inspections/{inspection.pk}/documents/").content.decode()
    assert document.number in page
    assert "整改复查意见书</option>" in page and ">复查意见</label>" in page  # the document, and the field
    pdf = client.get(f"/inspections/documents/{document.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    refused = client.post(f"/inspections/{inspection.pk}/documents/", {"kind": "rectification_order"})
    assert refused.status_code == 400 and Document.objects.count() == 1
    assert signed_in("leader").post(f"/inspections/{inspection.pk}/documents/",
                                    {"kind": "inspection_record"}).status_code == 403


def test_out_of_scope_pages_answer_404(cast, signed_in):
    staff = cast["users"]["bureau_staff"]
    outside = finished(staff, cast["outside"], non_compliant=())
    document = services.issue_document(actor=staff, inspection=outside, kind="inspection_record")
    client = signed_in("township_officer")
    for url in (f"/inspections/{outside.pk}/", f"/inspections/{outside.pk}/finish/",
                f"/inspections/{outside.pk}/documents/", f"/inspections/documents/{document.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/inspections/{outside.pk}/record/", {}).status_code == 404
    assert client.post(f"/inspections/{outside.pk}/documents/", {"kind": "inspection_record"}).status_code == 404
    assert Document.objects.count() == 1


def test_the_list_page_filters_and_the_ledger_panel(cast, signed_in):
    staff = cast["users"]["bureau_staff"]
    mine = start(staff, cast["inside"], subject="马山节前检查")
    start(staff, cast["outside"], subject="孝里节前检查")
    mark(staff, mine, non_compliant=(1,))
    page = signed_in("township_officer").get("/inspections/").content.decode()
    assert "马山节前检查" in page and "孝里节前检查" not in page
    filtered = signed_in("bureau_staff").get("/inspections/", {"township": "370113008"}).content.decode()
    assert "孝里节前检查" in filtered and "马山节前检查" not in filtered
    ledger = signed_in("enterprise_user").get(f"/enterprises/{cast['inside'].pk}/").content.decode()
    assert 'data-testid="inspections-panel"' in ledger and "马山节前检查" in ledger
    assert f'/inspections/{mine.pk}/' in ledger
