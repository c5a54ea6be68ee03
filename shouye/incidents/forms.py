"""Page input of the incidents: the intake form (usable on a phone) and the forms of the acts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import ActionForm
from shouye.core.forms import MultipleChoiceField, ScopedModelChoiceField
from shouye.enterprises.models import Enterprise
from shouye.enterprises.selectors import offered_limits
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from .choices import HAND_ENTRY_KINDS, AccidentKind, EntryKind, IncidentKind, IncidentSource, ReportKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _when(label, required=False):
    return forms.DateTimeField(label=label, widget=DATETIME, input_formats=DATETIME_FORMATS, required=required)


def townships_for(user):
    """The townships the user may take an incident in (all for the bureau)."""
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")
    limit = offered_limits(user).get("township")
    return townships if limit is None else townships.filter(pk__in=sorted(limit))


def styled(form: forms.Form) -> None:
    """Bootstrap's classes on the form's widgets (the page is used on a phone)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class SituationFields(Styled, forms.Form):
    deaths = forms.IntegerField(label=_("Deaths"), min_value=0, max_value=100000, required=False)
    missing = forms.IntegerField(label=_("Missing"), min_value=0, max_value=100000, required=False)
    serious_injuries = forms.IntegerField(label=_("Serious injuries"), min_value=0, max_value=100000,
                                          required=False)
    direct_loss_yuan = forms.DecimalField(label=_("Direct loss (yuan)"), min_value=0, max_digits=14,
                                          decimal_places=2, required=False)
    burnt_area_ha = forms.DecimalField(label=_("Burnt forest area (ha)"), min_value=0, max_digits=10,
                                       decimal_places=2, required=False)
    threatens_residential = forms.NullBooleanField(label=_("Threatens residential areas or key facilities"),
                                                   required=False)
    scope_of_impact = forms.CharField(label=_("Scope of impact"), widget=forms.Textarea(attrs={"rows": 2}),
                                      required=False, max_length=2000)
    development = forms.CharField(label=_("Development"), widget=forms.Textarea(attrs={"rows": 2}),
                                  required=False, max_length=2000)
    handling = forms.CharField(label=_("Handling so far"), widget=forms.Textarea(attrs={"rows": 2}),
                               required=False, max_length=2000)


class IntakeForm(SituationFields):
    """Art. 29's contents as the duty officer takes them on the phone."""

    title = forms.CharField(label=_("What happened"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    accident_kind = forms.ChoiceField(label=_("Accident kind"), choices=AccidentKind.choices,
                                      initial=AccidentKind.OTHER)
    occurred_at = _when(_("Occurred at"), required=True)
    received_at = _when(_("Received at (empty: now)"))
    place = forms.CharField(label=_("Place"), max_length=200)
    latitude = forms.DecimalField(label=_("Latitude"), min_value=-90, max_value=90, decimal_places=6,
                                  required=False)
    longitude = forms.DecimalField(label=_("Longitude"), min_value=-180, max_value=180, decimal_places=6,
                                   required=False)
    township = forms.ModelChoiceField(label=_("Township"), queryset=Region.objects.none(), required=False,
                                      to_field_name="code")
    unit_name = forms.CharField(label=_("Unit (if not a registered enterprise)"), max_length=200, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=IncidentSource.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_for(user)
        self.fields["enterprise"] = ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=user,
                                                           label=_("Enterprise"), required=False)
        styled(self)

    def clean(self):
        data = super().clean()
        for name in ("deaths", "missing", "serious_injuries", "direct_loss_yuan", "burnt_area_ha"):
            if data.get(name) is None:
                data[name] = 0
        data["threatens_residential"] = bool(data.get("threatens_residential"))
        return data


class UpdateForm(SituationFields, ActionForm):
    at = _when(_("As of (empty: now)"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)


class EntryForm(Styled, ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, EntryKind(k).label) for k in HAND_ENTRY_KINDS])
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    at = _when(_("Time (empty: now)"))


class ReportForm(Styled, ActionForm):
    report_kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    recipient = forms.CharField(label=_("Sent to"), max_length=100)
    text = forms.CharField(label=_("What was reported"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=4000)
    sent_at = _when(_("Sent at (empty: now)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_clocks = [(c.kind, c.get_kind_display()) for c in self.obj.clocks.all() if c.met_at is None]
        self.fields["clocks"] = MultipleChoiceField(label=_("Clocks this report meets"), choices=open_clocks,
                                                    required=False, widget=forms.CheckboxSelectMultiple)
        styled(self)


class CommandPostForm(Styled, ActionForm):
    command_post = forms.CharField(label=_("On-site command post"), max_length=200)
    commander = forms.CharField(label=_("Commander"), max_length=50)


class CloseForm(Styled, ActionForm):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
