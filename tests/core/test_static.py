"""Static files in production (issue 9, defect 2): with DEBUG off, ``collectstatic`` runs with the manifest
storage, which rewrites every file a CSS or JavaScript file references and fails on one that is missing
(the vendored libraries' source maps were); without its manifest every page answered 500. The production
run on a real gunicorn is ``scripts/prod_smoke.py`` (CI)."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

#: The storage config/settings.py uses when DEBUG is off.
PRODUCTION_STORAGE = "shouye.core.staticfiles.ManifestStaticFilesStorage"


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic into an empty folder with the production storage, as the README's steps run it."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_collectstatic_with_the_production_storage_writes_the_manifest(collected):
    paths = json.loads((collected / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/leaflet/leaflet.js", "vendor/bootstrap/bootstrap.bundle.min.js",
                 "vendor/bootstrap/bootstrap.min.css", "vendor/echarts/echarts.min.js", "shouye/map.js"):
        hashed = paths[name]
        assert re.fullmatch(re.escape(name.rsplit(".", 1)[0]) + r"\.[0-9a-f]{12}\." + name.rsplit(".", 1)[1], hashed)
        assert (collected / hashed).is_file() and (collected / f"{hashed}.gz").is_file()


def test_a_page_links_the_hashed_names(collected, cast, settings):
    settings.DEBUG = False
    client = Client()
    client.force_login(cast["users"]["bureau_staff"])
    response = client.get("/")
    assert response.status_code == 200
    assert re.search(r'href="/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css"', response.content.decode())
