"""The video intake's fast path (``shouye.monitoring.intake.fastpath``, issue 13's rate), called as the servers
call it: the WSGI application of ``config/wsgi.py`` with a WSGI environ, as gunicorn's gthread workers do, and
the ASGI application of ``config/asgi.py`` with a scope and body messages, as uvicorn's worker does (Django's
test clients go through neither). An event it takes is answered as the view answers it; every refusal is handed to Django, which answers
it, and the fast path wrote and counted nothing before; its plain reading of events reads them as the
serializers do."""

from __future__ import annotations

import asyncio
import io
import json
import sys
import threading
import time
import types
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core import signals
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.db import DEFAULT_DB_ALIAS, OperationalError, close_old_connections, connections
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from config import asgi, wsgi
from shouye.monitoring.choices import VendorProtocol
from shouye.monitoring.intake import adapters, auth, services
from shouye.monitoring.intake.fastpath import IntakeFastPath, IntakeFastPathASGI
from shouye.monitoring.models import Scenario, UnmappedTypeCode, VideoInbox

from . import kit
from . import kit_video as kv
from .test_intake import nothing_written

pytestmark = pytest.mark.django_db

#: Headers of Django's answer that describe content negotiation (DRF's Allow and Vary: Accept, the locale's
#: Content-Language and Vary: Accept-Language, Vary: Cookie of the session): an answer to a POST is not cached,
#: and the fast path's answer carries no translated text, so it leaves them out.
NEGOTIATION_HEADERS = {"Allow", "Vary", "Content-Language"}


@pytest.fixture(autouse=True)
def announce(monkeypatch):
    monkeypatch.setitem(sys.modules, "shouye.monitoring.tasks",
                        types.SimpleNamespace(announce_alarms=mock.Mock()))
    auth.forget()
    yield
    auth.forget()


@pytest.fixture
def scene(cast):
    vendor = kit.vendor()
    return vendor, kit.camera(vendor, cast["inside"])


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    #: Whether Django's application answered (the fast path handed the request on).
    handed_on: bool
    #: Rows in the inbox and unmapped codes counted when the request was handed on.
    written_before: tuple[int, int] | None

    def json(self):
        return json.loads(self.body)


def _signed(vendor, payload, raw, at, secret):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    timestamp = str(int(time.time() if at is None else at))
    return body, timestamp, auth.signature(secret or vendor.secret, timestamp, body)


def wsgi_post(vendor, payload, *, raw: bytes | None = None, at: float | None = None, secret: str | None = None,
              host: str = "testserver", fresh: bool = False, method: str = "POST", path: str | None = None) -> Answer:
    """A vendor's signed post through ``config.wsgi.application`` (or, ``fresh``, one made under the changed
    settings). Database connections are left open around it, as Django's test client leaves them (the test's
    transaction holds the connection)."""
    body, timestamp, signature = _signed(vendor, payload, raw, at, secret)
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path or reverse("alarm-intake", args=[vendor.code]),
               "SCRIPT_NAME": "", "QUERY_STRING": "", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": host,
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
               "HTTP_X_SHOUYE_KEY": vendor.key_id, "HTTP_X_SHOUYE_TIMESTAMP": timestamp,
               "HTTP_X_SHOUYE_SIGNATURE": signature,
               "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
               "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False}
    application = IntakeFastPath(get_wsgi_application()) if fresh else wsgi.application
    handed = []
    django = application.application

    def django_answers(environ, start_response):
        handed.append((VideoInbox.objects.count(), UnmappedTypeCode.objects.count()))
        return django(environ, start_response)

    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=dict(headers))

    with requests_keep_the_connection(), mock.patch.object(application, "application", django_answers):
        answer = application(environ, start_response)
        try:
            body = b"".join(answer)
        finally:
            answer.close()
    return Answer(started["status"], started["headers"], body, bool(handed), handed[0] if handed else None)


