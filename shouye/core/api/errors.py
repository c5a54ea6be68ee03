"""One exception handler for the API: 400 with field messages in the request's language, 403, 404 for
anything out of scope, 409 for a refused transition."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shouye.core.exceptions import InvalidTransition


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
    return drf_exception_handler(exc, context)


def _django_error_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field if field != "__all__" else "non_field_errors": [str(m) for e in errors for m in e]
                for field, errors in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}
