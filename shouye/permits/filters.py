"""One FilterSet for the permit list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import DateFilter, FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_industries, offered_townships

from .choices import PermitKind, PermitSource, PermitState
from .models import SpecialOperationPermit


class PermitFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    industry = django_filters.ModelChoiceFilter(field_name="industry", to_field_name="code", label=_("Industry"),
                                                queryset=offered_industries)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    kind = django_filters.ChoiceFilter(choices=PermitKind.choices, label=_("Kind"))
    state = django_filters.ChoiceFilter(choices=PermitState.choices, label=_("State"))
    source = django_filters.ChoiceFilter(choices=PermitSource.choices, label=_("Issued in"))
    grade = django_filters.CharFilter(max_length=8, label=_("Grade of the work"))
    number = django_filters.CharFilter(lookup_expr="icontains", max_length=40, label=_("Permit number"))
    with_problems = django_filters.BooleanFilter(field_name="problem_count", lookup_expr="gt", method="has_problems",
                                                 label=_("With problems"))
    applied_from = DateFilter(field_name="applied_at", lookup_expr="date__gte", label=_("Applied from"))
    applied_to = DateFilter(field_name="applied_at", lookup_expr="date__lte", label=_("Applied until"))

    class Meta:
        model = SpecialOperationPermit
        fields = ["township", "industry", "enterprise", "kind", "state", "source", "grade", "number",
                  "with_problems", "applied_from", "applied_to"]

    def has_problems(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(problem_count__gt=0) if value else queryset.filter(problem_count=0)
