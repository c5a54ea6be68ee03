"""One FilterSet for the incident list page and the API, one for the incident tasks' list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import DateFilter, FilterSet
from shouye.enterprises.selectors import offered_townships

from .choices import ACTIVE_STATES, Grade, IncidentKind, IncidentState, TaskState
from .models import Incident, IncidentTask, own_units_q


class IncidentFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices, label=_("Kind"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("Grade"))
    state = django_filters.ChoiceFilter(choices=IncidentState.choices, label=_("State"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("Active"))
    occurred_from = DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("Occurred from"))
    occurred_to = DateFilter(field_name="occurred_at", lookup_expr="date__lte", label=_("Occurred until"))

    class Meta:
        model = Incident
        fields = ["township", "kind", "grade", "state", "active", "occurred_from", "occurred_to"]

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=ACTIVE_STATES) if value else queryset.exclude(state__in=ACTIVE_STATES)


class TaskFilter(FilterSet):
    """The incident tasks' list (page and API): by state, and those given to the user's own unit."""

    state = django_filters.ChoiceFilter(choices=TaskState.choices, label=_("State"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Given to my unit"))

    class Meta:
        model = IncidentTask
        fields = ["state", "mine"]

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        own = own_units_q(self.request.user)
        return queryset.filter(own) if value else queryset.exclude(own)
