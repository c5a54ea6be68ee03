"""Where a request comes from (issue 9, item 6): the connection's peer, unless that peer is one of our own
proxies (SHOUYE_TRUSTED_PROXIES), and then the right-most address of X-Forwarded-For that is not one of ours.
A client writes whatever it likes into that header; only what our proxies appended is believed."""

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from shouye.audit.models import AuditEvent
from shouye.core.request_context import client_ip

pytestmark = pytest.mark.django_db

READS_ADDRESS = re.compile(r"REMOTE_ADDR|X_FORWARDED_FOR|x-forwarded-for|get_ident\(", re.IGNORECASE)


def address_of(remote: str, forwarded: str | None = None) -> str | None:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def failed_sign_in_from(remote: str, forwarded: str) -> str:
    """The address the audit trail records for a failed sign-in sent with this peer and header."""
    Client().post("/accounts/login/", {"username": "nobody", "password": "Wrong@2026"},
                  REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return AuditEvent.objects.filter(verb="auth.login_failed").latest("id").ip_address


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.SHOUYE_TRUSTED_PROXIES = []
    assert failed_sign_in_from("203.0.113.5", "198.51.100.1") == "203.0.113.5"
    assert address_of("203.0.113.5", "198.51.100.1, 10.0.0.1") == "203.0.113.5"


def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(settings):
    settings.SHOUYE_TRUSTED_PROXIES = ["10.0.0.2"]
    assert failed_sign_in_from("10.0.0.2", "192.0.2.66, 198.51.100.7") == "198.51.100.7"


def test_a_peer_that_is_not_our_proxy_cannot_forward(settings):
    settings.SHOUYE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert failed_sign_in_from("203.0.113.5", "198.51.100.7") == "203.0.113.5"


@pytest.mark.parametrize(("remote", "forwarded", "client"), [
    # the client's own entries left of what nginx appended are not believed
    ("10.0.0.2", "1.1.1.1, 2.2.2.2, 198.51.100.7", "198.51.100.7"),
    # two proxies of ours: skip both
    ("10.0.0.3", "1.1.1.1, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
    # a request from the proxy machine itself, no header
    ("10.0.0.2", None, "10.0.0.2"),
    ("10.0.0.2", "", "10.0.0.2"),
    # every hop is ours: the left-most is the best we know
    ("10.0.0.3", "10.0.0.9, 10.0.0.2", "10.0.0.9"),
    # garbage written left of our proxies ends the walk at the last address a proxy of ours wrote
    ("10.0.0.3", "198.51.100.7, not-an-address, 10.0.0.2", "10.0.0.2"),
    ("10.0.0.2", "unknown", "10.0.0.2"),
    # IPv6 networks and spaces around entries
    ("fd00::1", " 2001:db8::7 ,fd00::2", "2001:db8::7"),
    ("2001:db8::9", "198.51.100.7", "2001:db8::9"),
])
def test_the_right_most_address_that_is_not_ours(settings, remote, forwarded, client):
    settings.SHOUYE_TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    assert address_of(remote, forwarded) == client


def test_a_mistyped_proxy_trusts_nothing_more(settings):
    settings.SHOUYE_TRUSTED_PROXIES = ["10.0.0.2", "ngnix"]
    assert address_of("10.0.0.2", "198.51.100.7") == "198.51.100.7"
    assert address_of("10.0.0.5", "198.51.100.7") == "10.0.0.5"


def test_a_peer_without_an_address_has_none():
    assert address_of("") is None


def test_no_other_module_reads_the_address_itself():
    """Throttles, lock-outs, audit events, sign-in records and tip-offs take the address from client_ip; a
    module reading REMOTE_ADDR or X-Forwarded-For on its own (or a DRF throttle's get_ident, which reads the
    header as sent) would bring back the forged address. The API's throttle base overrides get_ident."""
    shouye = Path(__file__).resolve().parents[2] / "shouye"
    readers = {str(path.relative_to(shouye)) for path in shouye.rglob("*.py")
               if READS_ADDRESS.search(path.read_text(encoding="utf-8"))}
    assert readers == {"core/request_context.py", "core/api/throttling.py"}
