"""One FilterSet each for the gateway, point and camera lists, their pages and the API (issue 13)."""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet, IntegerFilter
from shouye.enterprises.selectors import offered_townships

from .choices import Condition, PointKind
from .models import Camera, Gateway, MonitoringPoint


def _containing(*fields):
    """The search box: rows any of whose ``fields`` contains the text."""
    def search(queryset, name, value):
        return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": value}) for field in fields)))
    return search


class GatewayFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    is_active = django_filters.BooleanFilter(label=_("In service"))
    q = django_filters.CharFilter(method=_containing("code", "name"), max_length=64, label=_("Code or name"))

    class Meta:
        model = Gateway
        fields = ["township", "enterprise", "is_active", "q"]


class PointFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    installation = IntegerFilter(field_name="installation_id", label=_("Installation"))
    gateway = IntegerFilter(field_name="gateway_id", label=_("Gateway"))
    kind = django_filters.ChoiceFilter(choices=PointKind.choices, label=_("Kind"))
    condition = django_filters.ChoiceFilter(field_name="status__condition", choices=Condition.choices,
                                            label=_("Condition"))
    offline = django_filters.BooleanFilter(field_name="status__is_offline", label=_("Offline"))
    is_active = django_filters.BooleanFilter(label=_("In service"))
    q = django_filters.CharFilter(method=_containing("code", "name"), max_length=64, label=_("Code or name"))

    class Meta:
        model = MonitoringPoint
        fields = ["township", "enterprise", "installation", "gateway", "kind", "condition", "offline", "is_active",
                  "q"]


class CameraFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    vendor = django_filters.CharFilter(field_name="vendor__code", max_length=40, label=_("Vendor"))
    is_active = django_filters.BooleanFilter(label=_("In service"))
    q = django_filters.CharFilter(method=_containing("name", "vendor_device_id"), max_length=64,
                                  label=_("Name or device id"))

    class Meta:
        model = Camera
        fields = ["township", "enterprise", "vendor", "is_active", "q"]
