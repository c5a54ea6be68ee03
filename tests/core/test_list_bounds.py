"""Every many-valued input is bounded and looked up in one query (issue 9, item 3; ARCHITECTURE.md §10).

A 700 KB PATCH with 100,000 tags used to cost one query per tag and keep a worker busy for minutes. Now a
list longer than its field's maximum is refused before any of its values is read, with a message naming the
field and the maximum, and a list within it costs one query whatever its length. Counted in queries, never
in time (tests/core/test_bounds.py checks that every serializer, form and filter set uses these kinds)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shouye.core.bounds import MAX_ITEMS, MAX_PHOTOS
from shouye.enterprises.models import Enterprise, EnterprisePerson, Tag
from shouye.hazards.models import Hazard
from shouye.inspections.models import Inspection
from tests.conftest import api_as
from tests.hazards.conftest import image_bytes

pytestmark = pytest.mark.django_db

#: Queries a refused PATCH may make (sign-in, permissions, the enterprise), whatever the list's length.
REFUSAL_QUERIES = 10


@pytest.fixture
def staff(cast):
    return api_as(cast["users"]["bureau_staff"])


def patch_tags(client, enterprise, codes):
    return client.patch(f"/api/v1/enterprises/{enterprise.pk}/", {"tags": codes}, format="json")


def short_code() -> str:
    """The shortest tag code ("mhi"): 100,000 of them make a 700 KB body, within the body limit."""
    return min(Tag.objects.values_list("code", flat=True), key=len)


def queries_of(send) -> int:
    with CaptureQueriesContext(connection) as captured:
        send()
    return len(captured)


def test_a_patch_with_100000_tags_is_refused_in_a_few_queries_and_changes_nothing(
        cast, staff, django_assert_max_num_queries):
    enterprise = cast["inside"]
    before = Enterprise.objects.get(pk=enterprise.pk)
    tags_before = set(enterprise.tags.values_list("code", flat=True))
    code = short_code()
    with django_assert_max_num_queries(REFUSAL_QUERIES):
        response = patch_tags(staff, enterprise, [code] * 100_000)
    assert response.status_code == 400
    [message] = response.json()["tags"]
    assert "标签" in message and f"{MAX_ITEMS}" in message and "100000" in message
    assert set(enterprise.tags.values_list("code", flat=True)) == tags_before
    assert Enterprise.objects.get(pk=enterprise.pk).updated_at == before.updated_at


def test_the_refusal_costs_the_same_queries_for_any_length(cast, staff):
    code = short_code()
    patch_tags(staff, cast["inside"], [code] * (MAX_ITEMS + 1))  # the user's permissions are read once
    counts = {length: queries_of(lambda n=length: patch_tags(staff, cast["inside"], [code] * n))
              for length in (MAX_ITEMS + 1, 100_000)}
    assert counts[MAX_ITEMS + 1] == counts[100_000]


def test_tags_within_the_maximum_cost_one_query_whatever_their_number(cast, staff):
    codes = list(Tag.objects.order_by("code").values_list("code", flat=True))
    assert len(codes) >= 3
    patch_tags(staff, cast["inside"], [])  # the user's permissions are read once
    one = queries_of(lambda: patch_tags(staff, cast["inside"], codes[:1]))
    every = queries_of(lambda: patch_tags(staff, cast["inside"], codes * (MAX_ITEMS // len(codes))))
    assert one == every
    assert set(cast["inside"].tags.values_list("code", flat=True)) == set(codes)


def test_every_unknown_value_of_a_list_is_named_in_one_message(cast, staff):
    code = Tag.objects.order_by("code").first().code
    response = patch_tags(staff, cast["inside"], [code, "no-such-tag", "另一个不存在的标签", "no-such-tag"])
    assert response.status_code == 400
    [message] = response.json()["tags"]
    assert "no-such-tag" in message and "另一个不存在的标签" in message and code not in message


def test_inspectors_beyond_the_maximum_are_refused(cast):
    officer = cast["users"]["bureau_staff"]
    body = {"enterprise": cast["inside"].pk, "kind": "routine", "inspected_at": "2026-01-05T10:00:00+08:00",
            "inspectors": [officer.username] * (MAX_ITEMS + 1)}
    response = api_as(officer).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400
    [message] = response.json()["inspectors"]
    assert "检查人员" in message and f"{MAX_ITEMS}" in message
    assert not Inspection.objects.exists()


def test_nested_rows_beyond_the_maximum_are_refused_before_any_row_is_checked(cast, staff):
    people = [{"role": "principal", "name": "钱七", "phone": "not a phone"}] * (MAX_ITEMS + 1)
    response = staff.patch(f"/api/v1/enterprises/{cast['inside'].pk}/", {"people": people}, format="json")
    assert response.status_code == 400
    [message] = response.json()["people"]
    assert "关键人员" in message and f"{MAX_ITEMS}" in message


def test_photos_beyond_the_maximum_are_refused(cast):
    photos = [SimpleUploadedFile(f"p{i}.jpg", image_bytes(), content_type="image/jpeg")
              for i in range(MAX_PHOTOS + 1)]
    body = {"enterprise": cast["inside"].pk, "description": "消防通道堵塞", "source": "inspection",
            "photos": photos}
    response = api_as(cast["users"]["bureau_staff"]).post("/api/v1/hazards/", body, format="multipart")
    assert response.status_code == 400
    [message] = response.json()["photos"]
    assert "照片" in message and f"{MAX_PHOTOS}" in message
    assert not Hazard.objects.exists()


def test_a_unit_with_too_many_substances_is_refused_naming_the_field(cast):
    body = {"substances": [{"name": "no such substance", "quantity_t": 1}] * 201, "exposed_population": 10}
    response = api_as(cast["users"]["bureau_staff"]).post("/api/v1/calculators/major-hazard/", body,
                                                          format="json")
    assert response.status_code == 400
    [message] = response.json()["substances"]
    assert "200" in message


# --- pages ------------------------------------------------------------------------------------------------


@pytest.fixture
def staff_page(cast):
    client = Client()
    client.force_login(cast["users"]["bureau_staff"])
    return client


def enterprise_form(enterprise, **extra) -> dict:
    """The edit page's fields as they stand, with ``extra`` put over them."""
    fields = {"name": enterprise.name, "credit_code": enterprise.credit_code,
              "legal_representative": enterprise.legal_representative, "address": enterprise.address,
              "township": enterprise.township_id, "industry": enterprise.industry_id, "scale": enterprise.scale,
              "employees": enterprise.employees, "status": enterprise.status,
              "supervision_grade": enterprise.supervision_grade_id,
              "people-TOTAL_FORMS": "0", "people-INITIAL_FORMS": "0",
              "licences-TOTAL_FORMS": "0", "licences-INITIAL_FORMS": "0"}
    return {**fields, **extra}


