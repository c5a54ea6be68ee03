"""One FilterSet for the enterprise list page, the API and the export (ARCHITECTURE.md §7)."""

from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet

from .choices import OperatingStatus
from .models import Enterprise
from .selectors import offered_limits, reference_codes


class CodeField(forms.CharField):
    """A reference code; an unknown one is a field error (the API answers 400 naming the filter)."""

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        #: Answers {code: pk} for a kind; the filter set points it at the reference data it has read.
        self.known_ids = lambda kind: {code: pk for pk, code, _label in reference_codes()[kind]}
        super().__init__(**kwargs)

    def clean(self, value):
        """The code's primary key, so the list filters on the indexed foreign key without a join."""
        value = super().clean(value)
        if not value:
            return None
        pk = self.known_ids(self.kind).get(value)
        if pk is None:
            raise ValidationError(_("Unknown code: %(value)s."), code="unknown_code", params={"value": value})
        return pk


class CodeFilter(django_filters.CharFilter):
    field_class = CodeField


class EnterpriseFilter(FilterSet):
    """Filters take codes (township code, industry code, grade letter, tag code) and filter on the foreign
    key. Codes resolve against ``reference``, the four reference tables read in one query that the list
    page's filter bar uses too, so any number of filters costs at most that one query."""

    q = django_filters.CharFilter(method="search", label=_("Name or credit code"))
    township = CodeFilter(kind="township", field_name="township_id", label=_("Township"))
    industry = CodeFilter(kind="industry", field_name="industry_id", label=_("Industry"))
    grade = CodeFilter(kind="grade", field_name="supervision_grade_id", label=_("Supervision grade"))
    tag = CodeFilter(kind="tag", method="with_tag", label=_("Tag"))
    status = django_filters.ChoiceFilter(choices=OperatingStatus.choices, label=_("Operating status"))

    class Meta:
        model = Enterprise
        fields = ["q", "township", "industry", "grade", "tag", "status"]

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if isinstance(field, CodeField):
                field.known_ids = self.ids
        return form

    @cached_property
    def reference(self) -> dict[str, list[tuple[int, str, str]]]:
        """Read when a code is given or the filter bar is drawn: an unfiltered API list never reads it."""
        return reference_codes()

    def ids(self, kind: str) -> dict[str, int]:
        """The codes a filter accepts: the reference data's, within what the filter bar offers the user
        (:func:`offered_limits`), so a township outside a township officer's scope is refused like an unknown
        code, as the hazard and inspection filters refuse it, instead of answering an empty list."""
        user = getattr(self.request, "user", None)
        limit = offered_limits(user).get(kind) if user is not None else None
        return {code: pk for pk, code, _label in self.reference[kind] if limit is None or pk in limit}

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18 and value.isalnum():
            return queryset.filter(credit_code=value.upper())
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__istartswith=value))

    def with_tag(self, queryset, name, value):
        return queryset.filter(tags__id=value) if value else queryset
