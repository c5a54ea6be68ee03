"""One FilterSet per list for the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_townships

from .choices import Readiness, TeamKind, WarehouseState
from .models import Team, Warehouse


class TeamFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices, label=_("Kind of team"))
    readiness = django_filters.ChoiceFilter(choices=Readiness.choices, label=_("Readiness"))

    class Meta:
        model = Team
        fields = ["township", "enterprise", "kind", "readiness"]


class WarehouseFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    state = django_filters.ChoiceFilter(choices=WarehouseState.choices, label=_("State"))

    class Meta:
        model = Warehouse
        fields = ["township", "enterprise", "state"]
