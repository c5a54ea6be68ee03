"""Sign-in security to 等保 2.0 level 3 expectations: lock-out after repeated failures, one answer for an
unknown user and a wrong password, and every sign-in, sign-out, failure and lock-out in the audit trail.

Two lock-outs, for the sign-in page and the token endpoint alike: a user name after
SHOUYE_LOGIN_MAX_FAILURES failures in a row, and a client address after SHOUYE_LOGIN_ADDRESS_MAX_FAILURES
failures over any names within SHOUYE_LOGIN_ADDRESS_WINDOW_MINUTES, since trying one common password against
many names never fails twice for one name. Both count in the shared cache (:mod:`shouye.core.ratelimit`), so
they hold across every worker, and the address is the one :func:`~shouye.core.request_context.client_ip`
gives (a client cannot choose it)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core import ratelimit
from shouye.core.request_context import client_ip

from .models import User

#: Failures of one name in a row are forgotten a day after the first of them (the count needs an end in the
#: cache); until then SHOUYE_LOGIN_MAX_FAILURES of them lock the name, however slowly they come.
NAME_FAILURES_KEPT = 24 * 3600


class LoginRefused(Exception):
    """Sign-in refused; ``str(exc)`` is the message to show, identical for every kind of wrong credential."""


class AddressLocked(LoginRefused):
    """Sign-in refused because too many sign-ins failed from the client's address; the API answers 429 with
    ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def bad_credentials_message() -> str:
    return _("The user name or password is incorrect.")


def locked_message() -> str:
    return _("Too many failed attempts. Try again in %(minutes)d minutes.") % {
        "minutes": settings.SHOUYE_LOGIN_LOCKOUT_MINUTES
    }


def address_locked(seconds: int) -> AddressLocked:
    message = _("Too many failed sign-ins from your network address. Try again in %(minutes)d minutes.") % {
        "minutes": math.ceil(seconds / 60)}
    return AddressLocked(message, seconds)


def sign_in(*, request, username: str, password: str) -> User:
    """Check the credentials with lock-out. Returns the user; raises LoginRefused otherwise.

    The lock applies to the user name whether or not such a user exists, so the answers never tell an
    attacker which names are real. A locked address is refused before the password is looked at. The
    failure is recorded before the refusal is raised (outside the transaction), so the refusal itself does
    not roll the record back."""
    username = (username or "").strip()
    with transaction.atomic():
        user, refusal = _check_credentials(request, username, password, client_ip(request) or "unknown")
    if refusal:
        raise refusal
    return user


def _check_credentials(request, username: str, password: str, address: str) -> tuple[User | None, LoginRefused | None]:
    name = ("login-name", username.lower())
    source = ("login-address", address)
    actor_name = username[:150]
    address_wait = ratelimit.locked_for(source)
    if address_wait:
        audit.record(actor=None, actor_name=actor_name, verb="auth.login_refused_address_locked")
        return None, address_locked(address_wait)
    if ratelimit.locked_for(name):
        audit.record(actor=None, actor_name=actor_name, verb="auth.login_refused_locked")
        return None, LoginRefused(locked_message())
    user = authenticate(request, username=username, password=password) if username else None
    if user is not None:
        ratelimit.forget_failures(name, window=NAME_FAILURES_KEPT)
        audit.record(actor=user, verb="auth.login", target=user)
        return user, None

    existing = User.objects.filter(username__iexact=username).first() if username else None
    failures = ratelimit.count_failure(name, window=NAME_FAILURES_KEPT)
    audit.record(actor=None, actor_name=actor_name, verb="auth.login_failed", target=existing,
                 note=f"failure {failures}")
    refusal = LoginRefused(bad_credentials_message())
    if failures >= settings.SHOUYE_LOGIN_MAX_FAILURES:
        until = ratelimit.lock(name, seconds=settings.SHOUYE_LOGIN_LOCKOUT_MINUTES * 60)
        ratelimit.forget_failures(name, window=NAME_FAILURES_KEPT)
        audit.record(actor=None, actor_name=actor_name, verb="auth.lockout", target=existing,
                     note=f"locked until {_moment(until)}")
        refusal = LoginRefused(locked_message())

    window = settings.SHOUYE_LOGIN_ADDRESS_WINDOW_MINUTES * 60
    if ratelimit.count_failure(source, window=window) >= settings.SHOUYE_LOGIN_ADDRESS_MAX_FAILURES:
        seconds = settings.SHOUYE_LOGIN_ADDRESS_LOCKOUT_MINUTES * 60
        until = ratelimit.lock(source, seconds=seconds)
        ratelimit.forget_failures(source, window=window)
        audit.record(actor=None, actor_name=actor_name, verb="auth.address_lockout", target=existing,
                     note=f"address {address} locked until {_moment(until)}")
        refusal = address_locked(seconds)
    return None, refusal


def _moment(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat()


def record_sign_out(*, user, reason: str = "") -> None:
    with transaction.atomic():
        audit.record(actor=user, verb="auth.logout", target=user, note=reason)
