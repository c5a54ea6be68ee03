"""One FilterSet for the alarm list page, its Excel export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import DateFilter, FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_townships

from .choices import AlarmKind, AlarmLevel, AlarmSource, AlarmState
from .models import Alarm


class AlarmFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=AlarmState.choices, label=_("State"))
    level = django_filters.ChoiceFilter(choices=AlarmLevel.choices, label=_("Level"))
    source = django_filters.ChoiceFilter(choices=AlarmSource.choices, label=_("Source"))
    kind = django_filters.ChoiceFilter(choices=AlarmKind.choices, label=_("Kind"))
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    raised_from = DateFilter(field_name="raised_at", lookup_expr="date__gte", label=_("Raised from"))
    raised_to = DateFilter(field_name="raised_at", lookup_expr="date__lte", label=_("Raised until"))

    class Meta:
        model = Alarm
        fields = ["state", "level", "source", "kind", "enterprise", "township", "raised_from", "raised_to"]
