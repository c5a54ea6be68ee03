"""One FilterSet for the enterprise list page, the API and the export (ARCHITECTURE.md §7)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from .choices import OperatingStatus
from .models import Enterprise, Industry, SupervisionGrade, Tag


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or credit code"))
    township = django_filters.ModelChoiceFilter(
        field_name="township", to_field_name="code", label=_("Township"),
        queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"),
    )
    industry = django_filters.ModelChoiceFilter(field_name="industry", to_field_name="code", label=_("Industry"),
                                                queryset=Industry.objects.all())
    grade = django_filters.ModelChoiceFilter(field_name="supervision_grade", to_field_name="code",
                                             label=_("Supervision grade"), queryset=SupervisionGrade.objects.all())
    tag = django_filters.ModelChoiceFilter(field_name="tags", to_field_name="code", label=_("Tag"),
                                           queryset=Tag.objects.all())
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
