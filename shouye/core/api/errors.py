"""One exception handler for the API: 400 with field messages in the request's language, 403, 404 for
anything out of scope, 409 for a refused transition, 413 for a body beyond the limits. Django's refusals of
an oversized or overfull request (raised while DRF parses it) answer in the same shape, ``{"detail": …}``,
instead of Django's HTML error page."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
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
                "detail": _("This action is not allowed in the current state."),
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
    return drf_exception_handler(exc, context)


def _django_error_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field if field != "__all__" else "non_field_errors": [str(m) for e in errors for m in e]
                for field, errors in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}
