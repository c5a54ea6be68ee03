"""One exception handler for the API, and with it the one error shape every refusal has (documented on every
operation by ``shouye.core.api.schema``):

- 400: the messages by field, in the request's language (``{"deadline": ["该字段是必填项。"]}``), nested as
  the input is; messages about no one field under ``non_field_errors``; an unreadable body as ``{"detail"}``;
- 401, 403, 404, 413, 429: ``{"detail": "…"}`` saying why — Django's refusals of an oversized or
  overfull request (raised while DRF parses it) too, instead of Django's HTML error page;
- 409 (a refused transition): ``{"detail", "state", "action", "allowed_actions"}``.

Services raise Django's ValidationError and PermissionDenied (``shouye.core.exceptions``); they answer here
as DRF's do."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from django.views.defaults import permission_denied as django_permission_denied
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from shouye.core.exceptions import InvalidTransition


class PayloadTooLarge(exceptions.APIException):
    """413: the body (files apart) is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self, limit: int | None = None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE if limit is None else limit
        super().__init__(_("The request body is larger than %(limit)s. Send less at once.")
                         % {"limit": filesizeformat(limit)})


def exception_handler(exc, context):
    if isinstance(exc, InvalidTransition):
        return Response(
            {
                "detail": exc.message or _("This action is not allowed in the current state."),
                "state": exc.state,
                "action": exc.action,
                "allowed_actions": exc.allowed,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, TooManyFieldsSent):
        exc = exceptions.ParseError(_("The request has more than %(max)d fields.")
                                    % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})
    elif isinstance(exc, TooManyFilesSent):
        exc = exceptions.ParseError(_("The request has more than %(max)d files.")
                                    % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FILES})
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, dict):
        # ``raise ValidationError("…")`` outside a serializer: a list, which is no field's.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    return drf_exception_handler(exc, context)


def _django_error_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field if field != "__all__" else api_settings.NON_FIELD_ERRORS_KEY:
                [str(m) for e in errors for m in e] for field, errors in exc.error_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}


def not_found(request, exception):
    """The 404 of a URL that matches no route (``handler404``): under ``/api/`` in the error shape, as JSON
    (an id that is not a number, ``/api/v1/hazards/1.5/``); elsewhere the site's own page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    return page_not_found(request, exception)


def permission_denied(request, exception):
    """The 403 of a page view that raised PermissionDenied (``handler403``): under ``/api/`` in the error shape,
    elsewhere ``403.html`` in the site's layout, saying why when the refusal says it."""
    if request.path.startswith("/api/"):
        detail = str(exception) or str(exceptions.PermissionDenied.default_detail)
        return JsonResponse({"detail": detail}, status=status.HTTP_403_FORBIDDEN)
    return django_permission_denied(request, exception)


#: The last resort when even ``500.html`` cannot be drawn (a static file missing from the manifest, a broken
#: template): still Chinese first, still a way home, no traceback.
BARE_SERVER_ERROR = ('<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">'
                     '<meta name="viewport" content="width=device-width, initial-scale=1"><title>500</title></head>'
                     '<body><h1>服务器出错了 · Server error</h1><p><a href="/">返回首页 · Home</a></p></body></html>')


def server_error(request):
    """The 500 of an uncaught exception (``handler500``). Drawn without the request's context processors, so
    it makes no database query (the database may be what failed): under ``/api/`` the error shape, elsewhere
    ``500.html`` in the site's layout with only the bureau's name, or :data:`BARE_SERVER_ERROR` when that page
    fails too."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("A server error occurred. It has been logged; try again later.")},
                            status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    try:
        body = loader.get_template("500.html").render({"BUREAU_NAME": settings.SHOUYE_BUREAU_NAME})
    except Exception:
        logging.getLogger(__name__).exception("The 500 page could not be drawn")
        body = BARE_SERVER_ERROR
    return HttpResponseServerError(body)
