"""One FilterSet each for the work-area list and the personnel ledger: pages, API and the ledger's export."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet, IntegerFilter

from .choices import CertificateFlag
from .models import WorkArea, Worker, WorkerCertificate, flag_q
from .selectors import attention_q, over_capacity_q


class WorkAreaFilter(FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    high_risk = django_filters.BooleanFilter(label=_("High-risk work area"))
    over_capacity = django_filters.BooleanFilter(method="filter_over_capacity", label=_("Over capacity"))

    class Meta:
        model = WorkArea
        fields = ["q", "enterprise", "high_risk", "over_capacity"]

    def filter_over_capacity(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(over_capacity_q()) if value else queryset.exclude(over_capacity_q())


#: The ledger's certificate filter: any flag but "valid" (what needs attention), or one flag.
ATTENTION = "attention"
FLAG_CHOICES = [(ATTENTION, _("Needs attention")), *[(value, label) for value, label in CertificateFlag.choices
                                                    if value != CertificateFlag.VALID]]


class WorkerFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or post"))
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    work_area = IntegerFilter(field_name="work_areas", label=_("Work area"), distinct=True)
    certificate = django_filters.ChoiceFilter(choices=FLAG_CHOICES, method="filter_certificate",
                                              label=_("Certificates"))

    class Meta:
        model = Worker
        fields = ["q", "enterprise", "work_area", "certificate"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) | queryset.filter(post__icontains=value) if value else queryset

    def filter_certificate(self, queryset, name, value):
        today = timezone.localdate()
        if value == ATTENTION:
            return queryset.filter(attention_q(today))
        return queryset.filter(Exists(WorkerCertificate.objects.filter(flag_q(value, today), worker=OuterRef("pk"))))
