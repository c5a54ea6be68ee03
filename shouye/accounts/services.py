"""Sign-in security to 等保 2.0 level 3 expectations: lock-out after repeated failures, one answer for an
unknown user and a wrong password, and every sign-in, sign-out, failure and lock-out in the audit trail."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit

from .models import LoginThrottle, User


class LoginRefused(Exception):
    """Sign-in refused; ``str(exc)`` is the message to show, identical for every kind of wrong credential."""


def bad_credentials_message() -> str:
    return _("The user name or password is incorrect.")


def locked_message() -> str:
    return _("Too many failed attempts. Try again in %(minutes)d minutes.") % {
        "minutes": settings.SHOUYE_LOGIN_LOCKOUT_MINUTES
    }


def sign_in(*, request, username: str, password: str) -> User:
    """Check the credentials with lock-out. Returns the user; raises LoginRefused otherwise.

    The lock applies to the user name whether or not such a user exists, so the answers never tell an
    attacker which names are real. The failure is recorded before the refusal is raised (outside the
    transaction), so the refusal itself does not roll the record back."""
    username = (username or "").strip()
    with transaction.atomic():
        user, refusal = _check_credentials(request, username, password)
    if refusal:
        raise LoginRefused(refusal)
    return user


def _check_credentials(request, username: str, password: str) -> tuple[User | None, str]:
    now = timezone.now()
    throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(username=username.lower())
    if throttle.locked_until and throttle.locked_until > now:
        audit.record(actor=None, actor_name=username[:150], verb="auth.login_refused_locked")
        return None, locked_message()
    user = authenticate(request, username=username, password=password) if username else None
    if user is not None:
        throttle.failures = 0
        throttle.locked_until = None
        throttle.save(update_fields=["failures", "locked_until"])
        audit.record(actor=user, verb="auth.login", target=user)
        return user, ""
    throttle.failures += 1
    throttle.last_failure_at = now
    existing = User.objects.filter(username__iexact=username).first() if username else None
    audit.record(actor=None, actor_name=username[:150], verb="auth.login_failed", target=existing,
                 note=f"failure {throttle.failures}")
    refusal = bad_credentials_message()
    if throttle.failures >= settings.SHOUYE_LOGIN_MAX_FAILURES:
        throttle.locked_until = now + timedelta(minutes=settings.SHOUYE_LOGIN_LOCKOUT_MINUTES)
        throttle.failures = 0
        audit.record(actor=None, actor_name=username[:150], verb="auth.lockout", target=existing,
                     note=f"locked until {throttle.locked_until.isoformat()}")
        refusal = locked_message()
    throttle.save(update_fields=["failures", "locked_until", "last_failure_at"])
    return None, refusal


def record_sign_out(*, user, reason: str = "") -> None:
    with transaction.atomic():
        audit.record(actor=user, verb="auth.logout", target=user, note=reason)
