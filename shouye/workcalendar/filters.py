"""The special periods' filter, shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import DateFilter, FilterSet

from .models import SpecialPeriod


class SpecialPeriodFilter(FilterSet):
    in_force_on = DateFilter(label=_("In force on"), method="filter_in_force_on")
    ends_from = DateFilter(field_name="ends_on", lookup_expr="gte", label=_("Not over before"))
    include_cancelled = django_filters.BooleanFilter(label=_("Include cancelled"), method="filter_cancelled")

    class Meta:
        model = SpecialPeriod
        fields = ["kind"]

    def filter_in_force_on(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value) if value else queryset

    def filter_cancelled(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_cancelled"):
            queryset = queryset.filter(Q(cancelled_at__isnull=True))
        return queryset
