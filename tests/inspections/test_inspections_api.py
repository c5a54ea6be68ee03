"""Inspection records through the API (issue 3): start with a checklist snapshot, the two-officer rule of an
enforcement inspection (行政处罚法 Art. 42) refused with a clear message and nothing written, marking items
and photos, finishing (non-compliant items only become hazards, stamped with the enterprise and its township,
one audit event per act), expert inspections, re-inspections, and scope."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from shouye.audit.models import AuditEvent
from shouye.hazards.models import Hazard, HazardPhoto
from shouye.inspections.models import Inspection, InspectionItem, InspectionPhoto
from tests.conftest import api_as
from tests.inspections.helpers import finished, jpeg, mark, start

pytestmark = pytest.mark.django_db

URL = "/api/v1/inspections/"
TWO_OFFICERS = "An enforcement inspection needs at least two enforcement officers (Administrative Penalty Law, Art. 42)."


def payload(enterprise, **overrides):
    data = {"enterprise": enterprise.pk, "kind": "routine", "checklist": "chemical-major-hazards",
            "inspected_at": (timezone.now() - timedelta(hours=2)).isoformat(), "place": "一号罐区",
            "subject": "2026年危化品专项检查", "inspectors": ["bureau_staff"]}
    data.update(overrides)
    return data


def written() -> tuple[int, int, int, int]:
    return (Inspection.objects.count(), InspectionItem.objects.count(), Hazard.objects.count(),
            AuditEvent.objects.count())


def events(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


# --- starting --------------------------------------------------------------------------------------------


def test_starting_copies_the_checklist_and_stamps_the_township(cast):
    response = api_as(cast["users"]["bureau_staff"]).post(URL, payload(cast["inside"]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "in_progress" and body["allowed_actions"] == ["add-photos", "finish", "record"]
    assert body["township"] == "370113107" and body["enterprise_name"] == cast["inside"].name
    assert body["checklist"] == "chemical-major-hazards" and body["checklist_version"] == 1
    assert len(body["items"]) == 20 and {item["result"] for item in body["items"]} == {"pending"}
    assert body["items"][0]["legal_basis"] == "安监总管三〔2017〕121号 第1条"
    assert [p["username"] for p in body["inspectors"]] == ["bureau_staff"]
    inspection = Inspection.objects.get(pk=body["id"])
    assert (inspection.township_id, inspection.industry_id) == (cast["inside"].township_id,
                                                                cast["inside"].industry_id)
    assert events("inspection.start") == 1


def test_an_enforcement_inspection_with_one_officer_is_refused_and_nothing_is_written(cast):
    before = written()
    client = api_as(cast["users"]["bureau_staff"])
    response = client.post(URL, payload(cast["inside"], kind="enforcement", inspectors=["bureau_staff"]),
                           format="json")
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = translation.gettext(TWO_OFFICERS)
    assert "行政处罚法" in expected, "the message reaches the officer in Chinese"
    assert response.json()["inspectors"] == [expected]
    assert written() == before


def test_an_enforcement_inspection_counts_only_enforcement_officers(cast, squad_officers):
    """A township officer beside one enforcement officer does not make two enforcement officers."""
    before = written()
    client = api_as(cast["users"]["bureau_staff"])
    response = client.post(URL, payload(cast["inside"], kind="enforcement",
                                        inspectors=["zhifa1", "township_officer"]), format="json")
    assert response.status_code == 400 and "inspectors" in response.json()
    assert written() == before
    response = client.post(URL, payload(cast["inside"], kind="enforcement", inspectors=["zhifa1", "zhifa2"]),
                           format="json")
    assert response.status_code == 201
    assert [p["name"] for p in response.json()["inspectors"]] == ["执法员甲", "执法员乙"]


def test_only_enforcement_officers_conduct_enforcement_inspections(cast):
    before = written()
    response = api_as(cast["users"]["township_officer"]).post(
        URL, payload(cast["inside"], kind="enforcement", inspectors=["bureau_staff", "bureau_admin"]),
        format="json")
    assert response.status_code == 403
    assert written() == before


def test_inspectors_need_jurisdiction_over_the_enterprise(cast):
    before = written()
    response = api_as(cast["users"]["bureau_staff"]).post(
        URL, payload(cast["outside"], inspectors=["bureau_staff", "township_officer"]), format="json")
    assert response.status_code == 400
    assert any("township_officer" in message for message in response.json()["inspectors"])
    assert written() == before


def test_an_enterprise_out_of_scope_cannot_be_inspected(cast):
    before = written()
    response = api_as(cast["users"]["township_officer"]).post(
        URL, payload(cast["outside"], inspectors=["township_officer"]), format="json")
    assert response.status_code == 400 and "enterprise" in response.json()
    assert written() == before


def test_the_leader_and_the_enterprise_only_read(cast):
    for role in ("leader", "enterprise_user"):
        response = api_as(cast["users"][role]).post(URL, payload(cast["inside"]), format="json")
        assert response.status_code == 403


# --- recording and finishing -----------------------------------------------------------------------------


def test_marking_items_and_finishing_turns_non_compliant_items_into_hazards(cast):
    staff = cast["users"]["bureau_staff"]
    client = api_as(staff)
    inspection = client.post(URL, payload(cast["inside"]), format="json").json()
    items = inspection["items"]
    results = [{"item": item["id"], "result": "compliant"} for item in items]
    results[1] = {"item": items[1]["id"], "result": "non_compliant", "finding": "两名电工无特种作业操作证",
                  "location": "配电室"}
    results[11] = {"item": items[11]["id"], "result": "non_compliant", "location": "二号厂房"}
    results[19] = {"item": items[19]["id"], "result": "not_applicable"}
    response = client.post(f"{URL}{inspection['id']}/items/", {"results": results, "notes": "现场负责人在场"},
                           format="json")
    assert response.status_code == 200
    assert [i["result"] for i in response.json()["items"]].count("non_compliant") == 2
    assert events("inspection.record") == 1 and Hazard.objects.count() == 0

    hazards_before, audit_before = Hazard.objects.count(), AuditEvent.objects.count()
    response = client.post(f"{URL}{inspection['id']}/finish/", {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "finished" and body["allowed_actions"] == ["issue-document"]
    hazards = list(Hazard.objects.order_by("id"))
    assert len(hazards) == hazards_before + 2
    first, second = hazards
    assert first.description == "两名电工无特种作业操作证" and first.location == "配电室"
    assert first.legal_basis == "安监总管三〔2017〕121号 第2条" and first.level == "major"
    assert second.description.endswith(items[11]["text"]) and second.location == "二号厂房"
    for hazard in hazards:
        assert hazard.enterprise_id == cast["inside"].pk
        assert hazard.township_id == cast["inside"].township_id
        assert hazard.industry_id == cast["inside"].industry_id
        assert hazard.source == "inspection" and hazard.state == "reported"
        assert hazard.found_at == Inspection.objects.get(pk=inspection["id"]).inspected_at
    linked = {i["order"]: i["hazard"] for i in body["items"] if i["hazard"]}
    assert linked == {2: first.pk, 12: second.pk}
    assert AuditEvent.objects.count() == audit_before + 3
    assert events("inspection.finish") == 1 and events("hazard.report") == 2
    finish_event = AuditEvent.objects.get(verb="inspection.finish")
    assert finish_event.changes["hazards"] == [first.pk, second.pk]


def test_the_draft_hazards_can_be_edited_before_confirming(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"], checklist="gas-station")
    mark(staff, inspection, non_compliant=(4,))
    item = inspection.items.get(order=4)
    response = api_as(staff).post(f"{URL}{inspection.pk}/finish/", {"drafts": [
        {"item": item.pk, "description": "加油机防爆挠性管破损", "level": "major", "location": "3号加油岛"}]},
        format="json")
    assert response.status_code == 200
    hazard = Hazard.objects.get()
    assert (hazard.description, hazard.level, hazard.location) == ("加油机防爆挠性管破损", "major", "3号加油岛")
    assert hazard.legal_basis == "GB 50156"


def test_finishing_with_unchecked_items_is_refused_and_nothing_is_written(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    first = inspection.items.order_by("order").first()
    api_as(staff).post(f"{URL}{inspection.pk}/items/", {"results": [
        {"item": first.pk, "result": "non_compliant"}]}, format="json")
    before = written()
    response = api_as(staff).post(f"{URL}{inspection.pk}/finish/", {}, format="json")
    assert response.status_code == 400 and "items" in response.json()
    assert written() == before
    inspection.refresh_from_db()
    assert inspection.state == "in_progress"


def test_a_finished_record_is_frozen(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = finished(staff, cast["inside"])
    item = inspection.items.first()
    before = written()
    response = api_as(staff).post(f"{URL}{inspection.pk}/items/", {"results": [
        {"item": item.pk, "result": "not_applicable"}]}, format="json")
    assert response.status_code == 409
    assert response.json()["state"] == "finished" and response.json()["allowed_actions"] == ["issue-document"]
    assert api_as(staff).post(f"{URL}{inspection.pk}/finish/", {}, format="json").status_code == 409
    assert written() == before


def test_bad_results_are_refused_and_nothing_is_written(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    items = list(inspection.items.order_by("order"))
    other = start(staff, cast["inside"]).items.first()
    before = written()
    response = api_as(staff).post(f"{URL}{inspection.pk}/items/", {"results": [
        {"item": items[0].pk, "result": "compliant"}, {"item": other.pk, "result": "compliant"}]}, format="json")
    assert response.status_code == 400 and "items" in response.json()
    assert written() == before
    assert set(InspectionItem.objects.filter(inspection=inspection).values_list("result", flat=True)) == {"pending"}


def test_photos_are_checked_and_a_non_compliant_item_s_photos_become_the_hazard_s_evidence(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"], checklist="warehouse")
    item = inspection.items.get(order=3)
    client = api_as(staff)
    fake = SimpleUploadedFile("假照片.jpg", b"this is not a photo", content_type="image/jpeg")
    response = client.post(f"{URL}{inspection.pk}/photos/", {"item": item.pk, "photos": [fake]},
                           format="multipart")
    assert response.status_code == 400 and "假照片.jpg" in str(response.json())
    assert InspectionPhoto.objects.count() == 0
    response = client.post(f"{URL}{inspection.pk}/photos/", {"item": item.pk, "photos": [jpeg("通道.jpg")]},
                           format="multipart")
    assert response.status_code == 201
    assert len(response.json()["items"][2]["photos"]) == 1
    mark(staff, inspection, non_compliant=(3,))
    client.post(f"{URL}{inspection.pk}/finish/", {}, format="json")
    hazard = Hazard.objects.get()
    photo = HazardPhoto.objects.get(hazard=hazard)
    assert photo.kind == "before" and photo.image.name.endswith(".jpg")


def test_an_expert_records_its_expert_inspection(cast):
    expert = cast["users"]["expert"]
    client = api_as(expert)
    refused = client.post(URL, payload(cast["inside"], kind="routine", inspectors=[], experts=["expert"]),
                          format="json")
    assert refused.status_code == 400 and "kind" in refused.json()
    response = client.post(URL, payload(cast["inside"], kind="expert", inspectors=[], experts=["expert"]),
                           format="json")
    assert response.status_code == 201, response.json()
    inspection = Inspection.objects.get(pk=response.json()["id"])
    mark(expert, inspection, non_compliant=(5,))
    assert client.post(f"{URL}{inspection.pk}/finish/", {}, format="json").status_code == 200
    hazard = Hazard.objects.get()
    assert hazard.source == "expert_inspection" and hazard.level == "major"


def test_an_expert_records_only_the_expert_inspections_it_takes_part_in(cast):
    inspection = start(cast["users"]["bureau_staff"], cast["inside"])
    item = inspection.items.first()
    response = api_as(cast["users"]["expert"]).post(f"{URL}{inspection.pk}/items/", {"results": [
        {"item": item.pk, "result": "compliant"}]}, format="json")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.result == "pending"


def test_a_re_inspection_checks_the_earlier_hazards_without_reporting_them_again(cast):
    staff = cast["users"]["bureau_staff"]
    earlier = finished(staff, cast["inside"], non_compliant=(2, 5))
    hazards = list(Hazard.objects.order_by("id"))
    client = api_as(staff)
    response = client.post(URL, payload(cast["inside"], kind="reinspection", checklist=None,
                                        reinspection_of=earlier.pk), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [item["hazard"] for item in body["items"]] == [h.pk for h in hazards]
    results = [{"item": body["items"][0]["id"], "result": "compliant"},
               {"item": body["items"][1]["id"], "result": "non_compliant", "finding": "仍未整改"}]
    client.post(f"{URL}{body['id']}/items/", {"results": results}, format="json")
    assert client.post(f"{URL}{body['id']}/finish/", {}, format="json").status_code == 200
    assert Hazard.objects.count() == 2


def test_a_re_inspection_needs_an_earlier_finished_inspection_with_hazards(cast):
    staff = cast["users"]["bureau_staff"]
    open_one = start(staff, cast["inside"])
    before = written()
    client = api_as(staff)
    for data in (payload(cast["inside"], kind="reinspection", checklist=None),
                 payload(cast["inside"], kind="reinspection", checklist=None, reinspection_of=open_one.pk)):
        response = client.post(URL, data, format="json")
        assert response.status_code == 400 and "reinspection_of" in response.json()
    assert written() == before


# --- reading and scope -----------------------------------------------------------------------------------


def test_lists_hold_exactly_the_scope(cast):
    staff = cast["users"]["bureau_staff"]
    inside = start(staff, cast["inside"], subject="马山检查")
    outside = start(staff, cast["outside"], subject="孝里检查")
    building = start(staff, cast["building"], subject="住建检查", checklist="construction-site")
    expected = {"township_officer": {inside.pk}, "department_officer": {building.pk},
                "enterprise_user": {inside.pk}, "expert": {inside.pk},
                "leader": {inside.pk, outside.pk, building.pk}}
    for role, ids in expected.items():
        response = api_as(cast["users"][role]).get(URL)
        assert response.status_code == 200
        assert {row["id"] for row in response.json()["results"]} == ids, role
    assert api_as(cast["users"]["nobody"]).get(URL).status_code == 403


def test_out_of_scope_inspections_answer_404_and_are_unchanged(cast):
    staff = cast["users"]["bureau_staff"]
    outside = start(staff, cast["outside"])
    item = outside.items.first()
    client = api_as(cast["users"]["township_officer"])
    before = written()
    assert client.get(f"{URL}{outside.pk}/").status_code == 404
    assert client.post(f"{URL}{outside.pk}/items/", {"results": [{"item": item.pk, "result": "compliant"}]},
                       format="json").status_code == 404
    assert client.post(f"{URL}{outside.pk}/finish/", {}, format="json").status_code == 404
    assert client.get(f"{URL}{outside.pk}/documents/").status_code == 404
    assert written() == before


def test_filters(cast):
    staff = cast["users"]["bureau_staff"]
    routine = start(staff, cast["inside"], subject="例行检查")
    expert = start(staff, cast["inside"], kind="expert", inspectors=[], experts=[cast["users"]["expert"]])
    other = start(staff, cast["outside"])
    client = api_as(cast["users"]["leader"])

    def ids(**params):
        return {row["id"] for row in client.get(URL, params).json()["results"]}

    assert ids(kind="expert") == {expert.pk}
    assert ids(township="370113008") == {other.pk}
    assert ids(q="例行") == {routine.pk}
    assert ids(enterprise=cast["inside"].pk) == {routine.pk, expert.pk}
    assert ids(state="finished") == set()
    today = timezone.localdate()
    assert ids(date_from=today - timedelta(days=1), date_to=today) == {routine.pk, expert.pk, other.pk}
    assert ids(date_from=today + timedelta(days=1)) == set()


def test_the_list_and_the_record_take_a_fixed_number_of_queries(cast):
    staff = cast["users"]["bureau_staff"]
    client = api_as(cast["users"]["leader"])

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = finished(staff, cast["inside"], non_compliant=(1,))
    queries(URL)  # the user's scope and permissions are computed once and kept on the user
    few_list, few_detail = queries(URL), queries(f"{URL}{first.pk}/")
    for _ in range(3):
        finished(staff, cast["inside"], non_compliant=(1, 2, 3))
    many = finished(staff, cast["outside"], non_compliant=(1, 2, 3, 4))
    assert queries(URL) == few_list
    assert queries(f"{URL}{many.pk}/") == few_detail
