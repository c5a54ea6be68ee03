from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from shouye.core.forms import ModelMultipleChoiceField, formset_factory
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import scope_for

from .models import Enterprise, EnterprisePerson, Industry, Licence, Tag
from .services import CLASSIFICATION_FIELDS, EDITABLE_FIELDS, LICENCE_FIELDS, PERSON_FIELDS


class EnterpriseForm(forms.ModelForm):
    """Shape and field checks only; uniqueness, scope and the write happen in the service."""

    tags = ModelMultipleChoiceField(Tag.objects.all(), required=False, label=_("Tags"),
                                    widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Enterprise
        fields = EDITABLE_FIELDS
        widgets = {"address": forms.TextInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")
        industries = Industry.objects.all()
        if not scope.everything and not scope.enterprise_ids:
            if scope.region_ids:
                townships = townships.filter(pk__in=scope.region_ids)
            if scope.industry_ids:
                industries = industries.filter(pk__in=scope.industry_ids)
        self.fields["township"].queryset = townships
        self.fields["industry"].queryset = industries
        self.fields["credit_code"].validators = []
        if self.instance.pk and not user.has_perm("enterprises.classify_enterprise"):
            for name in [*CLASSIFICATION_FIELDS, "tags"]:
                self.fields[name].disabled = True
        if self.instance.pk:
            self.fields["tags"].initial = list(self.instance.tags.all())
        for name, field in self.fields.items():
            if name != "tags":
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def validate_unique(self):
        """The service checks uniqueness inside its transaction."""

    def _post_clean(self):
        """Field-level checks only; the service runs the model validation in its transaction."""


class ChildForm(forms.ModelForm):
    """One row of key people or licences; model validation happens in the service, per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css + " form-control-sm")

    def _post_clean(self):
        """Model validation runs in the service, which reports errors per row."""


def _child_form(model, fields):
    dates = {f: forms.DateInput(attrs={"type": "date"}) for f in fields
             if f in ("certificate_expiry", "valid_from", "valid_to")}
    return modelform_factory(model, form=ChildForm, fields=fields, widgets=dates)


PersonForm = _child_form(EnterprisePerson, PERSON_FIELDS)
LicenceForm = _child_form(Licence, LICENCE_FIELDS)
PersonFormSet = formset_factory(PersonForm, label=_("Key people"), extra=1, can_delete=True)
LicenceFormSet = formset_factory(LicenceForm, label=_("Licences"), extra=1, can_delete=True)


def rows_of(formset) -> list[dict]:
    """The filled, not-deleted rows of a formset, as dicts for the service."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


