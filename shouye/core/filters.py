"""Filters are validated the same way on every list page, export, statistics and API route (ARCHITECTURE.md
§10): an invalid value is an error the user sees, never "ignore it and show everything". A page shows the
filter bar's errors and no rows, answering 400; an export sends the user back to the list with its errors;
the API answers 400 with the field messages (django-filter's DRF backend).

Every filter set of the project derives from :class:`FilterSet`, which refuses, when the class is made, a
filter whose value the database could not compare with: a number filter on an integer column that takes a
number beyond the database's integer range (``?enterprise=99999999999999999999`` was a 500 on SQLite), or a
filter of several values without a maximum, or a date filter without a range (issue 9, items 3 and 5).
Use :class:`IntegerFilter`, :class:`DateFilter` and :class:`ModelMultipleChoiceFilter`; the filters generated from ``Meta.fields`` already are."""

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS, remote_queryset
from django_filters.utils import get_model_field

from shouye.core import forms as core_forms
from shouye.core.bounds import DB_INTEGER_MAX, DB_INTEGER_MIN


class IntegerFilter(django_filters.NumberFilter):
    """A whole number within the database's integer range (an id, a count): a larger one is a field error,
    not an ``OverflowError`` in the driver."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", DB_INTEGER_MIN)
        kwargs.setdefault("max_value", DB_INTEGER_MAX)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        """The field's own ``max_value`` bounds it (django-filter's default is 1e50)."""
        return None


#: The dates a filter takes: any day a record of the platform can carry, with room on both sides. Beyond it
#: the start or end of a day in the bureau's time zone is not a datetime the database stores
#: (``?found_to=9999-12-31`` was a 500).
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2999, 12, 31)


class _DateField(forms.DateField):
    def validate(self, value):
        super().validate(value)
        if value is not None and not FIRST_DATE <= value <= LAST_DATE:
            raise ValidationError(_("Give a date between %(first)s and %(last)s.")
                                  % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
                                  code="out_of_range")


class DateFilter(django_filters.DateFilter):
    """A day between :data:`FIRST_DATE` and :data:`LAST_DATE`; another is a field error."""

    field_class = _DateField


class _ModelMultipleChoiceField(filter_fields.ModelMultipleChoiceField, core_forms.ModelMultipleChoiceField):
    """django-filter's field (its null choice) over the bounded one."""


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several rows (``?tag=a&tag=b``): at most ``max_items`` values, checked in one query."""

    field_class = _ModelMultipleChoiceField


_INTEGER_COLUMNS = (models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField,
                    models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
                    models.PositiveBigIntegerField, models.PositiveSmallIntegerField)
_MANY = {"filter_class": ModelMultipleChoiceFilter, "extra": lambda f: {"queryset": remote_queryset(f)}}


def _refusal(filterset, filter_) -> str:
    """Why ``filter_`` may not be in a filter set of the project ('' when it may)."""
    if isinstance(filter_, ModelMultipleChoiceFilter | IntegerFilter | DateFilter):
        return ""
    if isinstance(filter_, django_filters.DateFilter):
        return "takes any date; use shouye.core.filters.DateFilter (a day the database can store)"
    if isinstance(filter_, django_filters.MultipleChoiceFilter | django_filters.filters.BaseCSVFilter |
                  django_filters.RangeFilter | django_filters.NumericRangeFilter):
        return ("takes several values without a maximum; use shouye.core.filters.ModelMultipleChoiceFilter or "
                "add a bounded kind there")
    if isinstance(filter_, django_filters.NumberFilter):
        model = filterset._meta.model
        column = get_model_field(model, filter_.field_name) if model and filter_.field_name else None
        if not isinstance(column, models.DecimalField | models.FloatField):
            return "takes any number; use shouye.core.filters.IntegerFilter (the database's integer range)"
    return ""


class FilterSet(django_filters.FilterSet):
    """The base of every filter set of the project."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        **{column: {"filter_class": IntegerFilter} for column in _INTEGER_COLUMNS},
        models.DateField: {"filter_class": DateFilter},
        models.ManyToManyField: _MANY,
        models.ManyToOneRel: _MANY,
        models.ManyToManyRel: _MANY,
    }

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        refused = [f"{cls.__name__}.{name} {reason}" for name, filter_ in filters.items()
                   if (reason := _refusal(cls, filter_))]
        if refused:
            raise ImproperlyConfigured("; ".join(refused))
        return filters


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
