"""One FilterSet for the hazard ledger page, the API and the Excel export (ARCHITECTURE.md §7).

Township and industry filter on the values stamped on the hazard when it was reported, so each filter is
one indexed condition on the hazard table and the ledger never joins to filter."""

from datetime import date, datetime, time, timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import DateFilter, FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_industries, offered_townships

from .choices import HazardLevel, HazardSource, HazardState, TipOffState
from .models import OPEN_STATES, Hazard, TipOff


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the bureau's time zone (Asia/Shanghai), as an aware datetime, so
    a date range on ``found_at`` stays a range on the indexed column."""
    return timezone.make_aware(datetime.combine(day, time.min))


def overdue_q(today: date) -> Q:
    """Past the deadline and not yet rectified (the same rule as ``HazardQuerySet.overdue``)."""
    return Q(state__in=OPEN_STATES, deadline__lt=today)


class HazardFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    industry = django_filters.ModelChoiceFilter(field_name="industry", to_field_name="code", label=_("Industry"),
                                                queryset=offered_industries)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    level = django_filters.ChoiceFilter(choices=HazardLevel.choices, label=_("Level"))
    state = django_filters.ChoiceFilter(choices=HazardState.choices, label=_("State"))
    source = django_filters.ChoiceFilter(choices=HazardSource.choices, label=_("Source"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    found_from = DateFilter(method="filter_found_from", label=_("Found from"))
    found_to = DateFilter(method="filter_found_to", label=_("Found until"))

    class Meta:
        model = Hazard
        fields = ["township", "industry", "enterprise", "level", "state", "source", "overdue", "found_from",
                  "found_to"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_found_from(self, queryset, name, value):
        return queryset.filter(found_at__gte=day_start(value))

    def filter_found_to(self, queryset, name, value):
        return queryset.filter(found_at__lt=day_start(value + timedelta(days=1)))


class TipOffFilter(FilterSet):
    """The tip-off list's one filter, for the page and the API: a state that is not one of the tip-off's is
    an error, never the whole list."""

    state = django_filters.ChoiceFilter(choices=TipOffState.choices, label=_("State"))

    class Meta:
        model = TipOff
        fields = ["state"]
