"""A plan version's documents (its text, the filing receipt, the evaluation report) through the API and the
page: checked by content before anything is stored (a renamed program is named and refused), audited with
their digest, served through media serving only to those who see the plan, refused out of scope (404), for a
role that does not keep the plan (403) and on a superseded version (409); and the problems its drills found
shown on the plan's own page."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from shouye.audit.models import AuditEvent
from shouye.core import retention
from shouye.hazards.models import Hazard
from shouye.plans import services
from shouye.plans.choices import DocumentKind, DrillKind, PlanState, ProblemOutcome
from shouye.plans.models import EmergencyPlan, PlanDocument
from tests.conftest import api_as, page_as
from tests.core.test_attachments import stored_files

from .conftest import PDF, attach_text, document, docx_bytes

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03" + bytes(300)


def test_attaching_through_the_api_checks_every_file_first_and_audits_the_digests(owner, plan):
    api = api_as(owner)
    url = f"/api/v1/emergency-plans/{plan.pk}/attach/"
    refused = api.post(url, {"kind": "plan_text", "files": [document(), document("预案正文.pdf", EXE)]},
                       format="multipart")
    assert refused.status_code == 400 and "预案正文.pdf" in refused.json()["files"][0]
    assert not PlanDocument.objects.exists() and stored_files() == []
    empty = api.post(url, {"kind": "plan_text"}, format="multipart")
    assert empty.status_code == 400 and "files" in empty.json()
    response = api.post(url, {"kind": "plan_text", "files": [document("预案正文.docx", docx_bytes()), document()]},
                        format="multipart")
    assert response.status_code == 200, response.json()
    documents = response.json()["documents"]
    assert [(d["kind"], d["original_name"], d["kind_display"]) for d in documents] == [
        ("plan_text", "预案正文.docx", "预案文本"), ("plan_text", "预案文本.pdf", "预案文本")]
    assert documents[1]["size"] == len(PDF) and documents[1]["url"].startswith("http://testserver/media/plans/")
    assert all(name.startswith("plans/documents/") for name in stored_files()) and len(stored_files()) == 2
    event = AuditEvent.objects.get(verb="plans.attach")
    assert event.changes["kind"] == "plan_text" and len(event.changes["documents"]) == 2
    assert event.changes["documents"][1]["sha256"] == documents[1]["sha256"]


def test_a_document_is_served_to_those_who_see_the_plan_only(cast, owner, plan):
    [row] = attach_text(owner, plan)
    url = row.file.url
    for role in ("enterprise_user", "bureau_staff", "township_officer", "leader"):
        response = page_as(cast["users"][role]).get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == PDF and response["Content-Type"] == "application/pdf"
    for role in ("department_officer", "nobody"):
        assert page_as(cast["users"][role]).get(url).status_code == 404, role
    assert Client().get(url).status_code == 302


def test_refused_attachments_change_nothing(cast, owner, plan):
    url = f"/api/v1/emergency-plans/{plan.pk}/attach/"
    body = {"kind": "filing_receipt", "files": [document()]}
    assert api_as(cast["users"]["bureau_staff"]).post(url, body, format="multipart").status_code == 403
    assert api_as(cast["users"]["department_officer"]).post(url, body, format="multipart").status_code == 404
    bad_kind = api_as(owner).post(url, {**body, "kind": "photo"}, format="multipart")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    EmergencyPlan.objects.filter(pk=plan.pk).update(state=PlanState.SUPERSEDED)
    assert api_as(owner).post(url, {**body, "files": [document()]}, format="multipart").status_code == 409
    assert not PlanDocument.objects.exists() and not AuditEvent.objects.filter(verb="plans.attach").exists()


def test_attach_on_the_page_then_file(owner, plan):
    client = page_as(owner)
    page = client.get(f"/emergency-plans/{plan.pk}/").content.decode()
    assert 'data-action="attach"' in page and 'enctype="multipart/form-data"' in page
    bad = client.post(f"/emergency-plans/{plan.pk}/attach/", {"attach-kind": "plan_text",
                                                              "attach-files": [document("预案.pdf", EXE)]})
    assert bad.status_code == 400 and "预案.pdf 不是 PDF" in bad.content.decode()
    response = client.post(f"/emergency-plans/{plan.pk}/attach/", {"attach-kind": "plan_text",
                                                                   "attach-files": [document("预案.pdf")]})
    assert response.status_code == 302
    page = client.get(f"/emergency-plans/{plan.pk}/").content.decode()
    document_row = plan.documents.get()
    assert document_row.file.url in page and "预案.pdf" in page and "预案文本" in page
    client.post(f"/emergency-plans/{plan.pk}/file/", {"file-filed_on": "2026-03-20", "file-filing_number": "备-9"})
    assert EmergencyPlan.objects.get(pk=plan.pk).state == PlanState.FILED


def test_the_plans_api_lists_documents_without_a_query_per_plan(cast, owner, django_assert_max_num_queries):
    for n in range(4):
        plan = services.create_plan(actor=owner, enterprise=cast["inside"], kind="special", title=f"专项{n}",
                                    topics=["production_safety"])
        attach_text(owner, plan)
        services.attach_documents(actor=owner, plan=plan, kind=DocumentKind.EVALUATION_REPORT,
                                  files=[document("评估.docx", docx_bytes())])
    api = api_as(owner)
    with django_assert_max_num_queries(12):
        response = api.get("/api/v1/emergency-plans/")
    assert response.status_code == 200
    assert all(len(row["documents"]) == 2 for row in response.json()["results"])


def test_the_plan_page_shows_what_its_drills_found(owner, plan, onsite):
    drill = services.plan_drill(actor=owner, unit=plan.unit, title="全厂综合演练", kind=DrillKind.FULL_SCALE,
                                planned_on=date(2026, 9, 1), plans=[plan, onsite])
    services.hold_drill(actor=owner, drill=drill, held_on=date(2026, 9, 1), participants=40, evaluation="一般")
    services.record_problem(actor=owner, drill=drill, description="报警器失灵", outcome=ProblemOutcome.HAZARD)
    problem = services.record_problem(actor=owner, drill=drill, description="通讯录过期",
                                      outcome=ProblemOutcome.REVISION, plan=onsite)
    client = page_as(owner)
    page = client.get(f"/emergency-plans/{onsite.pk}/").content.decode()
    assert 'data-testid="plan-problems"' in page and "报警器失灵" in page and "通讯录过期" in page
    assert f'/hazards/{Hazard.objects.get().pk}/' in page and f'/emergency-plans/{problem.revision_id}/' in page
    revision = client.get(f"/emergency-plans/{problem.revision_id}/").content.decode()
    assert "通讯录过期" in revision and "全厂综合演练" in revision and "报警器失灵" not in revision


def test_the_orphan_sweep_keeps_held_documents_and_removes_those_no_row_holds(owner, plan):
    """A document stored by an act that then failed has no row: the daily sweep removes it once a day old, and
    keeps the one a plan holds."""
    [held] = attach_text(owner, plan)
    orphan = default_storage.save("plans/documents/2026/09/未保存.pdf", ContentFile(PDF))
    stored_at = default_storage.get_modified_time(orphan)
    assert retention.remove_orphan_photos(now=stored_at) == 0
    assert retention.remove_orphan_photos(now=stored_at + timedelta(days=2)) == 1
    assert not default_storage.exists(orphan) and default_storage.exists(held.file.name)
