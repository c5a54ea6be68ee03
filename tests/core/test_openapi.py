"""The API's description (issue 2): OpenAPI 3 at /api/schema/, valid, in Chinese and English; the docs
page at /api/docs/ served entirely from our own static files, so it works on an intranet without internet."""

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


@pytest.fixture
def schema(signed_in):
    response = signed_in.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


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
