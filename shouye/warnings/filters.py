"""One FilterSet for the warnings page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shouye.core.filters import FilterSet

from .choices import LEVEL_CHOICES, WarningKind, WarningState
from .models import EarlyWarning


class WarningFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=WarningState.choices, label=_("State"))
    kind = django_filters.ChoiceFilter(choices=WarningKind.choices, label=_("Kind"))
    level = django_filters.TypedChoiceFilter(choices=LEVEL_CHOICES, coerce=int, label=_("Level"))

    class Meta:
        model = EarlyWarning
        fields = ["state", "kind", "level"]
