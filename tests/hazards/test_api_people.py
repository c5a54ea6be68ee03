"""Who found, re-inspected or decided, as the hazards API answers it (issue 9 item 10): a person not yet
there is ``null``, never the text of a Python method (``"<method-wrapper '__str__' of NoneType object …>"``)."""

import pytest

from shouye.hazards.choices import HazardState
from tests.conftest import api_as

from .conftest import make_hazard, pending_extension

pytestmark = pytest.mark.django_db


def test_people_not_yet_there_answer_null(cast):
    hazard = make_hazard(cast["inside"], state=HazardState.RECTIFYING)
    pending_extension(hazard, cast["users"]["enterprise_user"])
    body = api_as(cast["users"]["bureau_staff"]).get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert body["found_by"] is None
    assert body["reinspected_by"] is None
    [extension] = body["extensions"]
    assert extension["decided_by"] is None
    assert extension["requested_by"] == str(cast["users"]["enterprise_user"])


def test_people_who_acted_answer_their_names(cast):
    staff = cast["users"]["bureau_staff"]
    hazard = make_hazard(cast["inside"], state=HazardState.CLOSED, found_by=staff, reinspected_by=staff)
    body = api_as(staff).get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert body["found_by"] == body["reinspected_by"] == str(staff)
