"""The calculators' inputs as forms. They shape and render the inputs only: every check of a value is the
rule's own (``shouye.rules``), so a bad value is answered with the rule's message naming the field, exactly
as the ``shouye rules`` command and the API answer it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.rules.data.risk import LEC_TABLE, MATRIX_TABLE
from shouye.rules.major_hazard import load_tables


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _scale_choices(scale: dict) -> list[tuple[str, str]]:
    return [("", "—")] + [(_plain(Decimal(v)), f"{_plain(Decimal(v))} — {label}")
                          for v, label in sorted(scale.items(), reverse=True)]


def number(text: object) -> object:
    """A typed number as the rules take it: ``None`` when blank, an ``int`` or a ``Decimal``; text that is
    not a number is passed on unchanged so that the rule names the field and quotes what was typed.
    Thousands separators (``1,000,000``) and spaces are ignored."""
    if text is None:
        return None
    cleaned = str(text).strip().replace(",", "").replace("，", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return str(text).strip()
    return value if value.is_finite() else str(text).strip()


def checked(data, name: str) -> bool:
    return data.get(name) in ("on", "true", "1", "True")


def text(data, name: str) -> str | None:
    value = (data.get(name) or "").strip()
    return value or None


class CalculatorForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.prefix_id}-%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class LecForm(CalculatorForm):
    prefix_id = "lec"
    l = forms.ChoiceField(label=_("L — likelihood of an accident"), choices=_scale_choices(LEC_TABLE.l_values))  # noqa: E741
    e = forms.ChoiceField(label=_("E — exposure to the hazard"), choices=_scale_choices(LEC_TABLE.e_values))
    c = forms.ChoiceField(label=_("C — consequence"), choices=_scale_choices(LEC_TABLE.c_values))


class RiskMatrixForm(CalculatorForm):
    prefix_id = "matrix"
    l = forms.ChoiceField(label=_("L — likelihood"), choices=_scale_choices(MATRIX_TABLE.l_values))  # noqa: E741
    s = forms.ChoiceField(label=_("S — severity"), choices=_scale_choices(MATRIX_TABLE.s_values))


HOT_WORK_SITUATION = ("fire_explosion_area", "on_operating_equipment", "in_mhi_tank_farm_dike", "on_pipe_rack",
                      "shut_down_and_isolated")


class HotWorkForm(CalculatorForm):
    prefix_id = "hotwork"
    fire_explosion_area = forms.BooleanField(required=False, label=_("In a fire or explosion hazard area"))
    on_operating_equipment = forms.BooleanField(
        required=False, label=_("On operating equipment, pipes, tanks or vessels (including hot tapping)"))
    in_mhi_tank_farm_dike = forms.BooleanField(
        required=False, label=_("Inside the fire dike of a major-hazard tank farm holding flammables"))
    on_pipe_rack = forms.BooleanField(required=False, label=_("On a pipe rack"))
    shut_down_and_isolated = forms.BooleanField(
        required=False, label=_("The unit is shut down, cleaned, purged, tested and isolated (approved by the "
                                "production or safety head)"))
    outdoor = forms.BooleanField(required=False, initial=True, label=_("Outdoors"))
    start = forms.CharField(label=_("Start of the work"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    wind_force = forms.CharField(label=_("Wind force (Beaufort)"), required=False,
                                 widget=forms.NumberInput(attrs={"min": 0, "max": 17, "step": 1}))


class AccidentForm(CalculatorForm):
    prefix_id = "accident"
    deaths = forms.CharField(label=_("Deaths"), widget=forms.NumberInput(attrs={"min": 0, "step": 1}))
    serious_injuries = forms.CharField(label=_("Serious injuries (including acute industrial poisoning)"),
                                       widget=forms.NumberInput(attrs={"min": 0, "step": 1}))
    direct_loss_yuan = forms.CharField(label=_("Direct economic loss (yuan)"),
                                       widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    occurred_at = forms.CharField(label=_("Time of the accident"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[
        ("", _("Other accident")), ("road_traffic", _("Road traffic accident")), ("fire", _("Fire accident"))])


def category_choices() -> list[tuple[str, str]]:
    """Table 2 of GB 18218-2018: symbol, class and critical quantity."""
    return [(c.symbol, f"{c.symbol} {c.hazard_class}（{c.description}）Q={_plain(c.critical_quantity_t)} t")
            for c in load_tables().categories.values()]
