"""Page inputs of the installation's acts (input shapes only; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.calculators.forms import category_choices
from shouye.core.actions import ActionForm
from shouye.core.forms import ScopedModelChoiceField
from shouye.enterprises.models import Enterprise
from shouye.risks.services.tasks import enterprise_people

from .choices import InstallationKind, PersonRole

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Bootstrap:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class _DescriptionFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind of unit"), choices=InstallationKind.choices)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90)
    exposed_population = forms.IntegerField(
        label=_("People resident within 500 m"), required=False, min_value=0, max_value=10_000_000,
        help_text=_("People normally resident within 500 m of the plant boundary (GB 18218-2018 Table 5)."))
    last_assessed_on = forms.DateField(label=_("Last safety assessment"), required=False, widget=DATE)
    next_assessment_due = forms.DateField(label=_("Next safety assessment due"), required=False, widget=DATE)


class CreateForm(_Bootstrap, _DescriptionFields):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())

    field_order = ["enterprise"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=user,
                                                           label=_("Enterprise"))
        self.order_fields(["enterprise"])
        self._style()


class EditForm(_Bootstrap, ActionForm, _DescriptionFields):
    def __init__(self, *args, obj, user, **kwargs):
        kwargs.setdefault("initial", {name: getattr(obj, name) for name in _DescriptionFields.base_fields})
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self._style()


class AddSubstanceForm(_Bootstrap, ActionForm):
    name = forms.CharField(label=_("Substance (GB 18218-2018 Table 1 name or alias)"), max_length=100,
                           required=False, widget=forms.TextInput(attrs={"list": "gb18218-names"}))
    category = forms.ChoiceField(label=_("Table 2 category (for a substance not in Table 1)"), required=False)
    quantity_t = forms.DecimalField(label=_("Design maximum quantity q (t)"), min_value=0, max_digits=14,
                                    decimal_places=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *category_choices()]
        self._style()


class RemoveSubstanceForm(ActionForm):
    substance = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def clean_substance(self):
        line = self.obj.substances.filter(pk=self.cleaned_data["substance"]).first()
        if line is None:
            raise forms.ValidationError(_("This substance is not in this installation's inventory."))
        return line


class FileForm(_Bootstrap, ActionForm):
    filing_number = forms.CharField(label=_("Filing number"), max_length=50)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CancelForm(_Bootstrap, ActionForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AppointForm(_Bootstrap, ActionForm):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    post = forms.CharField(label=_("Post"), max_length=100)
    phone = forms.RegexField(label=_("Duty phone (printed on the public notice board)"), max_length=20,
                             regex=r"^[0-9+\- ]{5,20}$",
                             error_messages={"invalid": _("Enter a phone number: digits, +, - only.")})
    appointed_on = forms.DateField(label=_("Appointed on"), widget=DATE)
    user = forms.ModelChoiceField(label=_("User account (optional)"), required=False, queryset=None,
                                  help_text=_("The person's duties are assigned to this account as "
                                              "investigation tasks."))

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["user"].queryset = enterprise_people(obj.enterprise_id)
        self._style()


class DutyItemForm(_Bootstrap, forms.Form):
    text = forms.CharField(label=_("Duty"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    frequency_days = forms.IntegerField(label=_("Due every (days)"), min_value=1, max_value=366)
    before_key_periods = forms.BooleanField(label=_("Also before major events, key periods and holidays"),
                                            required=False)
    active = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