def asgi_post(vendor, payload, *, raw: bytes | None = None, at: float | None = None, secret: str | None = None,
              host: str = "testserver", fresh: bool = False, method: str = "POST", path: str | None = None,
              pieces: int = 2, declared: bool = True, gone_after: int | None = None) -> Answer:
    """The same post through ``config.asgi.application``, as uvicorn calls it: the body in ``pieces`` messages
    (its length not ``declared``: sent chunked; the client ``gone_after`` that many of them).
    Synchronous code runs in this thread (asgiref, as under Django's async test client), in the test's
    transaction."""
    body, scope = asgi_scope(vendor, payload, raw=raw, at=at, secret=secret, host=host, method=method, path=path,
                             declared=declared)
    size = -(-len(body) // pieces) or 1
    messages = [{"type": "http.request", "body": body[start:start + size], "more_body": start + size < len(body)}
                for start in range(0, max(len(body), 1), size)]
    if gone_after is not None:
        messages[gone_after:] = [{"type": "http.disconnect"}]
    application = IntakeFastPathASGI(get_asgi_application()) if fresh else asgi.application
    handed, sent = [], []
    django = application.application

    async def django_answers(scope, receive, send):
        handed.append(await sync_to_async(lambda: (VideoInbox.objects.count(), UnmappedTypeCode.objects.count()),
                                          thread_sensitive=True)())
        return await django(scope, receive, send)

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays connected: Django's handler listens for it going away

    async def send(message):
        sent.append(message)

    with requests_keep_the_connection(), mock.patch.object(application, "application", django_answers):
        in_a_thread_of_its_own(application, scope, receive, send)
    if not sent:
        return Answer(0, {}, b"", bool(handed), handed[0] if handed else None)
    start = sent[0]
    answer_headers = {name.decode().title(): value.decode("latin1") for name, value in start["headers"]}
    answer_body = b"".join(message.get("body", b"") for message in sent[1:])
    return Answer(start["status"], answer_headers, answer_body, bool(handed), handed[0] if handed else None)


def asgi_scope(vendor, payload, *, raw=None, at=None, secret=None, host="testserver", method="POST", path=None,
               declared=True) -> tuple[bytes, dict]:
    """A signed post's body and its ASGI scope, as uvicorn makes it."""
    body, timestamp, signature = _signed(vendor, payload, raw, at, secret)
    path = path or reverse("alarm-intake", args=[vendor.code])
    headers = [(b"host", host.encode()), (b"content-type", b"application/json"),
               (b"x-shouye-key", vendor.key_id.encode()), (b"x-shouye-timestamp", timestamp.encode()),
               (b"x-shouye-signature", signature.encode())]
    if declared:
        headers.append((b"content-length", str(len(body)).encode()))
    return body, {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                  "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
                  "headers": headers, "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}


def in_a_thread_of_its_own(function, *args):
    """``async_to_sync(function)(*args)`` from a thread of its own that shares the test's database connection
    (its synchronous parts run there, in the test's transaction): where the browser tests ran first, the test's
    own thread has Playwright's event loop running, and asgiref starts no loop in such a thread."""
    connection, outcome = connections[DEFAULT_DB_ALIAS], {}

    def run():
        connections[DEFAULT_DB_ALIAS] = connection
        connection.inc_thread_sharing()
        try:
            outcome["value"] = async_to_sync(function)(*args)
        except BaseException as exc:  # raised in the test's thread below
            outcome["error"] = exc
        finally:
            connection.dec_thread_sharing()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@contextmanager
def requests_keep_the_connection():
    """The request signals without closing the connection the test's transaction holds."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["wsgi", "asgi"])
def fast_post(request):
    """A signed post through the fast path of each server: gthread's WSGI and uvicorn's ASGI."""
    return wsgi_post if request.param == "wsgi" else asgi_post


def same_headers(fast: Answer, django) -> None:
    theirs = {name: value for name, value in django.headers.items() if name not in NEGOTIATION_HEADERS}
    assert fast.headers == theirs
    assert int(fast.headers["Content-Length"]) == len(fast.body)


def test_an_accepted_event_is_answered_as_the_view_answers_it(scene, fast_post):
    vendor, _ = scene
    fast = fast_post(vendor, kv.event(severity="5"))
    assert not fast.handed_on
    assert fast.status == 202
    row = VideoInbox.objects.get()
    assert fast.json() == {"event": row.pk, "received_as": "accepted", "alarm": None, "repeat_count": None}
    django = kv.post(vendor, kv.event(severity="5"))
    assert django.status_code == 202 and django.json()["event"] == row.pk + 1
    same_headers(fast, django)
    assert (row.level, row.camera_id, row.description) == ("red", scene[1].pk, "加油区有人吸烟")


def test_a_replay_is_answered_as_the_view_answers_it_before_and_after_the_alarm(scene, fast_post):
    vendor, _ = scene
    payload = kv.event()
    assert fast_post(vendor, payload).status == 202
    for _made in (False, True):
        fast, django = fast_post(vendor, payload), kv.post(vendor, payload)
        assert not fast.handed_on
        assert (fast.status, django.status_code) == (200, 200)
        assert fast.json() == django.json()
        same_headers(fast, django)
        kv.drain()
    assert fast.json()["alarm"] is not None and fast.json()["repeat_count"] == 1
    assert VideoInbox.objects.count() == 1


def test_a_gb28181_event_takes_the_fast_path(cast, fast_post):
    vendor = kit.vendor(code="gbplat", protocol=VendorProtocol.GB28181)
    kit.camera(vendor, cast["inside"], device_id="37011300001320000001")
    vendor.mappings.create(vendor_code="5/6", scenario=Scenario.objects.get(code="intrusion"))
    body = {"deviceId": "37011300001320000001", "SN": 17, "AlarmMethod": 5, "AlarmType": 6, "AlarmPriority": 2,
            "AlarmTime": "2026-12-06T10:15:00", "AlarmDescription": "周界入侵", "Longitude": 117.0123}
    fast = fast_post(vendor, body)
    assert (fast.status, fast.handed_on) == (202, False)
    row = VideoInbox.objects.get()
    assert row.event_id == "37011300001320000001/17/20261206T101500"


def test_the_request_signals_are_sent_as_by_django(scene, fast_post):
    vendor, _ = scene
    started, finished = mock.Mock(), mock.Mock()
    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        assert fast_post(vendor, kv.event()).status == 202
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert (started.call_count, finished.call_count) == (1, 1)


def _stale(post, vendor):
    return post(vendor, kv.event(), at=time.time() - 301)


def _switched_off(post, vendor):
    vendor.is_active = False
    vendor.save()
    auth.forget()
    return post(vendor, kv.event())


def _too_large(post, vendor, settings):
    settings.SHOUYE_VIDEO_INTAKE_MAX_BYTES = 1000
    return post(vendor, kv.event(description="x" * 2000))


REFUSALS = {
    "bad signature": (401, lambda post, vendor, settings: post(vendor, kv.event(), secret="not-the-secret")),
    "stale timestamp": (401, lambda post, vendor, settings: _stale(post, vendor)),
    "switched-off vendor": (403, lambda post, vendor, settings: _switched_off(post, vendor)),
    "unknown camera": (400, lambda post, vendor, settings: post(vendor, kv.event(device_id="cam-404"))),
    "future time": (400, lambda post, vendor, settings: post(
        vendor, kv.event(occurred_at=(timezone.now() + timedelta(minutes=6)).isoformat()))),
    "bad snapshot": (400, lambda post, vendor, settings: post(vendor, kv.event(snapshot="aGVsbG8gd29ybGQ="))),
    "snapshot not base64": (400, lambda post, vendor, settings: post(vendor, kv.event(snapshot="not base64!"))),
    "malformed fields": (400, lambda post, vendor, settings: post(
        vendor, kv.event(occurred_at="yesterday", clip_url="javascript:alert(1)", latitude=95))),
    "too large": (413, _too_large),
    "bad JSON": (400, lambda post, vendor, settings: post(vendor, None, raw=b"{not json")),
    "too deep": (400, lambda post, vendor, settings: post(vendor, None, raw=b"[" * 100 + b"]" * 100)),
    "not an object": (400, lambda post, vendor, settings: post(vendor, None, raw=b"[1, 2]")),
    "host not allowed": (400, lambda post, vendor, settings: post(vendor, kv.event(), host="evil.example")),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_every_refusal_is_handed_to_django_with_nothing_written(scene, settings, case, fast_post):
    vendor, _ = scene
    status, post = REFUSALS[case]
    answer = post(fast_post, vendor, settings)
    assert answer.handed_on and answer.written_before == (0, 0)
    assert answer.status == status, answer.body
    if case != "host not allowed":
        assert answer.headers["Content-Type"] == "application/json" and answer.json()
    assert nothing_written()


def test_a_refusal_is_answered_in_djangos_words(scene, fast_post):
    vendor, _ = scene
    answer = fast_post(vendor, kv.event(device_id="cam-404"))
    django = kv.post(vendor, kv.event(device_id="cam-404"))
    assert (answer.status, answer.json()) == (django.status_code, django.json())
    assert "cam-404" in answer.json()["device_id"][0]


def test_an_unmapped_code_is_counted_once_by_django(scene, fast_post):
    vendor, _ = scene
    answer = fast_post(vendor, kv.event(type_code="dog_unleashed"))
    assert answer.handed_on and answer.written_before == (0, 0)
    assert answer.status == 400 and "dog_unleashed" in answer.json()["type"][0]
    assert UnmappedTypeCode.objects.get(vendor=vendor, vendor_code="dog_unleashed").count == 1
    assert nothing_written()


def test_a_database_error_is_left_to_django(scene, fast_post):
    """The inbox's transaction failed after its INSERT: nothing is in, and Django's request, on a connection
    checked afresh, answers."""
    vendor, _ = scene
    received = services._received
    calls = []

    def fails_once(keys):
        calls.append(keys)
        if len(calls) == 1:
            raise OperationalError("the server closed the connection unexpectedly")
        return received(keys)

    with mock.patch.object(services, "_received", fails_once):
        answer = fast_post(vendor, kv.event())
    assert answer.handed_on and answer.written_before == (0, 0)
    assert answer.status == 202 and len(calls) == 2
    assert VideoInbox.objects.count() == 1


def test_posts_arriving_together_are_settled_together_one_202_an_event(scene):
    """The ASGI fast path answers the posts waiting beside each other in one group: an event and its replay in
    the same group are one row, one 202 and one 200; a refusal among them goes to Django alone."""
    vendor, _ = scene
    first, second = kv.event(), kv.event()
    bodies = [first, first, second, {**kv.event(), "device_id": "cam-404"}]
    application = asgi.application
    groups = []
    settle = application.answer.settle

    def counted(answers):
        groups.append(len(answers))
        return settle(answers)

    async def together():
        return await asyncio.gather(*(asgi_call(vendor, body) for body in bodies))

    with requests_keep_the_connection(), mock.patch.object(application.answer, "settle", counted):
        answers = in_a_thread_of_its_own(together)
    assert groups == [4]
    assert [status for status, _body in answers] == [202, 200, 202, 400]
    assert answers[0][1]["event"] == answers[1][1]["event"] != answers[2][1]["event"]
    assert VideoInbox.objects.count() == 2


async def asgi_call(vendor, payload) -> tuple[int, dict]:
    body, scope = asgi_scope(vendor, payload)
    messages, sent = [{"type": "http.request", "body": body, "more_body": False}], []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    await asgi.application(scope, receive, send)
    return sent[0]["status"], json.loads(b"".join(m.get("body", b"") for m in sent[1:]))


def test_an_unexpected_failure_fails_the_groups_posts_and_the_next_post_is_answered(scene):
    vendor, _ = scene
    application = asgi.application
    with (requests_keep_the_connection(),
          mock.patch.object(application.answer, "settle", side_effect=RuntimeError("a bug")),
          pytest.raises(RuntimeError, match="a bug")):
        in_a_thread_of_its_own(asgi_call, vendor, kv.event())
    assert not VideoInbox.objects.exists()
    assert asgi_post(vendor, kv.event()).status == 202


def test_a_post_cancelled_while_waiting_leaves_its_group_answered(scene):
    """A request the server cancels while its post waits (the client went away) is skipped when the group is
    answered; its event was entered with the others, so the vendor's retry is answered 200."""
    vendor, _ = scene
    gone, kept = kv.event(), kv.event()

    async def together():
        first = asyncio.ensure_future(asgi_call(vendor, gone))
        second = asyncio.ensure_future(asgi_call(vendor, kept))
        while len(asgi.application._waiting) < 2:
            await asyncio.sleep(0)
        first.cancel()
        return await asyncio.wait_for(asyncio.gather(first, second, return_exceptions=True), timeout=30)

    with requests_keep_the_connection():
        cancelled, answered = in_a_thread_of_its_own(together)
    assert isinstance(cancelled, asyncio.CancelledError)
    assert answered[0] == 202
    assert asgi_post(vendor, gone).status == 200
    assert VideoInbox.objects.count() == 2


def test_events_entered_together_are_accepted_once_each(scene):
    vendor, camera = scene
    credentials = auth.vendor_by_code(vendor.code)
    known = kv.event()
    services.accept_event(vendor=credentials, event=adapters.read_event("json", known))
    new = kv.event()
    checked = [services.check_event(vendor=credentials, event=adapters.read_event("json", body))
               for body in (new, known, new)]
    receipts = services.enter_events(checked)
    assert [receipt.received_as for receipt in receipts] == ["accepted", "duplicate", "duplicate"]
    assert receipts[0].event == receipts[2].event != receipts[1].event
    assert VideoInbox.objects.count() == 2


def test_an_https_redirect_is_left_to_django(scene, settings, fast_post):
    vendor, _ = scene
    settings.SECURE_SSL_REDIRECT = True
    answer = fast_post(vendor, kv.event(), fresh=True)
    assert answer.handed_on and answer.status == 301
    assert nothing_written()


def test_other_requests_go_straight_to_django(scene, fast_post):
    vendor, _ = scene
    assert fast_post(vendor, kv.event(), method="PUT").handed_on
    assert fast_post(vendor, kv.event(), path="/api/v1/alarms/intake/").handed_on
    assert fast_post(vendor, kv.event(), path="/x/alarms/intake/acme/").handed_on
    assert not VideoInbox.objects.exists()


def test_a_body_sent_in_pieces_is_read_whole_by_the_asgi_fast_path(scene):
    vendor, _ = scene
    answer = asgi_post(vendor, kv.event(), pieces=5, declared=False)
    assert (answer.status, answer.handed_on) == (202, False)
    assert VideoInbox.objects.count() == 1


def test_a_body_over_the_limit_sent_without_its_length_is_refused_by_django(scene, settings):
    vendor, _ = scene
    settings.SHOUYE_VIDEO_INTAKE_MAX_BYTES = 1000
    answer = asgi_post(vendor, kv.event(description="x" * 2000), pieces=4, declared=False)
    assert answer.handed_on and answer.written_before == (0, 0)
    assert answer.status == 413
    assert nothing_written()


def test_a_client_gone_mid_body_gets_no_answer_and_nothing_is_written(scene):
    vendor, _ = scene
    answer = asgi_post(vendor, kv.event(), pieces=3, gone_after=1)
    assert answer.status == 0
    assert nothing_written()


# ------------------------------------------------------------------------- the plain reading of events

NOW = "2026-12-07T10:15:00+08:00"
GENERIC = {"event_id": "ev-1", "device_id": "cam-1", "type": "smoking", "occurred_at": NOW}
GB28181 = {"deviceId": "3701", "SN": 17, "AlarmMethod": 5, "AlarmPriority": 2, "AlarmTime": "2026-12-06T10:15:00"}

READ_ALIKE = [
    (VendorProtocol.JSON, GENERIC),
    (VendorProtocol.JSON, {**GENERIC, "event_id": "  ev-1 ", "severity": 5, "description": "", "extra": [1]}),
    (VendorProtocol.JSON, {**GENERIC, "severity": "", "description": "烟" * 300, "occurred_at": "2026-12-07T02:15:00Z"}),
    (VendorProtocol.JSON, {**GENERIC, "occurred_at": "2026-12-07T10:15:00", "clip_url": "https://v.example/c.mp4"}),
    (VendorProtocol.JSON, {**GENERIC, "occurred_at": "2026-12-07 10:15:00.123456+00:00", "clip_url": "  "}),
    (VendorProtocol.JSON, {**GENERIC, "snapshot": "data:image/jpeg;base64,aGVsbG8=", "longitude": 117.012345,
                           "latitude": -36}),
    (VendorProtocol.JSON, {**GENERIC, "snapshot": "", "longitude": None, "latitude": 0.5, "severity": 4.5}),
    (VendorProtocol.JSON, {**GENERIC, "longitude": -180, "latitude": 90.0}),
    (VendorProtocol.GB28181, GB28181),
    (VendorProtocol.GB28181, {**GB28181, "AlarmType": 0, "AlarmDescription": " 周界 ", "Longitude": 117.5}),
    (VendorProtocol.GB28181, {**GB28181, "SN": 2**31 - 1, "AlarmTime": "2026-12-06T10:15:00+00:00"}),
]

REFUSED = [
    (VendorProtocol.JSON, [GENERIC]),
    (VendorProtocol.JSON, {**GENERIC, "event_id": ""}),
    (VendorProtocol.JSON, {**GENERIC, "event_id": "   "}),
    (VendorProtocol.JSON, {**GENERIC, "event_id": "e" * 101}),
    (VendorProtocol.JSON, {**GENERIC, "event_id": True}),
    (VendorProtocol.JSON, {**GENERIC, "event_id": None}),
    (VendorProtocol.JSON, {**GENERIC, "device_id": "cam\x00"}),
    (VendorProtocol.JSON, {**GENERIC, "device_id": "cam\ud800"}),
    (VendorProtocol.JSON, {key: value for key, value in GENERIC.items() if key != "type"}),
    (VendorProtocol.JSON, {**GENERIC, "severity": None}),
    (VendorProtocol.JSON, {**GENERIC, "occurred_at": "yesterday"}),
    (VendorProtocol.JSON, {**GENERIC, "occurred_at": "2026-02-30T10:00:00"}),
    (VendorProtocol.JSON, {**GENERIC, "occurred_at": 1765000000}),
    (VendorProtocol.JSON, {**GENERIC, "snapshot": "not base64!"}),
    (VendorProtocol.JSON, {**GENERIC, "clip_url": "javascript:alert(1)"}),
    (VendorProtocol.JSON, {**GENERIC, "clip_url": "ftp://v.example/c.mp4"}),
    (VendorProtocol.JSON, {**GENERIC, "clip_url": "not a link"}),
    (VendorProtocol.JSON, {**GENERIC, "longitude": 180.000001}),
    (VendorProtocol.JSON, {**GENERIC, "latitude": 95}),
    (VendorProtocol.JSON, {**GENERIC, "latitude": 1.1234567}),
    (VendorProtocol.JSON, {**GENERIC, "latitude": 1e-07}),
    (VendorProtocol.JSON, {**GENERIC, "latitude": True}),
    (VendorProtocol.GB28181, {**GB28181, "SN": -1}),
    (VendorProtocol.GB28181, {**GB28181, "SN": 2**31}),
    (VendorProtocol.GB28181, {**GB28181, "AlarmMethod": 8}),
    (VendorProtocol.GB28181, {**GB28181, "AlarmPriority": True}),
    (VendorProtocol.GB28181, {**GB28181, "AlarmType": None}),
    (VendorProtocol.GB28181, {**GB28181, "AlarmType": 1000}),
    (VendorProtocol.GB28181, {key: value for key, value in GB28181.items() if key != "SN"}),
]

#: Forms the serializers read that the plain reading leaves to them: numbers sent as strings, whole numbers as
#: floats.
LEFT = [
    (VendorProtocol.JSON, {**GENERIC, "latitude": "36.5"}),
    (VendorProtocol.GB28181, {**GB28181, "SN": "17"}),
    (VendorProtocol.GB28181, {**GB28181, "AlarmMethod": 5.0}),
]


def serializer_reads(protocol, data):
    try:
        return adapters.read_event(protocol, data)
    except ValidationError:
        return None


@pytest.mark.parametrize(("protocol", "data"), READ_ALIKE)
def test_the_plain_reading_reads_an_event_as_the_serializer(protocol, data):
    plain = adapters.read_event_plainly(protocol, data)
    assert plain is not None
    assert plain == serializer_reads(protocol, data)
    assert plain.occurred_at.tzinfo is not None


@pytest.mark.parametrize(("protocol", "data"), REFUSED)
def test_what_the_serializer_refuses_the_plain_reading_does_not_read(protocol, data):
    assert adapters.read_event_plainly(protocol, data) is None
    assert serializer_reads(protocol, data) is None


@pytest.mark.parametrize(("protocol", "data"), LEFT)
def test_the_plain_reading_leaves_other_forms_to_the_serializer(protocol, data):
    assert adapters.read_event_plainly(protocol, data) is None
    assert serializer_reads(protocol, data) is not None


def test_a_coordinate_is_read_to_six_decimals():
    event = adapters.read_event_plainly(VendorProtocol.JSON, {**GENERIC, "longitude": 117.5, "latitude": 36})
    assert (event.longitude, event.latitude) == (Decimal("117.500000"), Decimal("36.000000"))
    assert str(event.longitude) == str(serializer_reads(VendorProtocol.JSON, {**GENERIC, "longitude": 117.5}).longitude)
