"""The home page and the frame around every page (issue 2, UI): counts by township, industry and grade as
charts and licence expiry warnings, all within the user's scope; Chinese by default, English on request;
Bootstrap, htmx and ECharts from our own static files."""

import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import EnterpriseFactory, LicenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user, **headers) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


def json_script(html: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


@pytest.fixture
def licences(cast):
    """An expiring licence inside 马山镇, an expired one in 孝里街道, and one valid for years."""
    today = date.today()
    return {
        "expiring": LicenceFactory(enterprise=cast["inside"], number="马山-即将到期-001",
                                   valid_to=today + timedelta(days=30)),
        "expired": LicenceFactory(enterprise=cast["outside"], number="孝里-已过期-002",
                                  valid_from=today - timedelta(days=800), valid_to=today - timedelta(days=3)),
        "valid": LicenceFactory(enterprise=cast["building"], number="孝里-有效-003",
                                valid_to=today + timedelta(days=400)),
    }


def test_signed_out_visitors_are_sent_to_the_sign_in_page(db):
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/"
    page = Client().get("/accounts/login/").content.decode()
    assert "登录守夜平台" in page and 'lang="zh-hans"' in page


def test_home_shows_the_chart_containers_and_their_data(cast, licences):
    html = client_for(cast["users"]["bureau_staff"]).get("/").content.decode()
    panel = html[html.index('data-testid="enterprise-counts"'):html.index('<script id="by-township"')]
    assert panel.count('class="chart"') == 3
    for source in ("by-township", "by-industry", "by-grade"):
        assert f'data-source="{source}"' in panel
    by_township = {row["label"]: row["count"] for row in json_script(html, "by-township")}
    assert by_township == {"孝里街道": 2, "马山镇": 1}
    by_industry = {row["key"]: row["count"] for row in json_script(html, "by-industry")}
    assert by_industry == {"hazardous_chemicals": 1, "construction": 1, "industry_trade": 1}
    assert json_script(html, "by-grade") == [{"key": "B", "label": "B类", "count": 3}]


def test_home_counts_stay_within_the_scope(cast, licences):
    officer = client_for(cast["users"]["township_officer"]).get("/").content.decode()
    assert json_script(officer, "by-township") == [{"key": "370113107", "label": "马山镇", "count": 1}]
    department = client_for(cast["users"]["department_officer"]).get("/").content.decode()
    assert [row["key"] for row in json_script(department, "by-industry")] == ["construction"]


def test_licence_warnings_list_expired_and_expiring_licences_of_the_scope(cast, licences):
    html = client_for(cast["users"]["leader"]).get("/").content.decode()
    warnings = html[html.index('data-testid="licence-warnings"'):]
    assert "已过期 1 个" in warnings and "即将到期 1 个" in warnings
    assert warnings.index("孝里-已过期-002") < warnings.index("马山-即将到期-001")
    assert "孝里-有效-003" not in warnings
    assert f'href="/enterprises/{cast["inside"].pk}/"' in warnings


def test_a_township_officer_sees_only_its_own_licence_warnings(cast, licences):
    html = client_for(cast["users"]["township_officer"]).get("/").content.decode()
    warnings = html[html.index('data-testid="licence-warnings"'):]
    assert "马山-即将到期-001" in warnings
    assert "孝里-已过期-002" not in warnings and cast["outside"].name not in html
    assert "已过期 0 个" in warnings and "即将到期 1 个" in warnings


def test_the_warning_horizon_is_ninety_days_and_configurable(cast, settings):
    LicenceFactory(enterprise=cast["inside"], number="第89天", valid_to=date.today() + timedelta(days=89))
    LicenceFactory(enterprise=cast["inside"], number="第91天", valid_to=date.today() + timedelta(days=91))
    client = client_for(cast["users"]["bureau_staff"])
    html = client.get("/").content.decode()
    assert "第89天" in html and "第91天" not in html
    settings.SHOUYE_LICENCE_WARNING_DAYS = 120
    assert "第91天" in client.get("/").content.decode()


def test_a_user_without_memberships_sees_an_empty_home(cast, licences):
    """No role, no statistics and no to-do but the unread notifications (issue 10: the panels are the
    supervisors')."""
    html = client_for(cast["users"]["nobody"]).get("/").content.decode()
    assert 'id="by-township"' not in html and "概览" not in html
    assert re.findall(r'data-todo="([\w-]+)"', html) == ["notifications-unread"]
    for key in ("inside", "outside", "building"):
        assert cast[key].name not in html


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


@pytest.mark.parametrize("url", ["/", "/enterprises/", "/accounts/login/"])
def test_pages_load_bootstrap_htmx_and_echarts_from_our_own_static_files(cast, url):
    html = client_for(cast["users"]["bureau_staff"]).get(url).content.decode()
    assets = _Assets()
    assets.feed(html)
    assert any("bootstrap" in u for u in assets.urls) and any("htmx" in u for u in assets.urls)
    for asset in assets.urls:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} does not resolve to a file"
    if url == "/":
        assert any("echarts" in u for u in assets.urls)


