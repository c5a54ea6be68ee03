"""One way to re-inspect (issue 10): a hazard's re-inspection (复查) decided on its page or API and an
inspection of kind "re-inspection" are the same act seen from two places. Deciding it on the hazard records
the re-inspection inspection (or marks the open one) in the same transaction; finishing a re-inspection
inspection passes or rejects its hazards awaiting re-inspection. Tested from both sides."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.hazards import services as hazard_services
from shouye.hazards.models import Hazard
from shouye.inspections import services
from shouye.inspections.models import Inspection
from tests.conftest import api_as
from tests.inspections.helpers import jpeg, mark, start
from tests.inspections.test_documents import contains, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(cast):
    """An inspection that found two ordinary hazards, both rectified and submitted for re-inspection."""
    staff = cast["users"]["bureau_staff"]
    record = start(staff, cast["inside"])
    mark(staff, record, non_compliant=(4, 9), finding_4="加油机防爆挠性管破损")
    record = services.finish_inspection(actor=staff, inspection=record)
    hazards = [item.hazard for item in record.items.exclude(hazard=None).order_by("order")]
    Hazard.objects.filter(pk__in=[h.pk for h in hazards]).update(level="ordinary")
    for hazard in hazards:
        hazard_services.assign_rectification(actor=staff, hazard=hazard,
                                             deadline=timezone.localdate() + timedelta(days=10),
                                             responsible_person="赵站长", measures="更换挠性管")
        hazard_services.submit_rectification(actor=cast["users"]["enterprise_user"], hazard=hazard,
                                             note="已更换", photos=[jpeg()])
    return record, [Hazard.objects.get(pk=h.pk) for h in hazards]


def reinspections():
    return Inspection.objects.filter(kind="reinspection")


def test_passing_on_the_hazard_page_records_the_re_inspection_inspection(signed_in, cast, found):
    record, (first, second) = found
    response = signed_in("bureau_staff").post(f"/hazards/{first.pk}/verify/", {"verify-note": "挠性管已更换，符合要求"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == "closed"
    again = reinspections().get()
    assert again.state == "finished" and again.reinspection_of == record and again.enterprise == cast["inside"]
    assert list(again.inspectors.all()) == [cast["users"]["bureau_staff"]]
    assert [(i.hazard_id, i.result, i.finding) for i in again.items.all()] == [
        (first.pk, "compliant", "挠性管已更换，符合要求")]
    assert AuditEvent.objects.filter(verb="inspection.reinspect", target_id=str(again.pk)).exists()
    # the record is a re-inspection like any other: its opinion can be issued from it
    page = signed_in("bureau_staff").get(f"/inspections/{again.pk}/").content.decode()
    assert "挠性管已更换，符合要求" in page
    opinion = services.issue_document(actor=cast["users"]["bureau_staff"], inspection=again,
                                      kind="reinspection_opinion", opinion="整改到位，予以销号。")
    assert contains(pdf_text(opinion.file.read()), "已整改1项")
    second.refresh_from_db()
    assert second.state == "submitted"


def test_rejecting_on_the_hazard_records_a_non_compliant_re_inspection(cast, found):
    _record, (first, _second) = found
    response = api_as(cast["users"]["township_officer"]).post(f"/api/v1/hazards/{first.pk}/reject/",
                                                               {"reason": "照片不清晰，未见新管"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "rectifying"
    item = reinspections().get().items.get()
    assert (item.hazard_id, item.result, item.finding) == (first.pk, "non_compliant", "照片不清晰，未见新管")


def test_a_refused_decision_on_the_hazard_records_nothing(cast, found):
    _record, (first, _second) = found
    response = api_as(cast["users"]["enterprise_user"]).post(f"/api/v1/hazards/{first.pk}/verify/", {"note": "好"},
                                                             format="json")
    assert response.status_code == 403
    Hazard.objects.filter(pk=first.pk).update(level="major")
    refused = api_as(cast["users"]["bureau_staff"]).post(f"/api/v1/hazards/{first.pk}/verify/", {"note": "好"},
                                                         format="json")
    assert refused.status_code == 400
    assert not reinspections().exists()
    assert Hazard.objects.get(pk=first.pk).state == "submitted"


def test_finishing_a_re_inspection_passes_and_rejects_its_hazards(cast, found):
    staff = cast["users"]["bureau_staff"]
    record, (first, second) = found
    client = api_as(staff)
    again = start(staff, cast["inside"], kind="reinspection", checklist=None, reinspection_of=record)
    one, two = again.items.order_by("order")
    response = client.post(f"/api/v1/inspections/{again.pk}/items/", {"results": [
        {"item": one.pk, "result": "compliant", "finding": "已更换"},
        {"item": two.pk, "result": "non_compliant", "finding": "仍未设置警示标识"}]}, format="json")
    assert response.status_code == 200, response.json()
    finished = client.post(f"/api/v1/inspections/{again.pk}/finish/", {}, format="json")
    assert finished.status_code == 200, finished.json()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "closed" and first.reinspection_result == "已更换"
    assert second.state == "rectifying" and second.reinspection_result == "仍未设置警示标识"
    assert reinspections().count() == 1  # the inspection is the record: no second one written
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"hazard.verify", "hazard.reject", "inspection.finish"} <= verbs


def test_deciding_on_the_hazard_marks_the_open_re_inspection_which_then_leaves_it_alone(cast, found):
    staff = cast["users"]["bureau_staff"]
    record, (first, second) = found
    again = start(staff, cast["inside"], kind="reinspection", checklist=None, reinspection_of=record)
    response = api_as(staff).post(f"/api/v1/hazards/{first.pk}/verify/", {"note": "已更换"}, format="json")
    assert response.status_code == 200, response.json()
    assert reinspections().count() == 1
    one, two = again.items.order_by("order")
    one.refresh_from_db()
    assert (one.result, one.finding) == ("compliant", "已更换")
    services.record_results(actor=staff, inspection=again, results=[{"item": two.pk, "result": "compliant"}])
    services.finish_inspection(actor=staff, inspection=again)
    assert Hazard.objects.get(pk=first.pk).state == "closed"
    assert Hazard.objects.get(pk=second.pk).state == "closed"
    assert AuditEvent.objects.filter(verb="hazard.verify", target_id=str(first.pk)).count() == 1


def test_a_refused_hazard_refuses_the_whole_finish(cast, found):
    staff = cast["users"]["bureau_staff"]
    record, (first, second) = found
    Hazard.objects.filter(pk=second.pk).update(level="major")  # closing it needs the expert's verification
    again = start(staff, cast["inside"], kind="reinspection", checklist=None, reinspection_of=record)
    mark(staff, again)
    response = api_as(staff).post(f"/api/v1/inspections/{again.pk}/finish/", {}, format="json")
    assert response.status_code == 400
    again.refresh_from_db()
    assert again.state == "in_progress"
    assert {h.state for h in Hazard.objects.filter(pk__in=[first.pk, second.pk])} == {"submitted"}


def test_a_hazard_not_yet_submitted_is_left_to_its_loop(cast):
    staff = cast["users"]["bureau_staff"]
    record = start(staff, cast["inside"])
    mark(staff, record, non_compliant=(4,))
    record = services.finish_inspection(actor=staff, inspection=record)
    hazard = record.items.exclude(hazard=None).get().hazard
    again = start(staff, cast["inside"], kind="reinspection", checklist=None, reinspection_of=record)
    mark(staff, again)
    services.finish_inspection(actor=staff, inspection=again)
    assert Hazard.objects.get(pk=hazard.pk).state == "reported"


def test_a_hazard_no_inspection_found_is_re_inspected_into_a_record_of_its_own(signed_in, cast):
    """A self-reported hazard (no inspection found it) re-inspected on its page: the record has no earlier
    inspection, and its page, documents page and opinion work all the same."""
    staff, company = cast["users"]["bureau_staff"], cast["users"]["enterprise_user"]
    hazard = hazard_services.report_hazard(actor=company, enterprise=cast["inside"], description="消防通道堆放杂物",
                                           source="self_inspection", location="二号仓库")
    hazard_services.assign_rectification(actor=staff, hazard=hazard, deadline=timezone.localdate() + timedelta(days=5),
                                         responsible_person="赵站长", measures="清理杂物")
    hazard_services.submit_rectification(actor=company, hazard=hazard, note="已清理", photos=[jpeg()])
    client = signed_in("bureau_staff")
    assert client.post(f"/hazards/{hazard.pk}/verify/", {"verify-note": "通道畅通"}).status_code == 302
    again = reinspections().get()
    assert again.reinspection_of is None and again.items.get().text == "消防通道堆放杂物"
    assert client.get(f"/inspections/{again.pk}/").status_code == 200
    assert client.get(f"/inspections/{again.pk}/documents/").status_code == 200
    opinion = services.issue_document(actor=staff, inspection=again, kind="reinspection_opinion", opinion="予以销号。")
    assert contains(pdf_text(opinion.file.read()), "消防通道堆放杂物")
