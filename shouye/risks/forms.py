"""Input shapes of the risk register's pages: field validation only. Scope, permission, uniqueness of the
number, the category of a subcategory and the tables' scales are the services' (services/register.py,
services/settings.py); their refusals are put back on these forms."""

from __future__ import annotations

import json
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


class JsonField(forms.CharField):
    """A table edited as its JSON text (the shape of shouye.rules.data.risk); empty means the default."""

    widget = forms.Textarea(attrs={"rows": 12, "class": "form-control font-monospace"})

    def clean(self, value):
        value = super().clean(value)
        if not value.strip():
            return {}
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON (line %(line)d, column %(column)d): fix the text.")
                                        % {"line": exc.lineno, "column": exc.colno}) from None


def control_level_fields(*, required: bool) -> dict:
    """One control level per grade (REGULATIONS-2 §A.4): the district must give all; an enterprise leaves them
    empty to follow the district's."""
    return {f"level_{grade}": forms.ChoiceField(label=_("Control level: %(grade)s") % {"grade": label},
                                                choices=[("", "—"), *ControlLevel.choices], required=required)
            for grade, label in RiskLevel.choices}


class TablesForm(StyledForm):
    """The district's (bureau administrator) or an enterprise's own tables and control levels."""

    lec_table = JsonField(label=_("LEC table"), required=False)
    matrix_table = JsonField(label=_("Risk matrix table"), required=False)
    mes_table = JsonField(label=_("MES table"), required=False)

    def __init__(self, *args, district: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(control_level_fields(required=district))
        if district:
            self.fields["forced_major_conditions"] = forms.CharField(
                label=_("Conditions that make a risk major"), required=False, widget=forms.Textarea(),
                help_text=_("One condition a line."))
        style(self)

    def control_levels(self) -> dict:
        levels = {grade: self.cleaned_data.get(f"level_{grade}") for grade in RiskLevel.values}
        return {} if not any(levels.values()) else levels

    def conditions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("forced_major_conditions", "").splitlines()
                if line.strip()]


def tables_initial(row, *, district: bool) -> dict:
    initial = {field: json.dumps(getattr(row, field), ensure_ascii=False, indent=1) if row and getattr(row, field)
               else "" for field in ("lec_table", "matrix_table", "mes_table")}
    levels = (row.control_levels if row else None) or {}
    initial.update({f"level_{grade}": levels.get(grade, "") for grade in RiskLevel.values})
    if district and row:
        initial["forced_major_conditions"] = "\n".join(row.forced_major_conditions)
    return initial


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
