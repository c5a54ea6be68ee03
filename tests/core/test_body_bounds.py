"""Every request body is bounded before it is parsed (issue 9, items 3 and 4; ARCHITECTURE.md §10): deep JSON
is a 400 and an oversized or overfull body a 413 or 400, in the API's error shape (``{"detail": …}``) on
every endpoint, signed in or not, never a 500 page."""

import json

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from shouye.core.api.parsers import MAX_JSON_DEPTH, nested_deeper_than
from shouye.enterprises.models import Enterprise
from shouye.hazards.models import Hazard, TipOff

pytestmark = pytest.mark.django_db

DEEP_BODIES = {"arrays": "[" * 1000, "objects": '{"a":' * 1000}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The tip-off and token throttles count in the cache."""
    cache.clear()


def client(user=None) -> APIClient:
    """A client that answers 500 when a view raises, as a server would."""
    api = APIClient(raise_request_exception=False)
    if user is not None:
        api.force_authenticate(user)
    return api


def endpoints(cast) -> list[tuple[str, str, object]]:
    """(method, URL, user) of JSON endpoints: signed out, and signed in as the bureau."""
    staff = cast["users"]["bureau_staff"]
    hazard = Hazard.objects.create(enterprise=cast["inside"], township=cast["inside"].township,
                                   industry=cast["inside"].industry, description="消防通道堵塞",
                                   source="inspection", found_at=timezone.now())
    return [("post", "/api/v1/auth/token/", None), ("post", "/api/v1/tip-offs/", None),
            ("patch", f"/api/v1/enterprises/{cast['inside'].pk}/", staff), ("post", "/api/v1/hazards/", staff),
            ("post", f"/api/v1/hazards/{hazard.pk}/assign/", staff), ("post", "/api/v1/inspections/", staff),
            ("post", "/api/v1/calculators/major-hazard/", staff)]


def assert_detail(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert all(word in detail for word in words), detail


@pytest.mark.parametrize("kind", DEEP_BODIES)
def test_deep_json_is_a_400_in_the_apis_shape_everywhere(cast, kind):
    for method, url, user in endpoints(cast):
        response = getattr(client(user), method)(url, DEEP_BODIES[kind], content_type="application/json")
        assert_detail(response, 400, "JSON", str(MAX_JSON_DEPTH))
    assert not TipOff.objects.exists() and Hazard.objects.count() == 1


def test_json_as_deep_as_the_limit_is_parsed(cast):
    body = json.dumps({"enterprise_name": "x", "description": [[[]]]})
    assert not nested_deeper_than(body, MAX_JSON_DEPTH)
    response = client().post("/api/v1/tip-offs/", body, content_type="application/json")
    assert response.status_code == 400 and "description" in response.json()


def test_brackets_inside_strings_do_not_count():
    assert not nested_deeper_than(json.dumps({"a": "[" * 1000, "b": '\\"{' * 1000}), MAX_JSON_DEPTH)
    assert nested_deeper_than("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)
    assert not nested_deeper_than("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, MAX_JSON_DEPTH)


def test_a_json_body_beyond_the_limit_is_a_413_before_it_is_read(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "x" * 2000, "password": "y"})
    for method, url, user in endpoints(cast):
        response = getattr(client(user), method)(url, body, content_type="application/json")
        assert_detail(response, 413, "1000")


def test_a_form_body_beyond_the_limit_is_a_413(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client().post("/api/v1/auth/token/", f"username={'x' * 2000}&password=y",
                             content_type="application/x-www-form-urlencoded")
    assert_detail(response, 413)
    staff = client(cast["users"]["bureau_staff"])
    response = staff.patch(f"/api/v1/enterprises/{cast['inside'].pk}/", {"name": "名" * 2000}, format="multipart")
    assert_detail(response, 413)
    assert Enterprise.objects.get(pk=cast["inside"].pk).name == cast["inside"].name


def test_too_many_fields_is_a_400_in_the_apis_shape(cast, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    fields = "&".join(f"f{i}=1" for i in range(21))
    response = client().post("/api/v1/auth/token/", fields, content_type="application/x-www-form-urlencoded")
    assert_detail(response, 400, "20")
    response = client(cast["users"]["bureau_staff"]).get(f"/api/v1/enterprises/?{fields}")
    assert_detail(response, 400, "20")
