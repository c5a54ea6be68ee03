"""Page input shapes: entering a warning, its acts, seasons, fire-danger readings and the editable tables."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import ActionForm
from shouye.core.forms import ModelMultipleChoiceField
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from . import selectors
from .choices import FIRE_DANGER_CHOICES, LEVEL_CHOICES, SeasonKind, WarningColour, WarningKind, WarningSource
from .permissions import ISSUE

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ARTICLE_CHOICES = [(66, _("Art. 66")), (67, _("Art. 67")), (0, _("The district's own"))]


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=WarningKind.choices)
    source = forms.ChoiceField(label=_("Source"), choices=WarningSource.choices)
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVEL_CHOICES, coerce=int)
    issued_at = forms.DateTimeField(label=_("Issued at"), widget=DATETIME)
    all_district = forms.BooleanField(label=_("The whole district"), required=False, initial=True)
    townships = ModelMultipleChoiceField(
        Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"), label=_("Townships"), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Only when the warning does not cover the whole district."))
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("initial", {"issued_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)


class AdjustForm(ActionForm):
    level = forms.TypedChoiceField(label=_("New level"), choices=LEVEL_CHOICES, coerce=int)
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)


class LiftForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AcknowledgeForm(ActionForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.answerable_units(self.user, self.obj, anyone=self.user.has_perm(ISSUE))
        self.fields["unit"].queryset = units.filter(acknowledged_at__isnull=True).select_related(
            "township", "department")


class EnterpriseAcknowledgeForm(ActionForm):
    """No input: the caller's enterprises notified of the warning answer it."""


class TickForm(ActionForm):
    item = forms.IntegerField(label=_("Measure"), min_value=1, max_value=2**31 - 1)
    done = forms.BooleanField(label=_("Done"), required=False, initial=True)


class SeasonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SeasonKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    notice = forms.CharField(label=_("Notice"), max_length=200, required=False,
                             help_text=_("The district's notice (通告) that sets the dates."))


class FireDangerForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    level = forms.TypedChoiceField(label=_("Fire-danger level"), choices=FIRE_DANGER_CHOICES, coerce=int)
    source = forms.ChoiceField(label=_("Source"), choices=WarningSource.choices)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"day": timezone.localdate()})
        super().__init__(*args, **kwargs)


class FireDangerLevelForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Fire-danger level"), choices=FIRE_DANGER_CHOICES, coerce=int)
    name = forms.CharField(label=_("Name"), max_length=30)
    action = forms.CharField(label=_("Action"), max_length=200)
    colour = forms.ChoiceField(label=_("Warning colour"), choices=[("", "—"), *WarningColour.choices],
                               required=False)


class MeasureTemplateForm(forms.Form):
    """A new measure, or (with ``template``) the new wording or state of an existing one."""

    template = forms.IntegerField(label=_("Measure to edit"), required=False, min_value=1, max_value=2**31 - 1,
                                  widget=forms.HiddenInput)
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVEL_CHOICES, coerce=int)
    article = forms.TypedChoiceField(label=_("Article"), choices=ARTICLE_CHOICES, coerce=int)
    text = forms.CharField(label=_("Measure"), max_length=300)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

