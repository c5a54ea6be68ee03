"""One FilterSet per list, used by the page and the API alike (ARCHITECTURE.md §7)."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shouye.accounts.choices import OrganisationKind
from shouye.accounts.models import Organisation
from shouye.core.filters import DateFilter, FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_industries, offered_townships

from .choices import InspectionKind, InspectionState
from .models import Inspection, InspectionPlan


class InspectionFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Enterprise or subject"))
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    industry = django_filters.ModelChoiceFilter(field_name="industry", to_field_name="code", label=_("Industry"),
                                                queryset=offered_industries)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices, label=_("Kind"))
    state = django_filters.ChoiceFilter(choices=InspectionState.choices, label=_("State"))
    date_from = DateFilter(field_name="inspected_at", lookup_expr="date__gte", label=_("From"))
    date_to = DateFilter(field_name="inspected_at", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = Inspection
        fields = ["q", "township", "industry", "enterprise", "kind", "state", "date_from", "date_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(subject__icontains=value))


class InspectionPlanFilter(FilterSet):
    q = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("Enterprise"))
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    squad = django_filters.ModelChoiceFilter(field_name="squad", label=_("Enforcement squad"),
                                             queryset=Organisation.objects.filter(kind=OrganisationKind.SQUAD))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = InspectionPlan
        fields = ["q", "township", "squad", "overdue"]

    def filter_overdue(self, queryset, name, value):
        """Needs the ``done`` and ``expected`` annotations of selectors.plan_rows."""
        if value is None:
            return queryset
        return queryset.filter(done__lt=F("expected")) if value else queryset.filter(done__gte=F("expected"))
