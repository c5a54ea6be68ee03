"""Input shapes of the hazard pages: field validation only. Who may act, in which state, and the rules of a
major hazard are the services' (shouye/hazards/services/); their refusals are put back on these forms.

Photos are collected as uploaded files and checked by the services (content, size, orientation), which name
each file they refuse."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shouye.core import actions
from shouye.core.bounds import MAX_PHOTOS
from shouye.core.forms import MultipleFileField, MultipleFileInput, ScopedModelChoiceField
from shouye.enterprises.models import Enterprise
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from .choices import ExtensionState, HazardCategory, HazardLevel, HazardSource
from .models import Extension, GovernancePlan, TipOff
from .services import OWN_SOURCES
from .workflow import ASSIGN

#: The deadline the assignment form proposes (days from today); the officer sets the real one.
DEFAULT_DEADLINE_DAYS = 15
#: Up to this many enterprises in the user's scope, the enterprise is chosen from a list; beyond it (the
#: bureau sees the whole district) it is typed as its credit code or exact name, so the page stays light.
ENTERPRISE_SELECT_MAX = 300
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def style(form: forms.Form) -> None:
    """Bootstrap classes on every widget (large touch targets come from shouye.css)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ActionForm(actions.ActionForm):
    """The input of one action on a hazard (the action layer builds it with the hazard as ``obj``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazard = self.obj
        style(self)


class MultiplePhotoInput(MultipleFileInput):
    """Several photos at once; on a phone the camera opens directly (capture="environment")."""

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


class MultiplePhotoField(MultipleFileField):
    """A list of uploaded photos (possibly empty), at most MAX_PHOTOS; their content is checked by the
    service."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        super().__init__(max_items=MAX_PHOTOS, **kwargs)


class EnterpriseField(ScopedModelChoiceField):
    """An enterprise among those the user may see (an invisible one reads as nonexistent). A list for a
    small scope; for a large one, a text box taking the 18-character credit code or the exact name."""

    def __init__(self, user, township=None, **kwargs):
        """``township``: only that township's enterprises (the triage and the check of a tip-off about a
        place in it)."""
        super().__init__(Enterprise.objects.select_related("township").order_by("name"), user=user,
                         label=_("Enterprise"), **kwargs)
        if township is not None:
            self.queryset = self.queryset.filter(township=township)
        self.typed = self.queryset.count() > ENTERPRISE_SELECT_MAX
        if self.typed:
            self.widget = forms.TextInput(attrs={"autocomplete": "off"})
            self.help_text = _("Type the unified social credit code or the exact name of the enterprise.")

    def prepare_value(self, value):
        if self.typed:
            if isinstance(value, Enterprise):
                return value.credit_code
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) < 18):
                found = self.queryset.filter(pk=value).values_list("credit_code", flat=True).first()
                return found or value
        return super().prepare_value(value)

    def to_python(self, value):
        if not self.typed:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        text = str(value).strip()
        condition = Q(credit_code=text.upper()) | Q(name=text)
        if text.isdigit() and len(text) < 18:
            condition |= Q(pk=int(text))
        found = self.queryset.filter(condition).first()
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


def reporting_sources(user) -> list[tuple[str, str]]:
    """The sources the user may report from (16号令 Art. 10): officers any; an enterprise user its own
    self-inspection; an expert an expert inspection. The service enforces the same rule."""
    if user.has_perm(ASSIGN):
        recorded_elsewhere = (HazardSource.ALARM, HazardSource.MEASURE_FAILED)
        return [(value, label) for value, label in HazardSource.choices if value not in recorded_elsewhere]
    own = {OWN_SOURCES[role] for role in user.active_roles() if role in OWN_SOURCES}
    return [(value, label) for value, label in HazardSource.choices if value in own]


