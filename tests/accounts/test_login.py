"""Sign-in security to 等保 2.0 level 3 expectations (issue 2): password complexity, lock-out after repeated
failures (configurable), one answer for an unknown user and a wrong password, idle session timeout, and
every sign-in, sign-out, failure and lock-out in the audit trail."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from shouye.accounts.middleware import SESSION_KEY
from shouye.audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.idle_clock]

LOGIN_URL = "/accounts/login/"
BAD_CREDENTIALS = "用户名或密码错误。"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return UserFactory(username="wang.wei")


def sign_in(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def error_of(response) -> str:
    match = re.search(r'data-testid="login-error">([^<]*)<', response.content.decode())
    return match.group(1).strip() if match else ""


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


@pytest.fixture
def shift_time():
    """``shift_time(delta)`` moves the clock ``delta`` ahead of the real time now; the lock-outs (kept in the
    cache with the time they end) read it."""
    travels = []

    def shift(delta: timedelta):
        if travels:
            travels.pop().stop()
        now = datetime.now(tz=UTC)
        travels.append(time_machine.travel(now + delta, tick=False))
        travels[-1].start()

    yield shift
    for travel in travels:
        travel.stop()


# --- password complexity ----------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["abcdefghij", "abcdefgh12", "ABCDEFGH12", "zhangsan!!!"])
def test_simple_passwords_are_refused_with_a_chinese_message(password):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password)
    messages = " ".join(refused.value.messages)
    assert "密码须至少包含以下 3 类字符" in messages


@pytest.mark.parametrize("password", ["Shouye@2026", "Night-watch-9", "xiaoli#2026"])
def test_passwords_mixing_three_kinds_of_character_are_accepted(password):
    validate_password(password)


# --- sign-in and the one answer ---------------------------------------------------------------------


def test_signing_in_opens_the_home_page_and_is_audited(user):
    client = Client()
    response = sign_in(client, "wang.wei", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(verb="auth.login")
    assert event.actor == user and event.target_id == str(user.pk)


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(user):
    wrong = sign_in(Client(), "wang.wei", "Wrong@2026")
    unknown = sign_in(Client(), "nobody.here", "Wrong@2026")
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong) == error_of(unknown) == BAD_CREDENTIALS


def test_failures_are_audited_for_known_and_unknown_names(user):
    sign_in(Client(), "wang.wei", "Wrong@2026")
    sign_in(Client(), "nobody.here", "Wrong@2026")
    failed = list(AuditEvent.objects.filter(verb="auth.login_failed").order_by("id"))
    assert [(e.actor_name, e.target_id) for e in failed] == [("wang.wei", str(user.pk)), ("nobody.here", "")]
    assert all(e.actor is None for e in failed)


# --- lock-out ---------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_for_fifteen_minutes(user, shift_time):
    client = Client()
    answers = [sign_in(client, "wang.wei", f"Wrong@{n}") for n in range(5)]
    assert [error_of(a) for a in answers[:4]] == [BAD_CREDENTIALS] * 4
    assert error_of(answers[4]) == "登录失败次数过多，请 15 分钟后再试。"
    assert verbs().count("auth.lockout") == 1

    locked = sign_in(client, "wang.wei", PASSWORD)
    assert locked.status_code == 401 and error_of(locked) == "登录失败次数过多，请 15 分钟后再试。"
    assert "_auth_user_id" not in client.session

    shift_time(timedelta(minutes=14, seconds=50))
    assert error_of(sign_in(client, "wang.wei", PASSWORD)).startswith("登录失败次数过多")

    shift_time(timedelta(minutes=15, seconds=1))
    opened = sign_in(client, "wang.wei", PASSWORD)
    assert opened.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_successful_sign_in_resets_the_failure_count(user):
    client = Client()
    for n in range(4):
        sign_in(client, "wang.wei", f"Wrong@{n}")
    assert sign_in(client, "wang.wei", PASSWORD).status_code == 302
    for n in range(4):
        assert error_of(sign_in(Client(), "wang.wei", f"Wrong@{n}")) == BAD_CREDENTIALS


def test_lock_out_is_configurable(user, settings, shift_time):
    settings.SHOUYE_LOGIN_MAX_FAILURES = 3
    settings.SHOUYE_LOGIN_LOCKOUT_MINUTES = 2
    client = Client()
    answers = [error_of(sign_in(client, "wang.wei", f"Wrong@{n}")) for n in range(3)]
    assert answers == [BAD_CREDENTIALS, BAD_CREDENTIALS, "登录失败次数过多，请 2 分钟后再试。"]
    assert sign_in(client, "wang.wei", PASSWORD).status_code == 401
    shift_time(timedelta(minutes=1, seconds=55))
    assert sign_in(client, "wang.wei", PASSWORD).status_code == 401

    shift_time(timedelta(minutes=2, seconds=1))
    assert sign_in(client, "wang.wei", PASSWORD).status_code == 302


def test_an_expired_lock_lets_the_user_in(user, shift_time):
    client = Client()
    for n in range(5):
        sign_in(client, "wang.wei", f"Wrong@{n}")
    shift_time(timedelta(minutes=15, seconds=1))
    assert sign_in(client, "wang.wei", PASSWORD).status_code == 302


def test_unknown_names_are_locked_out_too_and_the_answers_match(user):
    ghost = [sign_in(Client(), "ghost", f"Wrong@{n}") for n in range(6)]
    real = [sign_in(Client(), "wang.wei", f"Wrong@{n}") for n in range(6)]
    assert [(a.status_code, error_of(a)) for a in ghost] == [(a.status_code, error_of(a)) for a in real]
    assert error_of(ghost[5]).startswith("登录失败次数过多")
    lockouts = AuditEvent.objects.filter(verb="auth.lockout").order_by("id")
    assert [e.actor_name for e in lockouts] == ["ghost", "wang.wei"]


def test_lock_out_ignores_the_case_of_the_name(user):
    for n in range(5):
        sign_in(Client(), "WANG.WEI" if n % 2 else "wang.wei", f"Wrong@{n}")
    assert error_of(sign_in(Client(), "wang.wei", PASSWORD)).startswith("登录失败次数过多")


def test_the_token_endpoint_shares_the_lock_out(user, api):
    for n in range(5):
        sign_in(Client(), "wang.wei", f"Wrong@{n}")
    response = api.post("/api/v1/auth/token/", {"username": "wang.wei", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "登录失败次数过多，请 15 分钟后再试。"


def test_messages_follow_the_language(user):
    response = Client(headers={"accept-language": "en"}).post(
        LOGIN_URL, {"username": "wang.wei", "password": "Wrong@2026"})
    assert error_of(response) == "The user name or password is incorrect."


# --- sign-out and idle timeout ----------------------------------------------------------------------


def test_signing_out_is_audited_and_ends_the_session(user):
    client = Client()
    sign_in(client, "wang.wei", PASSWORD)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN_URL
    assert client.get("/")["Location"].startswith(LOGIN_URL)
    event = AuditEvent.objects.get(verb="auth.logout")
    assert event.actor == user


def test_logout_refuses_get(user):
    client = Client()
    sign_in(client, "wang.wei", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200


def _idle_for(client, minutes: float):
    session = client.session
    session[SESSION_KEY] = int(time.time() - minutes * 60)
    session.save()


def test_an_idle_session_is_signed_out_and_sent_to_the_sign_in_page(user):
    client = Client()
    sign_in(client, "wang.wei", PASSWORD)
    assert client.get("/").status_code == 200
    _idle_for(client, 31)
    response = client.get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/enterprises/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "由于长时间无操作，您已自动退出登录。" in page.content.decode()
    event = AuditEvent.objects.filter(verb="auth.logout").get()
    assert event.actor == user and event.note == "idle timeout"


def test_activity_within_the_timeout_keeps_the_session(user):
    client = Client()
    sign_in(client, "wang.wei", PASSWORD)
    _idle_for(client, 29)
    assert client.get("/").status_code == 200
    assert time.time() - client.session[SESSION_KEY] < 60
    assert not AuditEvent.objects.filter(verb="auth.logout").exists()


def test_reading_pages_does_not_rewrite_the_session_on_every_request(user):
    """The stamp is refreshed at most once a minute (TOUCH_INTERVAL), so a page view is not a session write."""
    client = Client()
    sign_in(client, "wang.wei", PASSWORD)
    _idle_for(client, 10 / 60)
    stamp = client.session[SESSION_KEY]
    client.get("/")
    assert client.session[SESSION_KEY] == stamp
    _idle_for(client, 61 / 60)
    client.get("/")
    assert client.session[SESSION_KEY] > stamp


def test_the_idle_timeout_is_configurable(user, settings):
    settings.SHOUYE_IDLE_TIMEOUT_MINUTES = 5
    client = Client()
    sign_in(client, "wang.wei", PASSWORD)
    _idle_for(client, 4)
    assert client.get("/").status_code == 200
    _idle_for(client, 6)
    assert client.get("/")["Location"].startswith(LOGIN_URL)


def test_an_idle_api_session_gets_401_not_a_redirect(user):
    client = Client()
    sign_in(client, "wang.wei", PASSWORD)
    _idle_for(client, 31)
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert "_auth_user_id" not in client.session


def test_the_whole_story_is_in_the_audit_trail(user, shift_time):
    client = Client()
    for n in range(5):
        sign_in(client, "wang.wei", f"Wrong@{n}")
    shift_time(timedelta(minutes=15, seconds=1))
    sign_in(client, "wang.wei", PASSWORD)
    client.post("/accounts/logout/")
    assert verbs() == ["auth.login_failed"] * 5 + ["auth.lockout", "auth.login", "auth.logout"]
