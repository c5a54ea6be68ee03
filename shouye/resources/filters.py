"""One FilterSet per list for the page and the API."""

from datetime import timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_townships

from .choices import Readiness, ReserveKind, ReserveState, TeamKind, WarehouseState
from .models import Reserve, Team, Warehouse
from .selectors import RESERVE_RENEWAL_DAYS, in_force


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


class ReserveFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReserveKind.choices, label=_("Kind of reserve"))
    state = django_filters.ChoiceFilter(choices=ReserveState.choices, label=_("State"))
    ending = django_filters.BooleanFilter(method="filter_ending", label=_("In force and ending within 30 days"))

    class Meta:
        model = Reserve
        fields = ["kind", "state", "ending"]

    def filter_ending(self, queryset, name, value):
        """The reserves of the to-do (``selectors.RESERVE_RENEWAL_DAYS``), or the others."""
        today = timezone.localdate()
        ending = in_force(queryset, today).filter(ends_on__lte=today + timedelta(days=RESERVE_RENEWAL_DAYS))
        return ending if value else queryset.exclude(pk__in=ending.values("pk"))
