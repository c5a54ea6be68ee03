"""A refused act on an inspection answers as the action layer does for every model (issue 8, defect 1): on
the pages and in the API, marking or finishing a finished inspection, or issuing a document of one still in
progress, is 409 naming the current state and what is possible now, and changes nothing — never a 500."""

import pytest

from shouye.audit.models import AuditEvent
from shouye.inspections.models import Document, Inspection, InspectionItem
from tests.conftest import api_as
from tests.inspections.helpers import finished, start

pytestmark = pytest.mark.django_db


def snapshot():
    return (list(Inspection.objects.values_list("id", "state", "notes")),
            list(InspectionItem.objects.values_list("id", "result", "finding")),
            Document.objects.count(), AuditEvent.objects.count())


def test_marking_a_finished_inspection_on_its_page_is_409_and_changes_nothing(cast, signed_in):
    inspection = finished(cast["users"]["bureau_staff"], cast["inside"])
    item = inspection.items.first()
    before = snapshot()
    response = signed_in("bureau_staff").post(f"/inspections/{inspection.pk}/record/",
                                              {f"result-{item.pk}": "compliant", "notes": "改"})
    assert response.status_code == 409
    refusal = response.content.decode()
    assert 'data-testid="refusal"' in refusal
    assert "已完成" in refusal and "制发文书" in refusal  # the state, and what is possible now
    assert snapshot() == before


def test_finishing_a_finished_inspection_on_its_page_is_409_and_changes_nothing(cast, signed_in):
    inspection = finished(cast["users"]["bureau_staff"], cast["inside"])
    before = snapshot()
    response = signed_in("bureau_staff").post(f"/inspections/{inspection.pk}/finish/", {})
    assert response.status_code == 409
    assert 'data-testid="refusal"' in response.content.decode()
    assert snapshot() == before


def test_a_document_of_an_inspection_in_progress_is_409_on_the_page(cast, signed_in):
    inspection = start(cast["users"]["bureau_staff"], cast["inside"])
    before = snapshot()
    response = signed_in("bureau_staff").post(f"/inspections/{inspection.pk}/documents/",
                                              {"kind": "inspection_record"})
    assert response.status_code == 409
    assert "进行中" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("path, body", [("items", {"results": []}), ("finish", {}),
                                        ("photos", {})])
def test_the_api_refuses_acts_on_a_finished_inspection_with_409(cast, path, body):
    inspection = finished(cast["users"]["bureau_staff"], cast["inside"])
    before = snapshot()
    response = api_as(cast["users"]["bureau_staff"]).post(f"/api/v1/inspections/{inspection.pk}/{path}/", body,
                                                          format="json")
    assert response.status_code == 409
    assert response.json()["state"] == "finished" and response.json()["allowed_actions"] == ["issue-document"]
    assert snapshot() == before


def test_a_role_that_may_not_record_gets_403_before_the_state_is_looked_at(cast, signed_in):
    inspection = finished(cast["users"]["bureau_staff"], cast["inside"])
    before = snapshot()
    assert signed_in("leader").post(f"/inspections/{inspection.pk}/record/", {}).status_code == 403
    assert snapshot() == before
