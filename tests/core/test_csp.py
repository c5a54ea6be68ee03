"""Content-Security-Policy (issue 9, defect 12): every response carries one that allows only the site's own
scripts, styles and images, plus the map tile server from settings; and nothing in the templates needs
more — no inline script, no event-handler attribute, no style attribute — so that class of defect cannot
come back. Real Chromium reporting no violation is tests/browser/test_csp.py."""

import re
from pathlib import Path

import pytest
from django.test import Client

from shouye.core.csp import tile_source
from tests.hazards.conftest import make_hazard

ROOT = Path(__file__).resolve().parents[2]
#: Every template of the project: shouye/templates and each app's templates folder.
TEMPLATES = sorted(ROOT.glob("shouye/**/templates/**/*.html"))
#: Templates rendered only to PDF by WeasyPrint, never sent to a browser: their <style> is the document's
#: print layout, and no policy applies to it.
PDF_ONLY = ("inspections/documents/", "risks/plans/documents/", "major_hazards/board.html", "permits/documents/",
            "incidents/report.html")

#: Code in the HTML that the policy refuses, with what to do instead.
SCRIPT_PATTERNS = {
    "inline <script> (put the code in a static .js file; data goes in json_script)":
        re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json[\"'])[^>]*>", re.I),
    "event-handler attribute (listen in a static .js file, e.g. data-submit-on-change in shouye.js)":
        re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "hx-on attribute (htmx evaluates it as code; listen in a static .js file)": re.compile(r"\bhx-on", re.I),
    "javascript: URL or js: value": re.compile(r"(javascript:|[\"']js:)", re.I),
}
STYLE_PATTERNS = {
    "<style> element (move the rules to shouye/static/shouye/shouye.css)": re.compile(r"<style\b", re.I),
    "style attribute (use a class in shouye.css; a computed width goes in data-percent)":
        re.compile(r"<[^>]*\sstyle\s*=", re.I),
}

pytestmark = pytest.mark.django_db


def csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offences(text: str, patterns: dict) -> list[str]:
    return [f"{reason}: {match.group(0)[:80]!r}" for reason, pattern in patterns.items()
            for match in pattern.finditer(text)]


def test_pages_and_the_api_carry_the_policy(cast, api):
    staff = signed_in(cast["users"]["bureau_staff"])
    responses = [
        Client().get("/accounts/login/"),
        staff.get("/"),
        staff.get("/enterprises/"),
        staff.get("/this-page-does-not-exist/"),
        staff.get("/api/v1/me/"),
        api.get("/api/v1/enterprises/"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 404, 200, 401]
    for response in responses:
        policy = csp(response)
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_the_map_tile_host_from_settings_is_an_image_source(cast, settings):
    settings.SHOUYE_MAP_TILE_URL = "https://{s}.tiles.example.gov.cn:8443/{z}/{x}/{y}.png"
    response = signed_in(cast["users"]["bureau_staff"]).get(f"/enterprises/{cast['inside'].pk}/")
    assert 'data-tiles="https://{s}.tiles.example.gov.cn:8443/{z}/{x}/{y}.png"' in response.content.decode()
    assert csp(response)["img-src"] == ["'self'", "data:", "https://*.tiles.example.gov.cn:8443"]


@pytest.mark.parametrize(("url", "source"), [
    ("https://tiles.example.gov.cn/{z}/{x}/{y}.png", "https://tiles.example.gov.cn"),
    ("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png", "http://10.1.2.3:8080"),
    ("https://tile{s}.example.gov.cn/{z}/{x}/{y}.png", "https://*.example.gov.cn"),
    ("//tiles.example.gov.cn/{z}/{x}/{y}.png", "tiles.example.gov.cn"),
    ("/tiles/{z}/{x}/{y}.png", None),
    ("", None),
])
def test_tile_sources(url, source):
    assert tile_source(url) == source


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_holds_inline_code_or_styles(template):
    text = template.read_text()
    name = template.as_posix().split("/templates/", 1)[1]
    found = offences(text, SCRIPT_PATTERNS)
    if not name.startswith(PDF_ONLY):
        found += offences(text, STYLE_PATTERNS)
    assert not found, f"{name}: the Content-Security-Policy refuses " + "; ".join(found)


def test_the_templates_are_found():
    names = {path.name for path in TEMPLATES}
    assert {"base.html", "home_stats.html", "swagger_ui.html"} <= names and len(TEMPLATES) > 50


def test_rendered_pages_hold_no_inline_code_or_styles(cast, settings):
    """What the templates produce, widgets and filters included: home, lists, the ledger page with its map,
    a hazard, the calculators, the API docs and the sign-in page."""
    settings.SHOUYE_MAP_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    hazard = make_hazard(cast["inside"])
    staff = signed_in(cast["users"]["bureau_staff"])
    pages = ["/", "/enterprises/", f"/enterprises/{cast['inside'].pk}/", "/hazards/", f"/hazards/{hazard.pk}/",
             "/calculators/", "/inspections/plans/", "/api/docs/"]
    for path in pages:
        response = staff.get(path)
        assert response.status_code == 200, path
        found = offences(response.content.decode(), {**SCRIPT_PATTERNS, **STYLE_PATTERNS})
        assert not found, f"{path}: " + "; ".join(found)
    login = Client().get("/accounts/login/").content.decode()
    assert not offences(login, {**SCRIPT_PATTERNS, **STYLE_PATTERNS})


def test_the_api_docs_script_is_a_file_of_its_own(cast):
    staff = signed_in(cast["users"]["bureau_staff"])
    page = staff.get("/api/docs/").content.decode()
    script = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', page)
    assert script, "the docs page loads its set-up script from /api/docs/?script"
    response = staff.get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200 and "SwaggerUIBundle" in response.content.decode()
