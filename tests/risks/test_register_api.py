"""The register's API: list and detail in scope, creating and editing a point, sources, assessment,
measures, the special plan and publication, with refusals that change nothing."""

import pytest

from shouye.risks.models import RiskAssessment, RiskPoint
from tests.conftest import api_as

from .register_helpers import POINT, SOURCE, make_point, make_source, plan_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(cast):
    return cast["users"]["enterprise_user"]


def test_an_enterprise_keeps_its_list_through_the_api(cast, officer):
    api = api_as(officer)
    created = api.post("/api/v1/risk-points/", POINT | {"enterprise": cast["inside"].pk}, format="json")
    assert created.status_code == 201, created.json()
    point_id = created.json()["id"]
    sourced = api.post(f"/api/v1/risk-points/{point_id}/hazard-sources/", SOURCE, format="json")
    assert sourced.status_code == 201
    source_id = sourced.json()["hazard_sources"][0]["id"]
    refused = api.post(f"/api/v1/hazard-sources/{source_id}/assess/", {"method": "lec", "l": "7", "e": "6", "c": "7"},
                       format="json")
    assert refused.status_code == 400 and "l" in refused.json()
    assert not RiskAssessment.objects.exists()
    assessed = api.post(f"/api/v1/hazard-sources/{source_id}/assess/", {"method": "lec", "l": "10", "e": "6", "c": "15"},
                        format="json")
    assert assessed.status_code == 201 and assessed.json()["grade"] == "major"
    assert assessed.json()["assessments"][0]["inputs"] == ["L=10", "E=6", "C=15"]
    measure = api.post(f"/api/v1/hazard-sources/{source_id}/measures/", {
        "category": "3", "subcategory": "3-1", "description": "持证上岗", "check_content": "证书有效", "data_source": "2"},
        format="json")
    assert measure.status_code == 201
    register = api.get(f"/api/v1/risk-registers/{cast['inside'].pk}/").json()
    assert register["state"] == "draft" and any("专项管控方案" in p for p in register["problems"])
    assert api.post(f"/api/v1/risk-registers/{cast['inside'].pk}/publish/").status_code == 400
    planned = api.post(f"/api/v1/risk-points/{point_id}/special-plan/", plan_fields(), format="json")
    assert planned.status_code == 200 and planned.json()["special_control_plan"]["max_people"] == 5
    published = api.post(f"/api/v1/risk-registers/{cast['inside'].pk}/publish/")
    assert published.status_code == 200 and published.json()["version"] == 1
    edited = api.patch(f"/api/v1/risk-points/{point_id}/", {"location": "北区"}, format="json")
    assert edited.status_code == 200 and edited.json()["location"] == "北区"
    assert api.get(f"/api/v1/risk-registers/{cast['inside'].pk}/").json()["changed_since_publication"] is True


def test_the_list_is_scoped_and_filtered(cast, officer):
    point = make_point(officer, cast["inside"])
    make_source(officer, point, lec=("6", "6", "7"))
    township = api_as(cast["users"]["township_officer"]).get("/api/v1/risk-points/", {"grade": "high"}).json()
    assert [row["code"] for row in township["results"]] == ["RP-01"]
    department = api_as(cast["users"]["department_officer"]).get("/api/v1/risk-points/").json()
    assert department["results"] == []
    assert api_as(cast["users"]["department_officer"]).get(f"/api/v1/risk-points/{point.pk}/").status_code == 404


def test_a_supervisor_cannot_write(cast, officer):
    point = make_point(officer, cast["inside"])
    api = api_as(cast["users"]["bureau_staff"])
    assert api.patch(f"/api/v1/risk-points/{point.pk}/", {"name": "改"}, format="json").status_code == 403
    assert api.post(f"/api/v1/risk-points/{point.pk}/retire/").status_code == 403
    assert api.post("/api/v1/risk-points/", POINT | {"code": "X", "enterprise": cast["inside"].pk},
                    format="json").status_code == 403
    assert RiskPoint.objects.get().name == POINT["name"]