def test_the_language_switch_changes_the_page_to_english_and_back(cast):
    client = client_for(cast["users"]["bureau_staff"])
    home = client.get("/").content.decode()
    assert 'lang="zh-hans"' in home and "概览" in home
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/enterprises/"})
    assert response.status_code == 302 and response["Location"] == "/enterprises/"
    english = client.get("/").content.decode()
    assert 'lang="en"' in english and "Overview" in english and "Licence expiry warnings" in english
    assert "Enterprises by township" in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "概览" in client.get("/").content.decode()


def test_the_browser_language_is_honoured(cast):
    html = client_for(cast["users"]["bureau_staff"], accept_language="en").get("/").content.decode()
    assert "Overview" in html


def test_the_language_switch_offers_both_languages_each_in_its_own_name(cast):
    """Someone who reads only English must find "English", not "英语", on the default Chinese page."""
    html = client_for(cast["users"]["bureau_staff"]).get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    options = re.findall(r'<option value="([^"]+)" lang="[^"]+"\s*(selected)?\s*>([^<]+)</option>', html)
    assert options == [("zh-hans", "selected", "简体中文"), ("en", "", "English")]


def test_the_menu_follows_the_permissions(cast):
    staff = client_for(cast["users"]["bureau_staff"]).get("/").content.decode()
    assert 'href="/enterprises/import/"' in staff
    leader = client_for(cast["users"]["leader"]).get("/").content.decode()
    assert 'href="/enterprises/"' in leader and 'href="/enterprises/import/"' not in leader
    nobody = client_for(cast["users"]["nobody"]).get("/").content.decode()
    assert 'href="/enterprises/"' not in nobody


def test_the_health_check_answers_without_signing_in(db):
    assert Client().get("/healthz").json() == {"status": "ok"}


def test_a_second_township_enterprise_appears_in_the_counts(cast):
    EnterpriseFactory(name="马山第二企业", township=cast["inside"].township)
    html = client_for(cast["users"]["township_officer"]).get("/").content.decode()
    assert json_script(html, "by-township") == [{"key": "370113107", "label": "马山镇", "count": 2}]


def test_licence_counts_at_zero_are_not_alarm_coloured(cast, licences):
    """Issue 10: a red badge saying "0" alarms for nothing; zero is shown in grey."""
    html = client_for(cast["users"]["township_officer"]).get("/").content.decode()
    header = html[html.index('data-testid="licence-warnings"'):html.index("</div>", html.index('data-testid="licence-warnings"'))]
    expired = header[header.rindex("<span", 0, header.index('data-testid="licences-expired"')):]
    assert "已过期 0 个" in expired and "text-bg-danger" not in expired.split("</span>")[0]
    leader = client_for(cast["users"]["leader"]).get("/").content.decode()
    assert 'text-bg-danger ms-2" data-testid="licences-expired"' in leader
