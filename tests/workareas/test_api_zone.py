"""A high-risk work area's zone on the enterprise's floor plan through the API: read and written like the page's
form, refused when the zone is on another enterprise's plan or out of the caller's scope, documented in OpenAPI."""

from django.urls import reverse

from shouye.workareas.models import WorkArea
from tests.conftest import api_as
from tests.factories import member

from .conftest import area_data, zone_of

ZONE_ELSEWHERE = "请选择本企业平面图上的区域。"


def test_the_zone_is_set_read_and_taken_off_through_the_api(cast, owner):
    zone = zone_of(cast["inside"], owner, "氯化车间")
    client = api_as(owner)
    answer = client.post("/api/v1/work-areas/", {**area_data(assessed_on="2026-01-05"), "enterprise": cast["inside"].pk,
                                                 "zone": zone.pk}, format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert (data["zone"], data["zone_name"], data["zone_plan"]) == (zone.pk, "氯化车间", zone.plan_id)
    assert WorkArea.objects.get(pk=data["id"]).zone == zone
    answer = client.patch(f"/api/v1/work-areas/{data['id']}/", {"zone": None}, format="json")
    assert answer.status_code == 200
    assert (answer.json()["zone"], answer.json()["zone_name"], answer.json()["zone_plan"]) == (None, None, None)
    assert client.get(f"/api/v1/work-areas/{data['id']}/").json()["zone"] is None


def test_a_zone_of_another_enterprise_is_refused_even_in_scope(cast, owner, area):
    """A safety officer who keeps two enterprises' ledgers sees both plans; a work area still goes only on its own
    enterprise's, with the reason in Chinese."""
    member(owner, "enterprise_user", enterprise=cast["outside"])
    owner = type(owner).objects.get(pk=owner.pk)  # its scope is read afresh
    elsewhere = zone_of(cast["outside"], owner, "机加工车间")
    client = api_as(owner)
    assert client.get(f"/api/v1/plan-zones/{elsewhere.pk}/").status_code == 200
    answer = client.patch(f"/api/v1/work-areas/{area.pk}/", {"zone": elsewhere.pk}, format="json")
    assert answer.status_code == 400 and answer.json()["zone"] == [ZONE_ELSEWHERE]
    answer = client.post("/api/v1/work-areas/", {**area_data(name="另一区域", assessed_on="2026-01-05"),
                                                 "enterprise": cast["inside"].pk, "zone": elsewhere.pk}, format="json")
    assert answer.status_code == 400 and answer.json()["zone"] == [ZONE_ELSEWHERE]
    area.refresh_from_db()
    assert area.zone is None and WorkArea.objects.count() == 1


def test_a_zone_out_of_scope_reads_as_unknown_and_a_supervisor_may_not_set_it(cast, owner, area):
    staff = cast["users"]["bureau_staff"]
    hidden = zone_of(cast["outside"], staff, "外部区域")
    answer = api_as(owner).patch(f"/api/v1/work-areas/{area.pk}/", {"zone": hidden.pk}, format="json")
    assert answer.status_code == 400 and str(hidden.pk) in answer.json()["zone"][0]
    own = zone_of(cast["inside"], owner, "氯化车间")
    assert api_as(staff).patch(f"/api/v1/work-areas/{area.pk}/", {"zone": own.pk}, format="json").status_code == 403


def test_the_list_reads_the_zones_in_a_fixed_number_of_queries(cast, owner, django_assert_max_num_queries):
    from shouye.workareas import services

    for number in range(5):
        zone = zone_of(cast["inside"], owner, f"区域{number}")
        services.assess_work_area(actor=owner, enterprise=cast["inside"],
                                  data=area_data(name=f"场所{number}", zone=zone))
    with django_assert_max_num_queries(12):
        rows = api_as(owner).get("/api/v1/work-areas/").json()["results"]
    assert sorted(row["zone_name"] for row in rows) == [f"区域{n}" for n in range(5)]


def test_the_schema_documents_the_zone(cast, client):
    client.force_login(cast["users"]["township_officer"])
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    properties = schema["components"]["schemas"]["WorkArea"]["properties"]
    assert properties["zone"]["nullable"] and "平面图" in properties["zone"]["description"]
    assert properties["zone_name"]["readOnly"] and properties["zone_plan"]["readOnly"]
    assert properties["zone_plan"]["nullable"]
