"""Page input of the response's tasks, the investigation report's extension and the on-site acts (position,
photos). Input shapes only: the services check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.accounts.choices import OrganisationKind
from shouye.accounts.models import Organisation
from shouye.core.actions import ActionForm
from shouye.core.bounds import MAX_PHOTOS
from shouye.core.forms import MultipleFileField, MultipleFileInput
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.rules.data.incidents import MAX_EXTENSION_DAYS

from .assignments import TASK_TEXT_MAX
from .forms import Styled, _when, styled


class AssignTaskForm(Styled, ActionForm):
    """A task to one township or one industry department (any of the district's: the command tasks whom the
    response needs)."""

    text = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TASK_TEXT_MAX)
    township = forms.ModelChoiceField(label=_("Township"), required=False, to_field_name="code",
                                      queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    department = forms.ModelChoiceField(label=_("or department"), required=False,
                                        queryset=Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)
                                        .order_by("name"))
    due_at = _when(_("Due at"), required=True)


class ExtendInvestigationForm(Styled, ActionForm):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class PositionForm(Styled, ActionForm):
    """The phone's location fills both fields ("use my position", shouye/incidents.js, which reads the unprefixed
    ``latitude`` and ``longitude`` of the button's form); they can be typed too."""

    latitude = forms.DecimalField(label=_("Latitude"), min_value=-90, max_value=90, max_digits=8, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), min_value=-180, max_value=180, max_digits=9,
                                   decimal_places=6)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class PhotoInput(MultipleFileInput):
    """Several photos at once; on a phone the camera opens directly."""

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


class PhotosForm(ActionForm):
    photos = MultipleFileField(label=_("Photos"), max_items=MAX_PHOTOS, widget=PhotoInput)
    caption = forms.CharField(label=_("Caption"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class CompleteTaskForm(Styled, ActionForm):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AcknowledgeTaskForm(ActionForm):
    """签收 takes no input."""
