"""The video intake's fast path: issue 13 asks for 1,000 alarms a second with p99 ≤ 100 ms under gunicorn, on a
box that also runs PostgreSQL, the inbox processor and the rest of the platform.

Through Django's whole request handling a post cost 0.87 ms of CPU in one process (bench/README.md): about a
third of it the middleware stack, another third the vendor adapter's serializer. This WSGI wrapper around the
application (``config/wsgi.py``) answers ``POST /api/v1/alarms/intake/<vendor>/`` itself, with the view's own
functions: the bounded body (``auth.read_body``), the signature and replay window
(``auth.verify_signed_request``), the JSON (``views.parse_body``), the event read by plain code
(``adapters.read_event_plainly``), the inbox (``services.accept_event``) and the answer (``views.answer``). Of
the middleware it runs only what shapes that answer, in the order of ``MIDDLEWARE`` (:data:`ANSWER_MIDDLEWARE`:
the security headers and HTTPS redirect, the Content-Security-Policy, the host check and Content-Length,
X-Frame-Options); the rest keeps sessions, users, messages, languages, static files, htmx and the client
address of audit events, none of which this answer has or writes. Like Django's handler it sends
``request_started`` before and ``request_finished`` when the server closes the answer, so database connections
are closed or kept (``CONN_MAX_AGE``) as for any request.

What it guarantees: an event it takes is answered as the view answers it — 202 accepted or 200 duplicate, the
same JSON and the same headers, less those of content negotiation (DRF's ``Allow``, ``Vary``, the locale's
``Content-Language``: nothing caches an answer to a POST, and this one has no translated text). Anything else — every refusal (401, 403, 400, 413), a redirect, a host not
allowed, an event the plain reading leaves to the serializer, a type code no scenario maps (``accept_event``
counts those, so the count happens once, in Django), a database error — is handed on, body and all, to the
Django application, which answers it in the API's shape; the fast path has written and counted nothing then
(``accept_event`` refuses before its one INSERT, and a statement that failed committed nothing)."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.core import signals
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError
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


class IntakeFastPath:
    """WSGI application: the intake's posts answered here when they are taken, everything else by ``application``."""

    def __init__(self, application):
        self.application = application
        handler = self._intake
        for path in reversed(settings.MIDDLEWARE):
            if path in ANSWER_MIDDLEWARE:
                handler = import_string(path)(handler)
        self.handler = handler

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or ROUTE_MARK not in environ.get("PATH_INFO", ""):
            return self.application(environ, start_response)
        try:
            match = resolve(environ["PATH_INFO"])
        except Resolver404:
            return self.application(environ, start_response)
        if match.url_name != ROUTE_NAME:
            return self.application(environ, start_response)
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        try:
            request.intake_vendor = match.kwargs["vendor"]
            # Over the limit by its declared length: refused unread. Otherwise read whole (Django reads no
            # further than CONTENT_LENGTH), and kept for Django should it have to answer.
            request.intake_body = auth.read_body(request)
            environ["wsgi.input"] = BytesIO(request.intake_body)
            response = self.handler(request)
        except (_HandOn, APIException, SuspiciousOperation, DatabaseError):
            return self.application(environ, start_response)
        if response.status_code not in (200, 202):  # the middleware's HTTPS redirect
            return self.application(environ, start_response)
        response._handler_class = self.__class__  # its close() sends request_finished, as Django's handler does
        response._resource_closers.append(request.close)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response

    @staticmethod
    def _intake(request):
        """The view's work (``views.AlarmIntakeView.post``) for an event that passes, or :class:`_HandOn`."""
        body = request.intake_body
        try:
            vendor = auth.verify_signed_request(request.intake_vendor, request.headers, body)
            event = adapters.read_event_plainly(vendor.protocol, views.parse_body(body))
        except APIException:
            raise _HandOn from None
        if event is None or event.type_code not in vendor.scenarios:
            raise _HandOn
        try:
            receipt = services.accept_event(vendor=vendor, event=event)
        except ValidationError:
            raise _HandOn from None
        return views.answer(receipt)
