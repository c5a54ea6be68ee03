"""Error pages and the favicon (issue 10, defects): 403, 404 and 500 in the site's layout, Chinese by default
and English on request, with a way home and the phone viewport; the API keeps its JSON error shape; an
expected refusal logs one line without a traceback; ``/favicon.ico`` answers."""

import json
import logging

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from shouye.core.api.errors import BARE_SERVER_ERROR, permission_denied, server_error

pytestmark = pytest.mark.django_db

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def signed_in(user, **headers) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


def assert_site_page(html: str, status: int) -> None:
    """The site's layout (navigation bar, stylesheet, viewport) around the error, with a link home."""
    assert VIEWPORT in html
    assert 'class="navbar' in html and "bootstrap.min.css" in html
    assert f'data-testid="error-page" data-status="{status}"' in html
    assert 'href="/" data-testid="error-home"' in html


def test_a_refused_page_is_a_chinese_403_in_the_sites_layout(cast):
    response = signed_in(cast["users"]["township_officer"]).get("/calendar/")
    html = response.content.decode()
    assert response.status_code == 403
    assert_site_page(html, 403)
    assert "您没有执行此操作的权限" in html and "返回首页" in html
    assert "Forbidden" not in html
    # Signed in: the navigation bar is the user's own.
    assert 'data-testid="current-user"' in html


def test_the_403_page_follows_the_language(cast):
    html = signed_in(cast["users"]["township_officer"], accept_language="en").get("/calendar/").content.decode()
    assert "You do not have permission to do this." in html and "Back to the home page" in html
    assert '<html lang="en">' in html


def test_an_expected_refusal_logs_one_line_without_a_traceback(cast, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        signed_in(cast["users"]["township_officer"]).get("/calendar/")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING and record.status_code == 403
    assert record.getMessage() == "Forbidden (Permission denied): /calendar/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_an_unknown_address_is_a_chinese_404_in_the_sites_layout(cast):
    response = signed_in(cast["users"]["bureau_staff"]).get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert_site_page(html, 404)
    assert "页面不存在" in html and "Not Found" not in html


def test_a_signed_out_visitor_gets_the_404_page_without_the_menu(db):
    response = Client(headers={"accept_language": "en"}).get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert_site_page(html, 404)
    assert "This page does not exist." in html and 'id="mainnav"' not in html


def test_the_api_keeps_its_json_errors(cast):
    response = signed_in(cast["users"]["bureau_staff"]).get("/api/v1/no-such-resource/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
    request = RequestFactory().get("/api/v1/enterprises/")
    refused = permission_denied(request, PermissionDenied("只有区局人员可以导出。"))
    assert refused.status_code == 403 and refused["Content-Type"] == "application/json"
    assert json.loads(refused.content) == {"detail": "只有区局人员可以导出。"}


@pytest.mark.urls("tests.core.error_urls")
def test_a_fault_is_a_500_page_in_the_sites_layout(cast):
    client = signed_in(cast["users"]["bureau_staff"])
    client.raise_request_exception = False
    response = client.get("/fails/")
    html = response.content.decode()
    assert response.status_code == 500
    assert_site_page(html, 500)
    assert "服务器出错了" in html
    assert "RuntimeError" not in html and "a fault the 500 page must hide" not in html


@pytest.mark.urls("tests.core.error_urls")
def test_a_fault_under_the_api_is_a_json_500(cast):
    client = signed_in(cast["users"]["bureau_staff"], accept_language="en")
    client.raise_request_exception = False
    response = client.get("/api/v1/fails/")
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred. It has been logged; try again later."}


def test_the_500_page_asks_nothing_of_the_database(django_assert_num_queries):
    """The database may be what failed: the page is drawn without the request's context processors."""
    request = RequestFactory().get("/anywhere/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


def test_the_500_page_falls_back_to_bare_html_when_the_layout_fails(settings, tmp_path):
    """A static file missing from the manifest (issue 9) fails every page, the 500 page's layout too."""
    settings.STATIC_ROOT = tmp_path / "empty"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "shouye.core.staticfiles.ManifestStaticFilesStorage"}}
    response = server_error(RequestFactory().get("/anywhere/"))
    assert response.status_code == 500
    assert response.content.decode() == BARE_SERVER_ERROR


def test_favicon_ico_answers_and_every_page_links_the_icons(cast):
    response = Client().get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/shouye/favicon.ico"
    with open(finders.find("shouye/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO header
    html = signed_in(cast["users"]["bureau_staff"]).get("/").content.decode()
    for name, kind in (("favicon.svg", "image/svg+xml"), ("favicon-32.png", "image/png")):
        assert f'<link rel="icon" href="/static/shouye/{name}" type="{kind}"' in html
        assert finders.find(f"shouye/{name}")


def test_an_expired_form_is_explained_in_the_sites_layout(db):
    """A form sent without its CSRF token (a page left open past a sign-out) is refused with a page saying
    what happened, not Django's English "CSRF verification failed"."""
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert_site_page(html, 403)
    assert "表单已过期" in html and "CSRF verification failed" not in html


def test_an_error_page_does_not_echo_the_address(cast):
    """The address asked for may name an object outside the scope (a photo's file name): the 404 and 403
    pages do not repeat it, not even in the language switch's return address."""
    client = signed_in(cast["users"]["township_officer"])
    assert "secret-file-name" not in client.get("/media/hazards/secret-file-name.jpg").content.decode()
    assert "calendar/2027" not in client.get("/calendar/2027/").content.decode()
