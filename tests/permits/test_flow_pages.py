"""The enterprise's pages: the list with its filters, filling in a permit of each kind, the permit's page with
the act of the next signer only, signing on screen through the page, and the watchperson's view."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shouye.permits.choices import PermitKind, PermitState
from shouye.permits.models import SpecialOperationPermit
from shouye.workcalendar.choices import PeriodRuleAction
from tests.conftest import api_as

from .conftest import NOW, PNG, make_permit
from .helpers import prepare, to_in_progress
from .test_rules import period


@pytest.fixture
def browser(client, owner):
    client.force_login(owner)
    return client


def test_the_list_shows_the_permits_with_filters(browser, owner, cast, django_assert_max_num_queries):
    for _ in range(3):
        make_permit(owner, cast["inside"])
    with django_assert_max_num_queries(20):
        response = browser.get("/permits/?kind=hot_work")
    text = response.content.decode()
    assert response.status_code == 200 and text.count('data-number="DH2026120800') == 3
    assert browser.get("/permits/?kind=nuclear").status_code == 400
    assert 'data-kind="confined_space"' in text


@pytest.mark.parametrize("kind", PermitKind.values)
def test_each_kinds_form_renders_its_fields(browser, kind):
    response = browser.get(f"/permits/new/?kind={kind}")
    assert response.status_code == 200 and 'data-testid="permit-form"' in response.content.decode()


def test_filling_in_a_hot_work_permit_on_the_page(browser, cast):
    start = timezone.localtime(NOW + timedelta(minutes=5))
    response = browser.post("/permits/new/?kind=hot_work", {
        "enterprise": cast["inside"].pk, "applicant_unit": "一车间", "work_unit": "检修班", "content": "动火",
        "location": "管廊", "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
        "planned_end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "related_numbers": "GC001, GC002",
        "details-method": "电焊", "details-on_pipe_rack": "on", "watchperson": "监护人", "work_leader": "负责人",
        "person-0-role": "operator", "person-0-name": "动火人", "person-0-certificate_number": "T1",
        "person-0-certificate_issued_on": "2025-01-01"})
    permit = SpecialOperationPermit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/permits/{permit.pk}/"
    assert permit.grade == "1" and permit.related_numbers == ["GC001", "GC002"]
    assert sorted(p.role for p in permit.people.all()) == ["operator", "watchperson", "work_leader"]


def test_the_permit_page_offers_the_next_signature_only(browser, owner, cast, permit, django_assert_max_num_queries):
    prepare(api_as(owner), permit)
    with django_assert_max_num_queries(40):
        response = browser.get(f"/permits/{permit.pk}/")
    text = response.content.decode()
    assert 'data-action="sign"' in text and 'data-action="approve"' not in text
    assert "data-signature-pad" in text and "permits.js" in text
    response = browser.post(f"/permits/{permit.pk}/sign/", {"sign-name": "负责人乙", "sign-image": PNG,
                                                            "sign-latitude": "36.1", "sign-longitude": "116.2"})
    assert response.status_code == 302
    signature = permit.signatures.get()
    assert signature.step == "work_leader" and bytes(signature.image).startswith(b"\x89PNG")
    refused = browser.post(f"/permits/{permit.pk}/approve/", {"approve-name": "审批人", "approve-level": "plant_head"})
    assert refused.status_code == 400


def test_the_draft_is_edited_on_its_page(browser, permit):
    page = browser.get(f"/permits/{permit.pk}/edit/")
    assert page.status_code == 200 and "一车间" in page.content.decode()
    start = timezone.localtime(permit.planned_start)
    response = browser.post(f"/permits/{permit.pk}/edit/", {
        "applicant_unit": "三车间", "work_unit": "检修班", "content": "动火", "location": "管廊",
        "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
        "planned_end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "details-method": "气割",
        "watchperson": "监护人", "person-0-role": "operator", "person-0-name": "动火人",
        "person-0-certificate_number": "T1", "person-0-certificate_issued_on": "2025-01-01"})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.applicant_unit == "三车间" and permit.details["method"] == "气割"


def test_the_watchpersons_view_has_the_countdown_and_big_buttons(browser, owner, permit):
    permit = to_in_progress(api_as(owner), permit)
    text = browser.get(f"/permits/{permit.pk}/watch/").content.decode()
    assert "data-countdown" in text and 'data-testid="watch-suspend"' in text and 'data-testid="watch-revoke"' in text
    assert browser.post(f"/permits/{permit.pk}/revoke/", {"revoke-reason": ""}).status_code == 400
    assert browser.post(f"/permits/{permit.pk}/revoke/", {"revoke-reason": "监护人离开"}).status_code == 302
    permit.refresh_from_db()
    assert permit.state == PermitState.REVOKED


def test_supervisors_read_but_get_no_acts(client, cast, owner, permit):
    client.force_login(cast["users"]["bureau_staff"])
    text = client.get(f"/permits/{permit.pk}/").content.decode()
    assert 'data-testid="no-actions"' in text
    assert client.get(f"/permits/{permit.pk}/watch/").status_code == 403
    assert client.get("/permits/new/?kind=hot_work").status_code == 403


def test_the_workbench_lists_permits_waiting_for_a_signature_and_filings(owner, cast, permit):
    client = api_as(owner)
    prepare(client, permit)
    period(cast, PeriodRuleAction.REQUIRE_FILING, hours=2)
    make_permit(owner, cast["inside"])
    cards = {card["key"]: card for card in client.get("/api/v1/todos/").json()}
    assert cards["permits-awaiting-signature"]["count"] == 1
    assert cards["permits-filings"]["count"] == 1
    assert "permits-awaiting-signature" not in {c["key"] for c in api_as(cast["users"]["bureau_staff"])
                                                .get("/api/v1/todos/").json()}


def test_a_signed_permits_edit_page_is_a_conflict(browser, owner, permit):
    client = api_as(owner)
    prepare(client, permit)
    client.post(f"/api/v1/permits/{permit.pk}/signatures/", {"name": "负责人乙"}, format="json")
    response = browser.get(f"/permits/{permit.pk}/edit/")
    assert response.status_code == 409 and 'data-testid="refusal"' in response.content.decode()


def test_photos_of_measures_in_place(owner, permit):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 60)).save(buffer, "JPEG")
    photo = SimpleUploadedFile("measure.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = api_as(owner).post(f"/api/v1/permits/{permit.pk}/photos/", {"measure": 8, "photos": [photo]},
                                  format="multipart")
    assert response.status_code == 200, response.content.decode()
    assert permit.photos.get().measure.number == 8
