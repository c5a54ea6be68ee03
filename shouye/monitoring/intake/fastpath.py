"""The video intake's fast path: issue 13 asks for 1,000 alarms a second with p99 ≤ 100 ms under gunicorn, on a
box that also runs PostgreSQL, the inbox processor and the rest of the platform.

Through Django's whole request handling a post cost 0.87 ms of CPU in one process (bench/README.md): about a
third of it the middleware stack, another third the vendor adapter's serializer. A wrapper around the
application — WSGI (``config/wsgi.py``, :class:`IntakeFastPath`) or ASGI (``config/asgi.py``,
:class:`IntakeFastPathASGI`, which the README deploys for the intake: gunicorn's threads cost more CPU a post
than the rest of the answer) — answers ``POST /api/v1/alarms/intake/<vendor>/`` itself, with the view's own
functions: the bounded body (``auth.read_body``), the signature and replay window
(``auth.verify_signed_request``), the JSON (``views.parse_body``), the event read by plain code
(``adapters.read_event_plainly``), the checks and the inbox (``services.check_event``, ``enter_events``) and
the answer (``views.answer``). Of
the middleware it runs only what shapes that answer, in the order of ``MIDDLEWARE`` (:data:`ANSWER_MIDDLEWARE`:
the security headers and HTTPS redirect, the Content-Security-Policy, the host check and Content-Length,
X-Frame-Options); the rest keeps sessions, users, messages, languages, static files, htmx and the client
address of audit events, none of which this answer has or writes. Like Django's handler it sends
``request_started`` before and ``request_finished`` when the server closes the answer, so database connections
are closed or kept (``CONN_MAX_AGE``) as for any request.

What it guarantees: an event it takes is answered as the view answers it — 202 accepted or 200 duplicate, the
same JSON and the same headers, less those of content negotiation (DRF's ``Allow``, ``Vary``, the locale's
``Content-Language``: nothing caches an answer to a POST, and this one has no translated text). Anything
else — every refusal (401, 403, 400, 413), a redirect, a host not allowed, an event the plain reading leaves
to the serializer, a type code no scenario maps (``check_event`` counts those, so the count happens once, in
Django), a database error — is handed on, body and all, to the
Django application, which answers it in the API's shape; the fast path has written and counted nothing then
(``check_event`` writes nothing, and ``enter_events``' transaction that failed committed nothing)."""

from __future__ import annotations

import asyncio
from io import BytesIO

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string
from rest_framework.exceptions import APIException

from . import adapters, auth, services, views

#: The middleware of ``MIDDLEWARE`` that shapes the intake's answer, run around the fast path.
ANSWER_MIDDLEWARE = frozenset({
    "django.middleware.security.SecurityMiddleware",
    "shouye.core.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
})
#: What the path must contain to be looked at: any other request goes straight to Django.
ROUTE_MARK = "/alarms/intake/"
ROUTE_NAME = "alarm-intake"


class _HandOn(Exception):
    """The Django application must answer this request."""


def intake_vendor(method: str | None, path: str) -> str | None:
    """The vendor code of a post to the intake's route, or None: any other request goes straight to Django."""
    if method != "POST" or ROUTE_MARK not in path:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.kwargs["vendor"] if match.url_name == ROUTE_NAME else None


class PendingAnswer(JsonResponse):
    """The answer to an event that passed every check, through the answer's middleware (their headers), before
    the event is in the inbox: :meth:`IntakeAnswer.settle` enters it and writes the receipt in."""

    def __init__(self, checked: services.Checked):
        super().__init__({}, status=202)
        self.checked = checked

    def settle(self, receipt: services.Receipt) -> None:
        final = views.answer(receipt)
        self.status_code, self.content = final.status_code, final.content
        self["Content-Length"] = str(len(self.content))


class IntakeAnswer:
    """The intake's answers, the same for the WSGI and the ASGI fast path: a post whose body has been read goes
    through the answer's middleware to a :class:`PendingAnswer` (or None: Django must answer it); then the
    pending answers of one or more posts are settled together."""

    def __init__(self):
        handler = self._intake
        for path in reversed(settings.MIDDLEWARE):
            if path in ANSWER_MIDDLEWARE:
                handler = import_string(path)(handler)
        self.handler = handler

    def pending(self, request, vendor: str, body: bytes) -> PendingAnswer | None:
        request.intake_vendor, request.intake_body = vendor, body
        try:
            response = self.handler(request)
        except (_HandOn, APIException, SuspiciousOperation, DatabaseError):
            return None
        # Anything else came from the middleware: its HTTPS redirect.
        return response if isinstance(response, PendingAnswer) else None

    @staticmethod
    def settle(answers: list[PendingAnswer | None]) -> None:
        """The events of the answers in the inbox, in one transaction, and each answer's receipt written in;
        DatabaseError when that failed: none is in, and Django must answer them all."""
        taken = [answer for answer in answers if answer is not None]
        if taken:
            for answer, receipt in zip(taken, services.enter_events([a.checked for a in taken]), strict=True):
                answer.settle(receipt)

    @staticmethod
    def _intake(request):
        """The view's checks (``views.AlarmIntakeView.post``) for an event that passes, or :class:`_HandOn`."""
        body = request.intake_body
        try:
            vendor = auth.verify_signed_request(request.intake_vendor, request.headers, body)
            event = adapters.read_event_plainly(vendor.protocol, views.parse_body(body))
        except APIException:
            raise _HandOn from None
        if event is None or event.type_code not in vendor.scenarios:
            raise _HandOn
        try:
            return PendingAnswer(services.check_event(vendor=vendor, event=event))
        except ValidationError:
            raise _HandOn from None


