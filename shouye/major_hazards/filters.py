"""One FilterSet for the installation list page, its Excel export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_industries, offered_townships

from .choices import InstallationKind, InstallationState
from .models import MajorHazardInstallation

GRADE_CHOICES = [(1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")]


class InstallationFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    industry = django_filters.ModelChoiceFilter(field_name="industry", to_field_name="code", label=_("Industry"),
                                                queryset=offered_industries)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    grade = django_filters.TypedChoiceFilter(choices=GRADE_CHOICES, coerce=int, label=_("Grade"))
    kind = django_filters.ChoiceFilter(choices=InstallationKind.choices, label=_("Kind of unit"))
    state = django_filters.ChoiceFilter(choices=InstallationState.choices, label=_("State"))
    is_major = django_filters.BooleanFilter(label=_("Major hazard installation"))

    class Meta:
        model = MajorHazardInstallation
        fields = ["township", "industry", "enterprise", "grade", "kind", "state", "is_major"]
