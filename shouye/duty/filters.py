"""One FilterSet each for the rosters and the duty log (pages, export and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import DateFilter, FilterSet, IntegerFilter

from .choices import EntryState, LogKind, RosterState, SwapState, UnitKind
from .models import LogEntry, Roster, SwapRequest


class RosterFilter(FilterSet):
    unit_kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("Unit"))
    year = IntegerFilter(label=_("Year"), min_value=2000, max_value=2100)
    month = IntegerFilter(label=_("Month"), min_value=1, max_value=12)
    state = django_filters.ChoiceFilter(choices=RosterState.choices, label=_("State"))

    class Meta:
        model = Roster
        fields = ["unit_kind", "year", "month", "state"]


class LogEntryFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=LogKind.choices, label=_("Kind"))
    state = django_filters.ChoiceFilter(choices=EntryState.choices, label=_("State"))
    shift_day = DateFilter(label=_("Shift"))

    class Meta:
        model = LogEntry
        fields = ["kind", "state", "shift_day"]


class SwapFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=SwapState.choices, label=_("State"))

    class Meta:
        model = SwapRequest
        fields = ["state"]
