"""The API's description (issue 2): OpenAPI 3 at /api/schema/, valid, in Chinese and English; the docs
page at /api/docs/ served entirely from our own static files, so it works on an intranet without internet."""

import copy
import re
from html.parser import HTMLParser

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
ISSUE_2_PATHS = ["/api/v1/auth/token/", "/api/v1/me/", "/api/v1/regions/", "/api/v1/regions/{code}/",
                 "/api/v1/enterprises/", "/api/v1/enterprises/{id}/", "/api/v1/enterprises/export/"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast["users"]["township_officer"])
    return client


def bilingual(text: str) -> bool:
    return bool(CJK.search(text or "")) and bool(LATIN_WORD.search(text or ""))


#: The schema as /api/schema/ served it to the first test that asked (its generation takes a second or two; it
#: depends on the code alone, so the module's other tests read the same copy).
_SERVED: dict = {}


@pytest.fixture
def schema(signed_in):
    if "schema" not in _SERVED:
        response = signed_in.get("/api/schema/", {"format": "json"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
        _SERVED["schema"] = response.json()
    return copy.deepcopy(_SERVED["schema"])


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_is_served_as_json_on_accept_and_as_yaml_by_default(signed_in, schema):
    by_accept = signed_in.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert by_accept.status_code == 200 and by_accept.json() == schema
    default = signed_in.get("/api/schema/")
    assert default.status_code == 200
    assert yaml.safe_load(default.content) == schema


def test_the_schema_describes_every_issue_2_endpoint(schema):
    assert set(ISSUE_2_PATHS) <= set(schema["paths"])
    enterprises = schema["paths"]["/api/v1/enterprises/"]
    assert {"get", "post"} <= set(enterprises)
    assert {"get", "put", "patch"} <= set(schema["paths"]["/api/v1/enterprises/{id}/"])
    filters = {p["name"] for p in enterprises["get"]["parameters"]}
    assert {"township", "industry", "grade", "tag", "status", "q", "page", "page_size"} <= filters


def test_token_and_session_authentication_are_described(schema):
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values())
    assert any(s.get("type") == "apiKey" and s.get("in") == "cookie" for s in schemes.values())


def test_descriptions_are_in_chinese_and_english(schema):
    assert bilingual(schema["info"]["title"])
    assert bilingual(schema["info"]["description"])
    missing = [f"{method.upper()} {path}" for path in ISSUE_2_PATHS
               for method, operation in schema["paths"][path].items()
               if not bilingual(operation.get("summary", "") + operation.get("description", ""))]
    assert not missing, missing


def test_every_operation_has_a_bilingual_summary(schema):
    missing = [f"{method.upper()} {path}" for path, operations in schema["paths"].items()
               for method, operation in operations.items()
               if not bilingual(operation.get("summary", "") + operation.get("description", ""))]
    assert not missing, missing


def test_the_schema_generates_without_warnings(tmp_path):
    """drf-spectacular's own checks (`spectacular --validate --fail-on-warn`), as CI would run them."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert yaml.safe_load(target.read_text())["paths"]


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


#: The docs page's set-up script, served by the docs view itself (no inline script: the CSP allows none).
DOCS_SCRIPT = "/api/docs/?script="


def test_the_docs_page_uses_only_our_own_static_files(signed_in):
    response = signed_in.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = _Assets()
    assets.feed(html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in assets.urls)
    assert DOCS_SCRIPT in assets.urls
    for url in assets.urls:
        if url == DOCS_SCRIPT:
            continue
        assert url.startswith("/static/"), f"{url} is not one of our static files"
        assert finders.find(url.removeprefix("/static/")), f"{url} does not resolve to a file"
    script = signed_in.get(DOCS_SCRIPT).content.decode()
    for text in (html, script):
        assert "cdn" not in text.lower()
        assert not re.search(r"https?://(?!testserver)", text)


def test_the_docs_page_loads_our_schema(signed_in):
    assert "/api/schema/" in signed_in.get(DOCS_SCRIPT).content.decode()


# --- the schema tells the truth (issue 9 item 10) -------------------------------------------------------

ERROR_BODIES = {"400": "InvalidInput", "401": "Error", "403": "Error", "404": "Error", "409": "Conflict",
                "413": "Error", "415": "Error", "429": "Error"}
METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema):
    return [(path, method, operation) for path, item in schema["paths"].items()
            for method, operation in item.items() if method in METHODS]


def test_every_refusal_an_operation_can_give_is_documented_in_the_one_error_shape(schema):
    wrong = []
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        expected = set()
        if path != "/api/v1/auth/token/":
            expected.add("401")
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"400", "413", "415"}
            if path != "/api/v1/auth/token/":
                expected.add("403")
        if any(p["in"] == "query" and p["name"] not in ("page", "page_size", "year")
               for p in operation.get("parameters", [])):
            expected.add("400")
        if missing := expected - set(responses):
            wrong.append(f"{method.upper()} {path}: {sorted(missing)} not documented")
        for code, response in responses.items():
            if code >= "400":
                ref = response["content"]["application/json"]["schema"]["$ref"]
                if ref != f"#/components/schemas/{ERROR_BODIES[code]}":
                    wrong.append(f"{method.upper()} {path}: {code} answers {ref}")
    assert not wrong, "\n".join(wrong)


def test_acts_document_the_refusal_by_state_and_throttled_routes_the_429(schema):
    paths = schema["paths"]
    for path in ("/api/v1/hazards/{id}/assign/", "/api/v1/hazards/{id}/governance-plan/",
                 "/api/v1/inspections/{id}/photos/", "/api/v1/inspections/{id}/documents/",
                 "/api/v1/tip-offs/{id}/triage/"):
        assert {"400", "403", "404", "409"} <= set(paths[path]["post"]["responses"]), path
    assert "409" not in paths["/api/v1/hazards/"]["post"]["responses"]
    assert "429" in paths["/api/v1/auth/token/"]["post"]["responses"]
    assert "429" in paths["/api/v1/tip-offs/"]["post"]["responses"]
    assert set(paths["/api/v1/regions/"]["get"]["responses"]) == {"200", "400", "401", "404"}
    conflict = schema["components"]["schemas"]["Conflict"]
    assert set(conflict["required"]) == {"detail", "state", "action", "allowed_actions"}


def test_acts_document_their_own_input_and_answer(schema):
    assign = schema["paths"]["/api/v1/hazards/{id}/assign/"]["post"]
    body = assign["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body == "#/components/schemas/AssignRequest"
    assert assign["summary"].startswith("责令整改")
    answer = assign["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert answer == "#/components/schemas/HazardDetail"


def test_a_bare_list_is_not_declared_paginated(schema):
    documents = schema["paths"]["/api/v1/inspections/{id}/documents/"]["get"]
    assert documents["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert not [p for p in documents.get("parameters", []) if p["in"] == "query"]
    hazards = schema["paths"]["/api/v1/hazards/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert hazards["schema"]["$ref"] == "#/components/schemas/PaginatedHazardListList"


@pytest.mark.parametrize("path, filterset", [
    ("/api/v1/hazards/", "shouye.hazards.filters.HazardFilter"),
    ("/api/v1/hazards/export/", "shouye.hazards.filters.HazardFilter"),
    ("/api/v1/hazards/stats/", "shouye.hazards.filters.HazardFilter"),
    ("/api/v1/enterprises/", "shouye.enterprises.filters.EnterpriseFilter"),
    ("/api/v1/enterprises/export/", "shouye.enterprises.filters.EnterpriseFilter"),
    ("/api/v1/inspections/", "shouye.inspections.filters.InspectionFilter"),
    ("/api/v1/inspection-plans/", "shouye.inspections.filters.InspectionPlanFilter"),
])
def test_filter_parameters_are_those_of_the_filterset(schema, path, filterset):
    """The parameters come from the FilterSet the list, page and export use, not from a hand-written copy."""
    from django.utils.module_loading import import_string

    filters = import_string(filterset).base_filters
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
    assert set(filters) <= set(parameters)
    for name, declared in filters.items():
        choices = dict(getattr(declared, "extra", {}).get("choices") or ())
        if choices:
            assert set(parameters[name]["schema"]["enum"]) == set(choices), name


def test_fields_that_answer_null_are_declared_nullable(schema):
    components = schema["components"]["schemas"]
    for component, field in [("HazardDetail", "found_by"), ("HazardDetail", "reinspected_by"),
                             ("Extension", "decided_by"), ("TipOff", "photo_url"), ("TipOff", "township"),
                             ("TipOff", "township_name"), ("Region", "parent_code"), ("Inspection", "checklist"),
                             ("InspectionPlan", "officer"), ("Membership", "region_code")]:
        assert components[component]["properties"][field].get("nullable") is True, f"{component}.{field}"
    assert not components["HazardDetail"]["properties"]["enterprise_name"].get("nullable")


def test_schema_generation_refuses_fields_that_would_answer_wrongly():
    """A source through ``__str__`` (answers a method's text for an empty relation), a source through an empty
    relation without a default (the key disappears), a lookup by text with DRF's own SlugRelatedField (a NUL
    character is a server error on PostgreSQL): each is a warning, so ``--fail-on-warn`` fails."""
    from django.urls import path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework import generics, serializers

    from shouye.hazards.models import Hazard
    from shouye.regions.models import Region

    class Careless(serializers.ModelSerializer):
        finder = serializers.CharField(source="found_by.__str__", read_only=True)
        finder_login = serializers.CharField(source="found_by.username", read_only=True)
        place = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), source="township")

        class Meta:
            model = Hazard
            fields = ["id", "finder", "finder_login", "place"]

    class CarelessView(generics.RetrieveUpdateAPIView):
        queryset = Hazard.objects.all()
        serializer_class = Careless

    GENERATOR_STATS.reset()
    try:
        with GENERATOR_STATS.silence():
            SchemaGenerator(patterns=[path("careless/<int:pk>/", CarelessView.as_view())]).get_schema(public=True)
        warnings = "\n".join(GENERATOR_STATS._warn_cache)
    finally:
        GENERATOR_STATS.reset()
    assert "Careless.finder answers the text of a method" in warnings
    assert "Careless.finder_login leaves its key out" in warnings
    assert "Careless.place looks rows up by a text with DRF's SlugRelatedField" in warnings