class IntakeFastPath:
    """WSGI application: the intake's posts answered here when they are taken, everything else by ``application``."""

    def __init__(self, application):
        self.application = application
        self.answer = IntakeAnswer()

    def __call__(self, environ, start_response):
        vendor = intake_vendor(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", ""))
        if vendor is None:
            return self.application(environ, start_response)
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        try:
            # Over the limit by its declared length: refused unread. Otherwise read whole (Django reads no
            # further than CONTENT_LENGTH), and kept for Django should it have to answer.
            body = auth.read_body(request)
        except APIException:
            return self.application(environ, start_response)
        environ["wsgi.input"] = BytesIO(body)
        response = self.answer.pending(request, vendor, body)
        if response is None:
            return self.application(environ, start_response)
        try:
            self.answer.settle([response])
        except DatabaseError:
            return self.application(environ, start_response)
        response._handler_class = self.__class__  # its close() sends request_finished, as Django's handler does
        response._resource_closers.append(request.close)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response


class IntakeFastPathASGI:
    """ASGI application (``config/asgi.py``, served by uvicorn's worker under gunicorn: README, "The intake's own
    server"): the same answers as :class:`IntakeFastPath`, everything else by Django's ASGI ``application``.

    The body is read here, up to the limit. The answers are worked out in the thread where Django runs this
    process's synchronous code (``sync_to_async(thread_sensitive=True)``, as Django's ASGI handler runs a
    synchronous view), between one pair of request signals for **the posts that arrived meanwhile, settled
    together** (at most :data:`GROUP` of them; :meth:`IntakeAnswer.settle`: one INSERT, one commit): the round
    trips to PostgreSQL and its flush of the log to disk at each commit are most of a post's time, and one
    process answers its posts one after another, so a statement and a commit a post would hold it to a few
    hundred posts a second (bench/README.md). Nothing is answered before its group committed; when that
    failed, Django answers each of the group's posts afresh. A post handed on is given to Django with the body
    it had sent so far, then the rest as it comes."""

    #: Posts answered in one transaction at most.
    GROUP = 100

    def __init__(self, application):
        self.application = application
        self.answer = IntakeAnswer()
        self._answer_in_thread = sync_to_async(self._answer_group, thread_sensitive=True)
        self._waiting: list = []
        self._answering = False
        self._answerer: asyncio.Future | None = None

    async def __call__(self, scope, receive, send):
        vendor = intake_vendor(scope.get("method"), scope.get("path", "")) if scope["type"] == "http" else None
        if vendor is None:
            return await self.application(scope, receive, send)
        limit = settings.SHOUYE_VIDEO_INTAKE_MAX_BYTES
        messages, body, complete = [], b"", False
        if _declared_length(scope) <= limit:
            while len(body) <= limit:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request":  # the client went away: Django's handler sees it too
                    break
                body += message.get("body", b"")
                if not message.get("more_body", False):
                    complete = True
                    break
        answer = await self._answered(scope, body, vendor) if complete and len(body) <= limit else None
        if answer is None:
            return await self.application(scope, _replaying(messages, receive), send)
        status, headers, content = answer
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def _answered(self, scope, body: bytes, vendor: str):
        """This post's answer, or None: Django answers it. Answered with the posts waiting beside it."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((scope, body, vendor, future))
        if not self._answering:
            self._answering = True
            # Kept: the event loop holds its tasks only weakly.
            self._answerer = asyncio.ensure_future(self._answer_the_waiting())
        return await future

    async def _answer_the_waiting(self):
        try:
            while self._waiting:
                group, self._waiting = self._waiting[:self.GROUP], self._waiting[self.GROUP:]
                try:
                    answers = await self._answer_in_thread([post[:3] for post in group])
                except Exception as exc:  # each post's request fails with it (500): none is left waiting
                    answers = [exc] * len(group)
                for (*_post, future), answer in zip(group, answers, strict=True):
                    if future.done():  # its request was cancelled meanwhile
                        continue
                    if isinstance(answer, Exception):
                        future.set_exception(answer)
                    else:
                        future.set_result(answer)
        finally:
            self._answering = False

    def _answer_group(self, posts: list) -> list:
        signals.request_started.send(sender=self.__class__, scope=posts[0][0])
        try:
            answers = [self.answer.pending(ASGIRequest(scope, BytesIO(body)), vendor, body)
                       for scope, body, vendor in posts]
            try:
                self.answer.settle(answers)
            except DatabaseError:
                return [None] * len(posts)
            return [None if answer is None else
                    (answer.status_code,
                     [(name.encode("ascii"), value.encode("latin1")) for name, value in answer.items()],
                     answer.content)
                    for answer in answers]
        finally:
            signals.request_finished.send(sender=self.__class__)


def _declared_length(scope) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


def _replaying(messages: list, receive):
    """``receive`` for Django: the messages already read, then the client's."""
    pending = list(messages)

    async def replay():
        return pending.pop(0) if pending else await receive()

    return replay