def test_the_edit_page_refuses_more_tags_than_the_maximum(cast, staff_page):
    enterprise = cast["inside"]
    tag = Tag.objects.order_by("code").first()
    response = staff_page.post(f"/enterprises/{enterprise.pk}/edit/",
                               enterprise_form(enterprise, tags=[tag.pk] * (MAX_ITEMS + 1)))
    assert response.status_code == 400
    assert f"最多可填 {MAX_ITEMS} 项" in response.content.decode()
    assert not enterprise.tags.exists()


@pytest.mark.parametrize("huge", [2**63, 10**20])
def test_a_choice_beyond_the_databases_integers_is_an_invalid_choice(cast, staff_page, huge):
    enterprise = cast["inside"]
    response = staff_page.post(f"/enterprises/{enterprise.pk}/edit/", enterprise_form(enterprise, tags=[huge]))
    assert response.status_code == 400
    assert str(huge) in response.content.decode()


@pytest.mark.parametrize("huge", [2**63, 10**20])
def test_an_inspector_beyond_the_databases_integers_is_an_invalid_choice(cast, staff_page, huge):
    response = staff_page.post("/inspections/new/", {
        "enterprise": cast["inside"].pk, "kind": "routine", "inspected_at": "2026-01-05T10:00",
        "inspectors": [huge]})
    assert response.status_code == 400
    assert str(huge) in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_edit_page_refuses_more_key_people_than_the_maximum(cast, staff_page):
    enterprise = cast["inside"]
    rows = MAX_ITEMS + 1
    people = {f"people-{i}-{key}": value for i in range(rows)
              for key, value in {"role": "safety_officer", "name": f"安全员{i}", "phone": "13812345678"}.items()}
    response = staff_page.post(f"/enterprises/{enterprise.pk}/edit/",
                               enterprise_form(enterprise, **people, **{"people-TOTAL_FORMS": str(rows)}))
    assert response.status_code == 400
    assert f"「关键人员」最多 {MAX_ITEMS} 行" in response.content.decode()
    assert not EnterprisePerson.objects.filter(enterprise=enterprise, name__startswith="安全员").exists()
