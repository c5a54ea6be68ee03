"""Page input of the response's acts (response.py): the incident's position, dispatching a team or materials,
returning a team, activating a plan. The rows offered are those the user sees."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import ActionForm
from shouye.core.forms import ScopedModelChoiceField
from shouye.resources.models import Item, Team, Warehouse

from . import response
from .forms import Styled
from .models import IncidentDispatch


def _note():
    return forms.CharField(label=_("Note"), max_length=200, required=False)


class DispatchTeamForm(Styled, ActionForm):
    note = _note()

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["team"] = ScopedModelChoiceField(Team.objects.order_by("name", "id"), user=user,
                                                     label=_("Team"), widget=forms.HiddenInput)


class DispatchItemsForm(Styled, ActionForm):
    item = forms.ModelChoiceField(Item.objects.all(), label=_("Material item"), widget=forms.HiddenInput)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.01"),
                                  max_digits=12, decimal_places=2)
    note = _note()

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["warehouse"] = ScopedModelChoiceField(Warehouse.objects.order_by("name", "id"), user=user,
                                                          label=_("Warehouse"), widget=forms.HiddenInput)


class ReturnTeamForm(Styled, ActionForm):
    note = _note()

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["dispatch"] = forms.ModelChoiceField(
            IncidentDispatch.objects.filter(incident=obj, team__isnull=False, returned_at__isnull=True),
            label=_("Team"), widget=forms.HiddenInput)


class ActivatePlanForm(Styled, ActionForm):
    note = _note()

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["plan"] = forms.ModelChoiceField(response.applicable_plans(user, obj), label=_("Plan"),
                                                     widget=forms.HiddenInput)


class NearestForm(Styled, forms.Form):
    """The page's choice of the material looked for around the incident (GET)."""

    item = forms.ModelChoiceField(Item.objects.all(), label=_("Material item"), required=False,
                                  empty_label=_("Any material"))
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                                  required=False)
