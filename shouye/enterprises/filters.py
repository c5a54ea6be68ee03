"""One FilterSet for the enterprise list page, the API and the export (ARCHITECTURE.md §7)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from .choices import OperatingStatus
from .models import Enterprise, Industry, SupervisionGrade, Tag


class CodeField(forms.CharField):
    """A reference code; an unknown one is a field error (the API answers 400 naming the filter)."""

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def clean(self, value):
        """The code's primary key, so the list filters on the indexed foreign key without a join."""
        value = super().clean(value)
        if not value:
            return None
        pk = self.queryset.filter(code=value).values_list("pk", flat=True).first()
        if pk is None:
            raise ValidationError(_("Unknown code: %(value)s."), code="unknown_code", params={"value": value})
        return pk


class CodeFilter(django_filters.CharFilter):
    field_class = CodeField


class EnterpriseFilter(django_filters.FilterSet):
    """Filters take codes (township code, industry code, grade letter, tag code); each given code is looked
    up once (one small query, which also rejects an unknown code) and the list filters on the foreign key."""

    q = django_filters.CharFilter(method="search", label=_("Name or credit code"))
    township = CodeFilter(field_name="township_id", label=_("Township"),
                          queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP))
    industry = CodeFilter(field_name="industry_id", label=_("Industry"), queryset=Industry.objects.all())
    grade = CodeFilter(field_name="supervision_grade_id", label=_("Supervision grade"),
                       queryset=SupervisionGrade.objects.all())
    tag = CodeFilter(method="with_tag", label=_("Tag"), queryset=Tag.objects.all())
    status = django_filters.ChoiceFilter(choices=OperatingStatus.choices, label=_("Operating status"))

    class Meta:
        model = Enterprise
        fields = ["q", "township", "industry", "grade", "tag", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18 and value.isalnum():
            return queryset.filter(credit_code=value.upper())
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__istartswith=value))

    def with_tag(self, queryset, name, value):
        return queryset.filter(tags__id=value) if value else queryset
