"""The API's entry points (issue 2, REST API): a token for integrations, who am I, and the regions."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shouye.audit.models import AuditEvent
from tests.conftest import api_as
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_state(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # the token endpoint's rate limit counts in the cache


@pytest.fixture
def user(db):
    return UserFactory(username="gateway")


# --- token ------------------------------------------------------------------------------------------


def test_a_token_is_issued_for_good_credentials_and_authenticates_requests(user, api):
    response = api.post(TOKEN_URL, {"username": "gateway", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert set(response.json()) == {"token"}
    assert Token.objects.get(user=user).key == key

    client = APIClient(headers={"authorization": f"Token {key}"})
    me = client.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "gateway"
    assert AuditEvent.objects.filter(verb="auth.login", actor=user).count() == 1


def test_asking_again_returns_the_same_token(user, api):
    first = api.post(TOKEN_URL, {"username": "gateway", "password": PASSWORD}, format="json").json()
    second = api.post(TOKEN_URL, {"username": "gateway", "password": PASSWORD}, format="json").json()
    assert first == second


def test_bad_credentials_get_400_and_the_same_message_for_an_unknown_user(user, api):
    wrong = api.post(TOKEN_URL, {"username": "gateway", "password": "Wrong@2026"}, format="json")
    unknown = api.post(TOKEN_URL, {"username": "no-such-user", "password": "Wrong@2026"}, format="json")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == {"detail": "用户名或密码错误。"}
    assert not Token.objects.exists()
    assert AuditEvent.objects.filter(verb="auth.login_failed").count() == 2


def test_missing_fields_are_named_in_the_request_language(api):
    chinese = api.post(TOKEN_URL, {"username": "gateway"}, format="json")
    assert chinese.status_code == 400
    assert chinese.json() == {"password": ["该字段是必填项。"]}
    english = api.post(TOKEN_URL, {"username": "gateway"}, format="json", headers={"accept-language": "en"})
    assert english.json() == {"password": ["This field is required."]}


def test_the_token_endpoint_takes_only_post(api):
    assert api.get(TOKEN_URL).status_code == 405


# --- authentication errors --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/regions/", "/api/v1/enterprises/"])
def test_no_credentials_get_401_with_a_token_challenge(url, api):
    response = api.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_a_wrong_token_gets_401(api):
    response = APIClient(headers={"authorization": "Token 0123456789abcdef0123456789abcdef01234567"}).get(
        "/api/v1/me/")
    assert response.status_code == 401


def test_an_inactive_user_cannot_use_its_token(user):
    key = Token.objects.create(user=user).key
    user.is_active = False
    user.save()
    response = APIClient(headers={"authorization": f"Token {key}"}).get("/api/v1/me/")
    assert response.status_code == 401


# --- me ---------------------------------------------------------------------------------------------


def test_me_lists_the_memberships_and_permissions_of_a_township_officer(cast):
    data = api_as(cast["users"]["township_officer"]).get("/api/v1/me/").json()
    assert data["username"] == "township_officer"
    assert data["memberships"] == [{"role": "township_officer", "region_code": "370113107",
                                    "organisation": None, "enterprise_id": None}]
    assert "enterprises.view_enterprise" in data["permissions"]
    assert "enterprises.add_enterprise" in data["permissions"]
    assert "enterprises.view_personal_data" not in data["permissions"]
    assert data["permissions"] == sorted(data["permissions"])


def test_me_for_a_department_officer_and_an_enterprise_user(cast):
    department = api_as(cast["users"]["department_officer"]).get("/api/v1/me/").json()
    assert department["memberships"][0]["organisation"] == "区住房和城乡建设局"
    enterprise = api_as(cast["users"]["enterprise_user"]).get("/api/v1/me/").json()
    assert enterprise["memberships"][0]["enterprise_id"] == cast["inside"].pk
    assert "enterprises.add_enterprise" not in enterprise["permissions"]


def test_a_leader_reads_everything_and_changes_nothing(cast):
    permissions = set(api_as(cast["users"]["leader"]).get("/api/v1/me/").json()["permissions"])
    assert {"enterprises.view_enterprise", "enterprises.export_enterprise"} <= permissions
    assert not {p for p in permissions if p.split(".")[1].startswith(("add_", "change_", "delete_", "import_"))}


def test_me_reports_several_memberships(cast):
    from shouye.regions.models import Region
    from tests.factories import member

    officer = cast["users"]["township_officer"]
    member(officer, "township_officer", region=Region.objects.get(code="370113008"))
    codes = {m["region_code"] for m in api_as(officer).get("/api/v1/me/").json()["memberships"]}
    assert codes == {"370113107", "370113008"}


def test_inactive_memberships_are_not_reported(cast):
    officer = cast["users"]["township_officer"]
    officer.memberships.update(active=False)
    data = api_as(officer).get("/api/v1/me/").json()
    assert data["memberships"] == [] and data["permissions"] == []


# --- regions ----------------------------------------------------------------------------------------


def test_regions_list_the_district_and_its_ten_townships(cast):
    data = api_as(cast["users"]["expert"]).get("/api/v1/regions/", {"page_size": 200}).json()
    rows = data["results"]
    assert data["count"] == 11
    assert rows[0] == {"id": rows[0]["id"], "code": "370113", "name": "长清区", "level": "district",
                       "parent_code": None}
    assert {r["code"] for r in rows if r["level"] == "township"} >= {"370113107", "370113008"}


def test_regions_filter_by_level_and_by_parent(cast):
    client = api_as(cast["users"]["enterprise_user"])
    townships = client.get("/api/v1/regions/", {"level": "township", "page_size": 50}).json()
    assert townships["count"] == 10
    assert all(r["parent_code"] == "370113" for r in townships["results"])
    districts = client.get("/api/v1/regions/", {"level": "district"}).json()
    assert [r["code"] for r in districts["results"]] == ["370113"]
    children = client.get("/api/v1/regions/", {"parent": "370113", "page_size": 50}).json()
    assert {r["code"] for r in children["results"]} == {r["code"] for r in townships["results"]}
    assert client.get("/api/v1/regions/", {"parent": "370113107"}).json()["count"] == 0


def test_a_region_is_retrieved_by_its_code(cast):
    client = api_as(cast["users"]["department_officer"])
    response = client.get("/api/v1/regions/370113107/")
    assert response.status_code == 200
    assert response.json()["name"] == "马山镇" and response.json()["parent_code"] == "370113"
    assert client.get("/api/v1/regions/999999999/").status_code == 404


def test_an_unknown_level_is_refused(cast):
    response = api_as(cast["users"]["leader"]).get("/api/v1/regions/", {"level": "province"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_regions_are_read_only(cast):
    client = api_as(cast["users"]["bureau_admin"])
    assert client.post("/api/v1/regions/", {"code": "370113999", "name": "x", "level": "township"},
                       format="json").status_code == 405
    assert client.patch("/api/v1/regions/370113107/", {"name": "x"}, format="json").status_code == 405
