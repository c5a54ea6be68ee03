"""The API's one error shape (issue 9 item 10; shouye/core/api/errors.py), as a client meets it: JSON for every
refusal, field messages for bad input, never a server error for a text the database cannot compare."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from shouye.enterprises.models import Enterprise
from shouye.hazards.choices import HazardLevel
from tests.conftest import api_as
from tests.hazards.conftest import make_hazard
from tests.scope_registry import _inspection_objects

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/hazards/1.5/", "/api/v1/hazards/1/no-such-act/", "/api/v1/nowhere/"])
def test_an_api_address_that_matches_no_route_answers_404_in_the_error_shape(cast, url):
    response = api_as(cast["users"]["bureau_staff"]).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_page_that_matches_no_route_is_still_the_site_s_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_message_about_no_one_field_is_under_non_field_errors():
    class Refusing(APIView):
        authentication_classes = []
        permission_classes = []

        def post(self, request):
            raise serializers.ValidationError("整体有误")

    response = Refusing.as_view()(APIRequestFactory().post("/", {}, format="json"))
    assert response.status_code == 400 and response.data == {"non_field_errors": ["整体有误"]}


def test_a_nul_character_in_a_code_is_invalid_input_not_a_server_error(cast):
    """PostgreSQL cannot compare a text with NUL: the lookup used to fail with a 500 — for the public tip-off
    form without signing in, too."""
    tip_off = APIClient().post("/api/v1/tip-offs/", {"enterprise_name": "某化工厂", "description": "储罐泄漏",
                                                     "township": "370113\x00107"}, format="json")
    assert tip_off.status_code == 400 and list(tip_off.json()) == ["township"]
    enterprise = cast["inside"]
    staff = api_as(cast["users"]["bureau_staff"])
    for field in ("supervision_grade", "industry", "township"):
        response = staff.patch(f"/api/v1/enterprises/{enterprise.pk}/", {field: "A\x00"}, format="json")
        assert response.status_code == 400 and list(response.json()) == [field], field
    tags = staff.patch(f"/api/v1/enterprises/{enterprise.pk}/", {"tags": ["mhi\x00"]}, format="json")
    assert tags.status_code == 400 and list(tags.json()) == ["tags"]
    inspection = staff.post("/api/v1/inspections/", {"enterprise": enterprise.pk, "kind": "routine",
                                                      "inspected_at": "2026-03-01T09:00:00+08:00",
                                                      "inspectors": ["bureau\x00staff"]}, format="json")
    assert inspection.status_code == 400 and list(inspection.json()) == ["inspectors"]
    assert Enterprise.objects.get(pk=enterprise.pk).supervision_grade == enterprise.supervision_grade


def test_a_body_that_is_not_an_object_is_invalid_input_where_an_act_reshapes_it(cast):
    """Replacing a governance plan fills the parts a body omits, adding photos reads the item: both read the
    body as an object, and a JSON list used to fail there with a 500."""
    hazard = make_hazard(cast["inside"], level=HazardLevel.MAJOR)
    staff = api_as(cast["users"]["bureau_staff"])
    response = staff.put(f"/api/v1/hazards/{hazard.pk}/governance-plan/", [], format="json")
    assert response.status_code == 400 and list(response.json()) == ["non_field_errors"]
    assert staff.put("/api/v1/hazards/999999/governance-plan/", [], format="json").status_code == 404
    inspection = _inspection_objects(cast, "bureau_staff").inside[0]
    photos = staff.post(f"/api/v1/inspections/{inspection.pk}/photos/", [1, 2], format="json")
    assert photos.status_code == 400 and list(photos.json()) == ["non_field_errors"]
