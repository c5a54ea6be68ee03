"""One FilterSet each for the plans and the drills (page, API)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_townships

from .choices import DrillKind, DrillState, PlanKind, PlanState, PlanTopic, UnitKind
from .models import Drill, EmergencyPlan
from .selectors import covering, overdue_plan_q


class PlanFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="unit__township", to_field_name="code",
                                                label=_("Township"), queryset=offered_townships)
    unit = IntegerFilter(field_name="unit_id", label=_("Unit"))
    unit_kind = django_filters.ChoiceFilter(field_name="unit__kind", choices=UnitKind.choices,
                                            label=_("Kind of unit"))
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label=_("Kind of plan"))
    topic = django_filters.ChoiceFilter(choices=PlanTopic.choices, method="filter_topic", label=_("Topic"))
    state = django_filters.ChoiceFilter(choices=PlanState.choices, label=_("State"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = EmergencyPlan
        fields = ["township", "unit", "unit_kind", "kind", "topic", "state", "overdue"]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(covering([value])) if value else queryset

    def filter_overdue(self, queryset, name, value):
        condition = overdue_plan_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class DrillFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="unit__township", to_field_name="code",
                                                label=_("Township"), queryset=offered_townships)
    unit = IntegerFilter(field_name="unit_id", label=_("Unit"))
    kind = django_filters.ChoiceFilter(choices=DrillKind.choices, label=_("Kind of drill"))
    state = django_filters.ChoiceFilter(choices=DrillState.choices, label=_("State"))

    class Meta:
        model = Drill
        fields = ["township", "unit", "kind", "state"]
