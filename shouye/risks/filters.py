"""FilterSets of the risk register: the officers' list of enterprises (page), risk points (page, API) and the
100-point assessments (API).

Township and industry filter on the values stamped on the rows, so each is one indexed condition."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet, IntegerFilter
from shouye.enterprises.models import Enterprise
from shouye.enterprises.selectors import offered_industries, offered_townships

from .choices import RegisterState, RiskLevel, RiskPointKind
from .models import EnterpriseRiskScore, RiskPoint, RiskRegister
from .scoring import COLOUR_LABELS

#: The register state filter also offers "never published" and "changed since publication".
REGISTER_CHOICES = [*RegisterState.choices, ("changed", _("Changed, to be published again"))]


class RiskEnterpriseFilter(FilterSet):
    """Enterprises in scope with their risk list: by township, industry, a grade among their risk points and
    the state of their list."""

    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    industry = django_filters.ModelChoiceFilter(field_name="industry", to_field_name="code", label=_("Industry"),
                                                queryset=offered_industries)
    risk_grade = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Has a risk point of grade"),
                                             method="filter_risk_grade")
    register = django_filters.ChoiceFilter(choices=REGISTER_CHOICES, label=_("Risk list"), method="filter_register")

    class Meta:
        model = Enterprise
        fields = ["township", "industry", "risk_grade", "register"]

    def filter_risk_grade(self, queryset, name, value):
        points = RiskPoint.objects.filter(enterprise=OuterRef("pk"), is_active=True, grade=value)
        return queryset.filter(Exists(points))

    def filter_register(self, queryset, name, value):
        registers = RiskRegister.objects.filter(enterprise=OuterRef("pk"))
        if value == "changed":
            return queryset.filter(Exists(registers.filter(state=RegisterState.PUBLISHED,
                                                           changed_since_publication=True)))
        if value == RegisterState.PUBLISHED:
            return queryset.filter(Exists(registers.filter(state=RegisterState.PUBLISHED)))
        return queryset.exclude(Exists(registers.filter(state=RegisterState.PUBLISHED)))


class RiskPointFilter(FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="township", to_field_name="code", label=_("Township"),
                                                queryset=offered_townships)
    industry = django_filters.ModelChoiceFilter(field_name="industry", to_field_name="code", label=_("Industry"),
                                                queryset=offered_industries)
    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    grade = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Grade"))
    kind = django_filters.ChoiceFilter(choices=RiskPointKind.choices, label=_("Kind"))
    is_active = django_filters.BooleanFilter(label=_("In use"))

    class Meta:
        model = RiskPoint
        fields = ["township", "industry", "enterprise", "grade", "kind", "is_active"]


class RiskScoreFilter(FilterSet):
    """The 100-point assessments: of one enterprise, only the current ones, or by the colour."""

    enterprise = IntegerFilter(field_name="enterprise_id", label=_("Enterprise"))
    current = django_filters.BooleanFilter(label=_("Current"))
    colour = django_filters.ChoiceFilter(choices=list(COLOUR_LABELS.items()), label=_("Colour"))

    class Meta:
        model = EnterpriseRiskScore
        fields = ["enterprise", "current", "colour"]
