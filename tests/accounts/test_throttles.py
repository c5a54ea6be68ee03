"""Throttles and lock-outs that an attacker cannot step around (issue 9, item 6).

The token endpoint's rate counts per client address, and the address is not the client's to choose: a forged
X-Forwarded-For starts no new count, and behind our own proxy the forwarded address counts. A client address
is locked after SHOUYE_LOGIN_ADDRESS_MAX_FAILURES failed sign-ins over any names (password spraying), on the
sign-in page and the token endpoint alike, besides the lock per user name. All counts live in the shared
cache: on Redis, a second cache client (as another gunicorn worker has) sees the first one's counts."""

import os
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
import time_machine
from django.core.cache import caches
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from shouye.audit.models import AuditEvent
from shouye.core.api.throttling import AddressRateThrottle
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"
ATTACKER = "203.0.113.5"
NEIGHBOUR = "198.51.100.20"
BAD_CREDENTIALS = "用户名或密码错误。"
ADDRESS_LOCKED = "来自您所在网络地址的登录失败次数过多，请 15 分钟后再试。"
#: A moment well inside a clock minute, so that a test's requests share one window of the token rate.
START = datetime(2026, 7, 1, 2, 5, 10, tzinfo=UTC)
REDIS_URL = os.environ.get("SHOUYE_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture(autouse=True)
def _quick_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def gateway(db):
    return UserFactory(username="gateway")


def token(address: str, username: str = "gateway", password: str = PASSWORD, **headers):
    return Client().post(TOKEN_URL, {"username": username, "password": password}, content_type="application/json",
                         REMOTE_ADDR=address, **headers)


def page_sign_in(address: str, username: str, password: str = "Spring@2026"):
    return Client().post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def page_error(response) -> str:
    content = response.content.decode()
    start = content.find('data-testid="login-error">')
    return content[start:].split(">", 1)[1].split("<", 1)[0].strip() if start >= 0 else ""


# --- the token endpoint's rate ------------------------------------------------------------------------------


def test_a_forged_forwarded_for_does_not_reset_the_token_rate(gateway, clock):
    answers = [token(ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(31)]
    assert answers == [200] * 30 + [429]
    refused = token(ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.250")
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 50
    assert token(NEIGHBOUR).status_code == 200
    clock.shift(timedelta(seconds=50))
    assert token(ATTACKER).status_code == 200


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(settings, gateway, clock):
    settings.SHOUYE_TRUSTED_PROXIES = ["10.0.0.2"]
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    answers = [Client().post(TOKEN_URL, {"username": "gateway", "password": PASSWORD},
                             content_type="application/json", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}",
                             **via_proxy).status_code for n in range(31)]
    assert answers == [200] * 30 + [429]
    other = Client().post(TOKEN_URL, {"username": "gateway", "password": PASSWORD},
                          content_type="application/json", HTTP_X_FORWARDED_FOR=NEIGHBOUR, **via_proxy)
    assert other.status_code == 200
    assert set(AuditEvent.objects.filter(verb="auth.login").values_list("ip_address", flat=True)) == {
        ATTACKER, NEIGHBOUR}


def test_the_token_rate_is_a_setting(settings, gateway, clock):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    assert [token(ATTACKER).status_code for _ in range(4)] == [200, 200, 200, 429]


def api_views():
    """Every class-based API view reachable in the URLconf."""
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
                if isinstance(view, type) and issubclass(view, APIView):
                    yield view
    return set(walk(get_resolver().url_patterns))


def test_every_api_throttle_counts_by_the_client_address():
    """DRF's own throttles name the client by X-Forwarded-For as sent; ours by client_ip. A throttle that does
    not derive from AddressRateThrottle fails here, wherever it is added."""
    throttles = {throttle for view in api_views() for throttle in view.throttle_classes}
    throttles |= set(api_settings.DEFAULT_THROTTLE_CLASSES)
    assert throttles, "the token endpoint is throttled"
    assert [t for t in throttles if not issubclass(t, AddressRateThrottle)] == []


# --- password spraying: the lock per address ------------------------------------------------------------------


def test_spraying_one_password_over_thirty_names_is_refused_after_the_limit(gateway, clock):
    answers = [token(ATTACKER, f"staff{n:02d}", "Spring@2026") for n in range(30)]
    assert [a.status_code for a in answers] == [400] * 19 + [429] * 11
    assert answers[0].json() == {"detail": BAD_CREDENTIALS}
    assert {a.json()["detail"] for a in answers[19:]} == {ADDRESS_LOCKED}
    assert int(answers[19]["Retry-After"]) == 15 * 60

    clock.shift(timedelta(minutes=1))  # past the token rate's minute: the lock still holds
    right_password = token(ATTACKER)
    assert right_password.status_code == 429
    assert right_password.json() == {"detail": ADDRESS_LOCKED.replace("15 分钟", "14 分钟")}
    assert int(right_password["Retry-After"]) == 14 * 60
    assert token(NEIGHBOUR).status_code == 200


def test_the_sign_in_page_and_the_token_endpoint_share_the_count(gateway, clock):
    for n in range(10):
        assert page_sign_in(ATTACKER, f"clerk{n}").status_code == 401
    for n in range(9):
        assert token(ATTACKER, f"officer{n}", "Spring@2026").status_code == 400
    locking = page_sign_in(ATTACKER, "officer9")
    assert locking.status_code == 429 and page_error(locking) == ADDRESS_LOCKED

    refused = page_sign_in(ATTACKER, "gateway", PASSWORD)
    assert refused.status_code == 429 and page_error(refused) == ADDRESS_LOCKED
    assert "_auth_user_id" not in refused.client.session
    assert token(ATTACKER).status_code == 429

    neighbour = Client()
    assert neighbour.post(LOGIN_URL, {"username": "gateway", "password": PASSWORD},
                          REMOTE_ADDR=NEIGHBOUR).status_code == 302
    assert neighbour.session["_auth_user_id"] == str(gateway.pk)


def test_the_address_lock_ends_after_its_minutes(gateway, clock):
    for n in range(20):
        token(ATTACKER, f"staff{n:02d}", "Spring@2026")
    clock.shift(timedelta(minutes=14, seconds=59))
    assert token(ATTACKER).status_code == 429
    clock.shift(timedelta(seconds=2))
    assert token(ATTACKER).status_code == 200


def test_failures_count_within_the_window(gateway, clock):
    """Nineteen failures, a quiet window, nineteen more: no lock. The count of an address covers
    SHOUYE_LOGIN_ADDRESS_WINDOW_MINUTES from its first failure."""
    for n in range(19):
        assert page_sign_in(ATTACKER, f"staff{n:02d}").status_code == 401
    clock.shift(timedelta(minutes=15, seconds=1))
    for n in range(19):
        assert page_sign_in(ATTACKER, f"staff{n:02d}").status_code == 401
    assert page_sign_in(ATTACKER, "gateway", PASSWORD).status_code == 302


def test_a_successful_sign_in_does_not_clear_the_address_count(gateway, clock):
    """An attacker with one real account cannot wipe the count by signing in with it now and then."""
    for n in range(19):
        page_sign_in(ATTACKER, f"staff{n:02d}")
    assert page_sign_in(ATTACKER, "gateway", PASSWORD).status_code == 302
    assert page_sign_in(ATTACKER, "staff99").status_code == 429


def test_the_limits_are_settings(settings, gateway, clock):
    settings.SHOUYE_LOGIN_ADDRESS_MAX_FAILURES = 3
    settings.SHOUYE_LOGIN_ADDRESS_WINDOW_MINUTES = 5
    settings.SHOUYE_LOGIN_ADDRESS_LOCKOUT_MINUTES = 2
    answers = [page_sign_in(ATTACKER, f"staff{n}") for n in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert page_error(answers[2]) == "来自您所在网络地址的登录失败次数过多，请 2 分钟后再试。"
    clock.shift(timedelta(minutes=2, seconds=1))
    assert page_sign_in(ATTACKER, "gateway", PASSWORD).status_code == 302


def test_the_message_follows_the_language(gateway, clock):
    for n in range(20):
        token(ATTACKER, f"staff{n:02d}", "Spring@2026")
    english = token(ATTACKER, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {
        "detail": "Too many failed sign-ins from your network address. Try again in 15 minutes."}


def test_the_address_lock_out_is_audited(gateway, clock):
    for n in range(21):
        page_sign_in(ATTACKER, f"staff{n:02d}")
    events = list(AuditEvent.objects.order_by("id").values_list("verb", "actor_name", "ip_address"))
    assert events == ([("auth.login_failed", f"staff{n:02d}", ATTACKER) for n in range(20)]
                      + [("auth.address_lockout", "staff19", ATTACKER),
                         ("auth.login_refused_address_locked", "staff20", ATTACKER)])
    lockout = AuditEvent.objects.get(verb="auth.address_lockout")
    assert lockout.note == f"address {ATTACKER} locked until {(START + timedelta(minutes=15)).isoformat()}"


def test_the_name_lock_still_holds_for_a_name_tried_from_many_addresses(gateway, clock):
    for n in range(5):
        token(f"192.0.2.{n}", "gateway", f"Wrong@{n}")
    refused = token("192.0.2.99")
    assert refused.status_code == 400
    assert refused.json() == {"detail": "登录失败次数过多，请 15 分钟后再试。"}


# --- the counts are in the shared cache -----------------------------------------------------------------------


@pytest.fixture
def shared_cache(settings):
    """The default cache on real Redis (a database of these tests' own, keys under a prefix of this test's own).
    Answers ``another_worker()``, which drops this process's cache client and builds a new one, as another
    gunicorn worker has: whatever the first counted in memory is gone, what it counted in Redis is not."""
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (set SHOUYE_TEST_REDIS_URL)")
    prefix = f"test-{uuid.uuid4().hex}"
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    settings.CACHES = {"default": dict(config)}

    def another_worker():
        first = caches["default"]
        settings.CACHES = {"default": dict(config)}  # a changed setting resets Django's cache handler
        assert caches["default"] is not first

    yield another_worker
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)
    assert keys, "the counts were kept in Redis"


def test_the_token_rate_is_counted_across_workers(shared_cache, gateway, clock):
    assert [token(ATTACKER).status_code for _ in range(30)] == [200] * 30
    shared_cache()
    assert token(ATTACKER).status_code == 429


def test_the_name_lock_out_is_counted_across_workers(shared_cache, gateway, clock):
    for n in range(4):
        assert token(f"192.0.2.{n}", "gateway", f"Wrong@{n}").json() == {"detail": BAD_CREDENTIALS}
    shared_cache()
    assert token("192.0.2.9", "gateway", "Wrong@9").json() == {"detail": "登录失败次数过多，请 15 分钟后再试。"}
    shared_cache()
    assert token("192.0.2.10").json() == {"detail": "登录失败次数过多，请 15 分钟后再试。"}


def test_the_address_lock_out_is_counted_across_workers(shared_cache, gateway, clock):
    for n in range(19):
        assert page_sign_in(ATTACKER, f"staff{n:02d}").status_code == 401
    shared_cache()
    assert page_sign_in(ATTACKER, "staff19").status_code == 429
    shared_cache()
    assert page_sign_in(ATTACKER, "gateway", PASSWORD).status_code == 429
    assert page_sign_in(NEIGHBOUR, "gateway", PASSWORD).status_code == 302


# --- no other way to try a password ---------------------------------------------------------------------------


def test_the_admin_site_signs_in_through_the_one_sign_in_page(gateway, clock):
    """Django's admin has a sign-in form of its own that checks passwords with no lock-out and no audit."""
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for n in range(20):
        page_sign_in(ATTACKER, f"staff{n:02d}")
    admin = Client()
    response = admin.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD},
                          REMOTE_ADDR=ATTACKER)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
    assert "_auth_user_id" not in admin.session
    assert admin.get("/admin/", REMOTE_ADDR=ATTACKER)["Location"] == "/admin/login/?next=/admin/"

    assert admin.post(response["Location"], {"username": "root", "password": PASSWORD},
                      REMOTE_ADDR=NEIGHBOUR)["Location"] == "/admin/"
    assert admin.get("/admin/", REMOTE_ADDR=NEIGHBOUR).status_code == 200


def test_passwords_are_checked_only_by_the_sign_in_service():
    """Any other call of authenticate() would check passwords past both lock-outs and the audit trail."""
    shouye = Path(__file__).resolve().parents[2] / "shouye"
    callers = [str(path.relative_to(shouye)) for path in shouye.rglob("*.py")
               if re.search(r"(?<!def )(?<![\w.])authenticate\(|\bauth\.authenticate\(",
                            path.read_text(encoding="utf-8"))]
    assert callers == ["accounts/services.py"]
