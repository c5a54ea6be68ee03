"""Input shapes of the risk register's pages: field validation only. Scope, permission, uniqueness of the
number, the category of a subcategory and the tables' scales are the services' (services/register.py,
services/settings.py); their refusals are put back on these forms."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms.models import fields_for_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.accounts.choices import Role
from shouye.accounts.selectors import users_with_role

from .choices import AssessmentMethod, ControlLevel, MeasureCategory, MeasureSubcategory, RiskLevel
from .models import ControlMeasure, HazardSource, RiskPoint, SpecialControlPlan
from .services.register import MEASURE_FIELDS, PLAN_FIELDS, SOURCE_FIELDS
from .services.settings import SCALE_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 2})


def style(form: forms.Form) -> None:
    """Bootstrap classes on every widget (large touch targets come from shouye.css)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("rows", 2)
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class RiskPointForm(StyledForm):
    """A risk point's facts; the responsible person's account is one of the enterprise's own users."""

    def __init__(self, *args, enterprise, **kwargs):
        self.base_fields = fields_for_model(RiskPoint, fields=["code", "name", "kind", "location", "department",
                                                               "responsible_person", "control_focus",
                                                               "control_unit"])
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"] = forms.ModelChoiceField(
            users_with_role(Role.ENTERPRISE_USER, enterprise=enterprise.pk).order_by("username"),
            required=False, label=RiskPoint._meta.get_field("responsible_user").verbose_name,
            help_text=_("Optional: the account that receives this point's tasks."))
        self.fields["control_focus"].widget = forms.Textarea()
        style(self)


class HazardSourceForm(StyledForm):
    def __init__(self, *args, **kwargs):
        self.base_fields = fields_for_model(HazardSource, fields=list(SOURCE_FIELDS))
        super().__init__(*args, **kwargs)
        style(self)


def scale_value(value) -> str:
    """A scale value as the form and the stored inputs spell it: 0.5, 10 (no trailing zeros)."""
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _scale_choices(scale: dict) -> list[tuple[str, str]]:
    return [("", "—")] + [(scale_value(value), f"{scale_value(value)}　{label}")
                          for value, label in sorted(scale.items(), reverse=True)]


class AssessmentForm(StyledForm):
    """One method's scale values as select boxes labelled with their meanings, from the effective table (the
    page switches method by its tabs); the service checks the values against the table."""

    method = forms.ChoiceField(choices=AssessmentMethod.choices, widget=forms.HiddenInput)

    def __init__(self, *args, tables, method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method if method in AssessmentMethod.values else AssessmentMethod.LEC
        self.fields["method"].initial = self.method
        table = tables.for_method(self.method)
        for scale, label in SCALE_FIELDS[self.method].items():
            self.fields[scale.removesuffix("_values")] = forms.ChoiceField(
                label=label, choices=_scale_choices(getattr(table, scale)))
        style(self)

    def inputs(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "method"}


class MeasureForm(StyledForm):
    """A control measure; the subcategory list is filtered by category on the page (data-category), and the
    service refuses a mismatch."""

    def __init__(self, *args, **kwargs):
        self.base_fields = fields_for_model(ControlMeasure, fields=list(MEASURE_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = MeasureCategory.choices
        self.fields["subcategory"].choices = MeasureSubcategory.choices
        style(self)
        # Choosing a category reloads the subcategory list with its own (htmx, risks:subcategories).
        self.fields["category"].widget.attrs.update({"hx-get": reverse("risks:subcategories"),
                                                     "hx-target": "#id_subcategory", "hx-trigger": "change"})


class SpecialPlanForm(StyledForm):
    def __init__(self, *args, **kwargs):
        self.base_fields = fields_for_model(SpecialControlPlan, fields=list(PLAN_FIELDS),
                                            widgets={"approved_on": DATE_INPUT})
        super().__init__(*args, **kwargs)
        style(self)


class ForcedMajorForm(StyledForm):
    """One tick box per condition of the district's list (at most settings.MAX_CONDITIONS)."""

    def __init__(self, *args, conditions, **kwargs):
        super().__init__(*args, **kwargs)
        self.conditions = list(conditions)
        for index, text in enumerate(self.conditions):
            self.fields[f"condition_{index}"] = forms.BooleanField(label=text, required=False)
        style(self)

    def reasons(self) -> list[str]:
        return [text for index, text in enumerate(self.conditions) if self.cleaned_data.get(f"condition_{index}")]


def forced_major_initial(conditions, reasons) -> dict:
    return {f"condition_{index}": text in reasons for index, text in enumerate(conditions)}


def control_level_fields(*, required: bool) -> dict:
    """One control level per grade (REGULATIONS-2 §A.4): the district must give all; an enterprise leaves them
    empty to follow the district's."""
    return {f"level_{grade}": forms.ChoiceField(label=_("Control level: %(grade)s") % {"grade": label},
                                                choices=[("", "—"), *ControlLevel.choices], required=required)
            for grade, label in RiskLevel.choices}
