"""Filters are validated the same way on every list page, export, statistics and API route (ARCHITECTURE.md
§10): an invalid value is an error the user sees, never "ignore it and show everything". A page shows the
filter bar's errors and no rows, answering 400; an export sends the user back to the list with its errors;
the API answers 400 with the field messages (django-filter's DRF backend)."""

from django.core.exceptions import ValidationError


def filtered(filterset):
    """The rows ``filterset`` selects: all of its queryset when no filter is given, none when a value is
    invalid (its form then carries the errors the filter bar shows)."""
    if not filterset.is_bound:
        return filterset.queryset
    if not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def valid_filterset(filterset_class, data, queryset, request=None):
    """``filterset_class`` bound to ``data``, or ValidationError with its field errors when a value is
    invalid (for exports and statistics, which must not fall back to the whole scope)."""
    filterset = filterset_class(data or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset


def status_for(filterset) -> int:
    """400 for a page whose filters are invalid, 200 otherwise."""
    return 400 if filterset.is_bound and filterset.errors else 200
