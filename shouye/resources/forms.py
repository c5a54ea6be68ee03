"""Page inputs (input shapes only; the services decide)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import ActionForm
from shouye.core.forms import ScopedModelChoiceField
from shouye.enterprises.models import Enterprise
from shouye.enterprises.selectors import offered_townships

from .choices import ReserveKind, TeamKind
from .models import Item, Warehouse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHONE = r"^[0-9+\- ]{5,20}$"


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class _Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class _OwnerForm(forms.Form):
    """The owner: an enterprise, else a township, else the district."""

    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"] = forms.ModelChoiceField(
            label=_("Township"), required=False, queryset=offered_townships(SimpleNamespace(user=user)),
            help_text=_("Empty for the district's own (or an enterprise's)."))
        self.fields["enterprise"] = ScopedModelChoiceField(
            Enterprise.objects.order_by("name"), user=user, label=_("Enterprise"), required=False,
            help_text=_("For an enterprise's own; empty for the government's."))
        _style(self)


class TeamCreateForm(_OwnerForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind of team"), choices=TeamKind.choices)
    duty_phone = forms.RegexField(PHONE, label=_("Duty phone"), max_length=20)
    base_address = forms.CharField(label=_("Base address"), max_length=200, required=False)

    field_order = ["name", "kind", "duty_phone", "base_address", "latitude", "longitude"]


class WarehouseCreateForm(_OwnerForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    keeper_name = forms.CharField(label=_("Keeper"), max_length=50, required=False)
    keeper_phone = forms.RegexField(PHONE, label=_("Keeper's phone"), max_length=20, required=False)

    field_order = ["name", "address", "keeper_name", "keeper_phone", "latitude", "longitude"]


class NoteForm(_Styled, ActionForm):
    note = forms.CharField(label=_("Note"), max_length=200)


class DispatchTeamForm(NoteForm):
    incident = forms.CharField(label=_("Incident reference"), max_length=64, required=False)


class ReturnForm(_Styled, ActionForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AddMemberForm(_Styled, ActionForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    certificates = forms.CharField(label=_("Certificates"), max_length=200, required=False)
    phone = forms.RegexField(PHONE, label=_("Phone"), max_length=20, required=False)


class RemoveMemberForm(_Styled, ActionForm):
    member = forms.IntegerField(label=_("Member"), min_value=1, max_value=2**31 - 1)

    def clean_member(self):
        member = self.obj.members.filter(pk=self.cleaned_data["member"]).first()
        if member is None:
            raise forms.ValidationError(_("This person is not a member of this team."))
        return member


class AddEquipmentForm(_Styled, ActionForm):
    name = forms.CharField(label=_("Equipment"), max_length=100)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AddAgreementForm(ActionForm):
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    scope = forms.CharField(label=_("Scope of the agreement"), max_length=300)

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["enterprise"] = ScopedModelChoiceField(
            Enterprise.objects.order_by("name"), user=user, label=_("Enterprise"), required=False,
            help_text=_("Empty: the agreement is with the district."))
        _style(self)


def _items():
    return Item.objects.order_by("category", "name")


class _ItemForm(ActionForm):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    note = forms.CharField(label=_("Note"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _items()
        _style(self)


class StockInForm(_ItemForm):
    expires_on = forms.DateField(label=_("Batch expiry"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class StockOutForm(_ItemForm):
    pass


class DispatchItemsForm(_ItemForm):
    incident = forms.CharField(label=_("Incident reference"), max_length=64, required=False)


class TransferForm(_ItemForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["to_warehouse"] = ScopedModelChoiceField(
            Warehouse.objects.filter(state="open").exclude(pk=obj.pk).order_by("name"), user=user,
            label=_("To warehouse"))
        _style(self)


class SetMinimumForm(_Styled, ActionForm):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    minimum = forms.DecimalField(label=_("Minimum stock"), max_digits=12, decimal_places=2, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _items()


class ItemForm(_Styled, forms.ModelForm):
    class Meta:
        model = Item
        fields = ["name", "category", "unit", "shelf_life_months", "rotation_notice_days"]


class RuleForm(_Styled, forms.Form):
    minimum_members = forms.IntegerField(label=_("Minimum members"), required=False, min_value=0,
                                         max_value=100_000, help_text=_("Empty: no minimum for this kind."))
    basis = forms.CharField(label=_("Basis"), max_length=200, required=False)


class ReserveCreateForm(_Styled, forms.Form):
    """A new agreement or capacity reserve with its first item (more items on its page)."""

    kind = forms.ChoiceField(label=_("Kind of reserve"), choices=ReserveKind.choices)
    supplier = forms.CharField(label=_("Supplier"), max_length=100)
    contact_name = forms.CharField(label=_("Contact"), max_length=50)
    contact_phone = forms.RegexField(PHONE, label=_("Contact phone"), max_length=20)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    response_hours = forms.IntegerField(label=_("Response time (hours)"), min_value=1, max_value=720)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    quantity = forms.DecimalField(label=_("Quantity (per day for a capacity reserve)"), max_digits=12,
                                  decimal_places=2, min_value=Decimal("0.01"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _items()
        self.fields["township"] = forms.ModelChoiceField(
            label=_("Township"), required=False, queryset=offered_townships(SimpleNamespace(user=user)),
            help_text=_("Empty for the district's own reserve (every township reads it)."))
        _style(self)

    def clean(self):
        data = super().clean()
        if "item" in data and "quantity" in data:
            data["lines"] = [{"item": data.pop("item"), "quantity": data.pop("quantity")}]
        return data


class SetReserveItemForm(_Styled, ActionForm):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    quantity = forms.DecimalField(label=_("Quantity (per day for a capacity reserve)"), max_digits=12,
                                  decimal_places=2, min_value=0, help_text=_("0 takes the item off."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _items()


class NearestForm(forms.Form):
    """The nearest-dispatch page: a point, optionally a kind of team and one item with the quantity needed."""

    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    kind = forms.ChoiceField(label=_("Kind of team"), required=False,
                             choices=[("", _("All kinds")), *TeamKind.choices])
    item = forms.ModelChoiceField(label=_("Item needed"), required=False, queryset=Item.objects.none())
    quantity = forms.DecimalField(label=_("Quantity needed"), required=False, max_digits=12, decimal_places=2,
                                  min_value=Decimal("0.01"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _items()
        _style(self)


class RoadNetworkForm(forms.Form):
    """Upload a road network: a name and the GeoJSON file (the service reads and checks it)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    file = forms.FileField(label=_("GeoJSON file"), widget=forms.ClearableFileInput(
        attrs={"accept": ".geojson,.json,application/geo+json,application/json"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