class ReportForm(StyledForm):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none())
    description = forms.CharField(label=_("Description"), widget=TEXTAREA)
    level = forms.ChoiceField(label=_("Level"), choices=HazardLevel.choices, initial=HazardLevel.ORDINARY)
    category = forms.ChoiceField(label=_("Category"), choices=HazardCategory.choices, initial=HazardCategory.THINGS)
    source = forms.ChoiceField(label=_("Source"))
    location = forms.CharField(label=_("Location in the enterprise"), max_length=200, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False,
                                  help_text=_("The law or standard and its clause, e.g. GB 30871-2022 5.1.5."))
    found_at = forms.DateTimeField(label=_("Found at"), required=False,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                              format="%Y-%m-%dT%H:%M"),
                                   help_text=_("Leave empty for now."))
    found_by_name = forms.CharField(label=_("Found by"), max_length=100, required=False,
                                    help_text=_("Leave empty for yourself."))
    photos = MultiplePhotoField(label=_("Photos before rectification"),
                                help_text=_("JPEG, PNG or WebP; you can take them with the camera."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = EnterpriseField(user)
        self.fields["source"].choices = reporting_sources(user)
        if len(self.fields["source"].choices) == 1:
            self.fields["source"].initial = self.fields["source"].choices[0][0]
        self.order_fields(["enterprise"])
        style(self)


class AssignForm(ActionForm):
    """责令整改: deadline, responsible person, measures and funds."""

    deadline = forms.DateField(label=_("Deadline"), widget=DATE_INPUT)
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=50)
    measures = forms.CharField(label=_("Rectification measures"), widget=TEXTAREA)
    funds = forms.DecimalField(label=_("Funds (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + timedelta(days=DEFAULT_DEADLINE_DAYS))
            self.initial.setdefault("measures", self.hazard.measures)
            self.initial.setdefault("responsible_person", self.hazard.responsible_person)


class SubmitForm(ActionForm):
    """提交整改: what was done, with photos taken after it."""

    note = forms.CharField(label=_("What was done"), widget=TEXTAREA)
    photos = MultiplePhotoField(label=_("Photos after rectification"),
                                help_text=_("At least one photo; you can take them with the camera."))


class VerifyForm(ActionForm):
    note = forms.CharField(label=_("Re-inspection note"), widget=TEXTAREA, required=False)


class RejectForm(ActionForm):
    reason = forms.CharField(label=_("Reason for the rejection"), widget=TEXTAREA)


class CloseOnSpotForm(ActionForm):
    """立查立改: an ordinary hazard rectified on the spot, closed with an after-photo."""

    note = forms.CharField(label=_("What was done"), widget=TEXTAREA)
    photos = MultiplePhotoField(label=_("Photos after rectification"),
                                help_text=_("At least one photo; you can take them with the camera."))


class RequestExtensionForm(ActionForm):
    requested_deadline = forms.DateField(label=_("New deadline"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)


class ApproveExtensionForm(ActionForm):
    """The decision on the hazard's pending extension request; the button pressed says which."""

    extension = forms.ModelChoiceField(queryset=Extension.objects.none(), widget=forms.HiddenInput)
    approved = forms.TypedChoiceField(choices=[("1", _("Approve")), ("0", _("Refuse"))],
                                      coerce=lambda value: value == "1")
    note = forms.CharField(label=_("Decision note"), widget=TEXTAREA, required=False,
                           help_text=_("Required when refusing."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pending = self.hazard.extensions.filter(state=ExtensionState.PENDING)
        self.fields["extension"].queryset = pending
        first = pending.first()
        if first is not None and not self.is_bound:
            self.initial["extension"] = first.pk


class GovernancePlanForm(ActionForm):
    """重大事故隐患治理方案: the six parts of 16号令 Art. 15, labelled as the model names them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = getattr(self.hazard, "governance_plan", None)
        for part in GovernancePlan.PARTS:
            label = capfirst(GovernancePlan._meta.get_field(part).verbose_name)
            self.fields[part] = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}),
                                                required=False)
            if plan is not None and not self.is_bound:
                self.initial[part] = getattr(plan, part)
        style(self)


class ListedSupervisionForm(ActionForm):
    supervising_leader = forms.CharField(label=_("Supervising leader"), max_length=50)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        listing = getattr(self.hazard, "listed_supervision", None)
        if listing is not None and not self.is_bound:
            self.initial.update(supervising_leader=listing.supervising_leader,
                                document_number=listing.document_number)


class ExpertVerifyForm(ActionForm):
    passed = forms.TypedChoiceField(label=_("Result"), widget=forms.RadioSelect,
                                    choices=[("1", _("Passed")), ("0", _("Not passed"))],
                                    coerce=lambda value: value == "1")
    opinion = forms.CharField(label=_("Opinion"), widget=TEXTAREA)


class TipOffForm(StyledForm):
    """The public tip-off form (举报): no sign-in; one optional photo."""

    enterprise_name = forms.CharField(label=capfirst(TipOff._meta.get_field("enterprise_name").verbose_name),
                                      max_length=200)
    township = forms.ModelChoiceField(label=_("Township"), required=False, to_field_name="code",
                                      queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"),
                                      empty_label=_("Not sure"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    description = forms.CharField(label=capfirst(TipOff._meta.get_field("description").verbose_name),
                                  widget=forms.Textarea(attrs={"rows": 5}))
    reporter_name = forms.CharField(label=capfirst(TipOff._meta.get_field("reporter_name").verbose_name),
                                    max_length=50, required=False)
    reporter_phone = forms.CharField(label=capfirst(TipOff._meta.get_field("reporter_phone").verbose_name),
                                     max_length=20, required=False)
    photo = forms.FileField(label=_("Photo (optional)"), required=False, allow_empty_file=True,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
                            help_text=_("JPEG, PNG or WebP."))


class TriageForm(actions.ActionForm):
    """Turn a tip-off (``obj``) into a hazard of an enterprise in scope, or dismiss it with a reason; the
    button pressed says which. The enterprise reads the hazard, so its description is the officer's own
    (required when accepting, checked by the service) and does not start from the tip-off's text; the
    location starts from the address the public gave, a place the officer confirms or corrects. The
    enterprises offered are those of the tip-off's township when it names one.

    The page shows each way in its own form (hazard, dismissal), so the fields each needs are marked and
    required there (``REQUIRED``) though optional for the other."""

    REQUIRED = {"accept": ("enterprise", "level", "description"), "dismiss": ("dismiss_reason",)}

    accept = forms.TypedChoiceField(choices=[("1", _("Turn into a hazard")), ("0", _("Dismiss"))],
                                    coerce=lambda value: value == "1")
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=HazardLevel.choices, initial=HazardLevel.ORDINARY,
                              required=False)
    description = forms.CharField(label=_("Hazard description"), widget=TEXTAREA, required=False,
                                  help_text=_("In your own words: the enterprise and the township read it; "
                                              "they never see the text of the tip-off or who sent it."))
    location = forms.CharField(label=_("Location in the enterprise"), max_length=200, required=False)
    dismiss_reason = forms.CharField(label=_("Reason for dismissal"), widget=TEXTAREA, required=False)
    public_reason = forms.CharField(label=_("Reply to the sender (optional)"), max_length=300, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("Shown on the public status page to whoever holds the receipt "
                                                "code: name no staff and no enterprise's internal details."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = EnterpriseField(self.user, township=self.obj.township, required=False)
        if self.obj.township is not None:
            self.fields["enterprise"].help_text = _("Enterprises of %(township)s.") % {
                "township": self.obj.township.name}
        self.initial.setdefault("location", self.obj.address)
        style(self)
        mark_required(self, [name for names in self.REQUIRED.values() for name in names])

    def clean(self):
        return level_when(super().clean(), "accept", self)


def level_when(cleaned: dict, way: str, form: forms.Form) -> dict:
    """The level is sent only with the hazard's part of the page, and needed only there."""
    if cleaned.get(way) and not cleaned.get("level"):
        form.add_error("level", forms.Field.default_error_messages["required"])
    if not cleaned.get("level"):
        cleaned["level"] = HazardLevel.ORDINARY
    return cleaned


def mark_required(form: forms.Form, names) -> None:
    """Fields required in the part of the page they are shown in, though optional in the form as a whole
    (the other part does not send them): marked with the asterisk (``_field.html``) and the browser's own
    ``required``."""
    for name in names:
        form.fields[name].widget.attrs["required"] = True
        form.fields[name].marked_required = True


class SendToTownshipForm(actions.ActionForm):
    """Send a tip-off to the officers of its township to check on site: the township (the tip-off's by
    default), the address (required when no registered enterprise is named), the enterprise if it is a
    registered one, and what to check in the staff's own words."""

    township = forms.ModelChoiceField(label=_("Township"), to_field_name="code",
                                      queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    address = forms.CharField(label=_("Address of the place"), max_length=200, required=False,
                              help_text=_("Required when the place is not a registered enterprise."))
    check_request = forms.CharField(label=_("What to check"), widget=TEXTAREA,
                                    help_text=_("In your own words: the township's officers read it; they never "
                                                "see the text of the tip-off or who sent it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = EnterpriseField(self.user, township=self.obj.township, required=False)
        self.fields["enterprise"].label = _("Registered enterprise (if it is one)")
        self.fields["enterprise"].empty_label = _("No registered enterprise")
        self.order_fields(["township", "enterprise", "address", "check_request"])
        if self.obj.township is not None:
            self.initial.setdefault("township", self.obj.township.code)
        self.initial.setdefault("address", self.obj.address)
        self.initial.setdefault("enterprise", self.obj.enterprise_id)
        style(self)


class TipOffCheckForm(actions.ActionForm):
    """The township officer's result of the check on site: a hazard found (of a registered enterprise of the
    township, described in the officer's words) or nothing to take up (the result is the reason)."""

    REQUIRED = {"found": ("enterprise", "level", "description"), "nothing": ("check_result",)}

    found = forms.TypedChoiceField(choices=[("1", _("Hazard found")), ("0", _("Nothing to take up"))],
                                   coerce=lambda value: value == "1")
    level = forms.ChoiceField(label=_("Level"), choices=HazardLevel.choices, initial=HazardLevel.ORDINARY,
                              required=False)
    description = forms.CharField(label=_("Hazard description"), widget=TEXTAREA, required=False,
                                  help_text=_("In your own words: the enterprise reads it."))
    location = forms.CharField(label=_("Location in the enterprise"), max_length=200, required=False)
    check_result = forms.CharField(label=_("Result of the check"), widget=TEXTAREA, required=False,
                                   help_text=_("What you found on site; the reason when there is nothing to "
                                               "take up (not a hazard, not a matter for emergency management)."))
    public_reason = forms.CharField(label=_("Reply to the sender (optional)"), max_length=300, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("Shown on the public status page to whoever holds the receipt "
                                                "code: name no staff and no enterprise's internal details."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = EnterpriseField(self.user, township=self.obj.township, required=False)
        self.order_fields(["found", "enterprise", "level", "description", "location", "check_result",
                           "public_reason"])
        if self.obj.enterprise_id:
            self.initial.setdefault("enterprise", self.obj.enterprise_id)
        self.initial.setdefault("location", self.obj.address)
        style(self)
        mark_required(self, [name for names in self.REQUIRED.values() for name in names])

    def clean(self):
        return level_when(super().clean(), "found", self)


class TipOffStatusForm(StyledForm):
    """The receipt code, as the sender typed it (case, spaces and dashes do not matter)."""

    code = forms.CharField(label=_("Receipt code"), max_length=30,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "placeholder": "XXXX-XXXX-XXXX"}))
