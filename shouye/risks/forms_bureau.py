"""Input shapes of the bureau's view of dual prevention: the filters of the liveness table and the statistics
(shared by the pages, the export and the API) and the 100-point assessment form."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.enterprises.selectors import offered_industries, offered_townships

from .scoring import DIRECT_RED_CONDITIONS
from .selectors.liveness import SORTS, Filters
from .selectors.statistics import StatisticsFilters


class AreaFilterForm(forms.Form):
    """Township and industry by code, among those the user may pick (an unknown or out-of-scope code is an
    error naming the field, never the whole scope)."""

    township = forms.ModelChoiceField(queryset=None, to_field_name="code", required=False, label=_("Township"),
                                      error_messages={"invalid_choice": _("Pick a township from the list.")})
    industry = forms.ModelChoiceField(queryset=None, to_field_name="code", required=False, label=_("Industry"),
                                      error_messages={"invalid_choice": _("Pick an industry from the list.")})

    def __init__(self, data=None, *, request=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["township"].queryset = offered_townships(request)
        self.fields["industry"].queryset = offered_industries(request)

    def area(self) -> dict:
        township, industry = self.cleaned_data.get("township"), self.cleaned_data.get("industry")
        return {"township_id": township.pk if township else None, "industry_id": industry.pk if industry else None}

    def statistics_filters(self) -> StatisticsFilters:
        return StatisticsFilters(**self.area())


_SORT_CHOICES = [("", "")] + [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


class LivenessFilterForm(AreaFilterForm):
    inactive = forms.NullBooleanField(required=False, label=_("Inactive only"), widget=forms.NullBooleanSelect)
    sort = forms.ChoiceField(choices=_SORT_CHOICES, required=False, label=_("Sort"),
                             error_messages={"invalid_choice": _("Pick a column to sort by.")})

    def liveness_filters(self) -> Filters:
        return Filters(**self.area(), inactive_only=bool(self.cleaned_data.get("inactive")))


class RiskScoreForm(forms.Form):
    """The 100-point assessment (应急〔2018〕19号, REGULATIONS-2 §A.7): the score, and a checkbox per direct-red
    condition (each alone makes the enterprise red, the score may then be left empty)."""

    score = forms.DecimalField(label=_("Score (0–100)"), required=False, min_value=0, max_value=100, max_digits=5,
                               decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}))
    assessor = forms.CharField(label=_("Assessed by"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        for code, text in DIRECT_RED_CONDITIONS:
            self.fields[f"red_{code}"] = forms.BooleanField(label=text, required=False)

    def direct_red_fields(self):
        return [self[f"red_{code}"] for code, _text in DIRECT_RED_CONDITIONS]

    def direct_red_reasons(self) -> list[str]:
        return [code for code, _text in DIRECT_RED_CONDITIONS if self.cleaned_data.get(f"red_{code}")]
