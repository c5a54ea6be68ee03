"""Page inputs of the permit and its acts (input shapes only; the services decide). The form of a kind renders
that kind's fields (``standard.DETAIL_FIELDS`` and the rules' inputs) as ``details-<key>``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import ActionForm
from shouye.core.forms import MultipleFileField, ScopedModelChoiceField
from shouye.core.signatures import decode as decode_signature
from shouye.enterprises.models import Enterprise
from shouye.inspections.forms import style

from . import chains
from .choices import ApproverLevel, PermitPersonRole
from .services import checks

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Rows for the people beyond the work leader and the watchperson (operators with their certificates …).
PEOPLE_ROWS = 4
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _detail_field(field) -> forms.Field:
    label, help_text = field.label, field.help or ""
    common = {"label": label, "help_text": help_text, "required": field.required and field.kind != "boolean"}
    if field.kind == "boolean":
        return forms.BooleanField(**{**common, "required": False})
    if field.kind == "integer":
        return forms.IntegerField(min_value=0, max_value=10**6, **common)
    if field.kind == "decimal":
        return forms.DecimalField(min_value=0, max_digits=10, decimal_places=3, **common)
    if field.kind == "choice":
        choices = [(c[0], c[1]) if isinstance(c, tuple | list) else (c, c) for c in field.choices]
        return forms.ChoiceField(choices=[("", "---------"), *choices], **common)
    if field.kind == "datetime":
        return forms.DateTimeField(widget=DATETIME, input_formats=DATETIME_FORMATS, **common)
    if field.kind == "list" and field.choices:
        return forms.MultipleChoiceField(choices=list(field.choices), widget=forms.CheckboxSelectMultiple, **common)
    if field.kind == "list":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, **{
            **common, "help_text": help_text or _("One per line.")})
    return forms.CharField(max_length=500, **common)


class _PermitFields(forms.Form):
    applicant_unit = forms.CharField(label=_("Applying unit"), max_length=100)
    work_unit = forms.CharField(label=_("Unit doing the work"), max_length=100)
    content = forms.CharField(label=_("Work content"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    location = forms.CharField(label=_("Place and part"), max_length=200)
    planned_start = forms.DateTimeField(label=_("Work from"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    planned_end = forms.DateTimeField(label=_("Work until"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    grade = forms.CharField(label=_("Grade of the work"), max_length=8, required=False,
                            help_text=_("Leave blank for the grade the rules give; you may choose a higher one."))
    related_numbers = forms.CharField(label=_("Numbers of related permits"), required=False, max_length=400,
                                      help_text=_("Separate numbers with spaces or commas."))
    work_leader = forms.CharField(label=_("Work leader"), max_length=50, required=False)
    watchperson = forms.CharField(label=_("Watchperson"), max_length=50, required=False)

    def add_kind_fields(self, kind: str) -> None:
        """The kind's detail fields and the rows for the other people."""
        self.kind = kind
        for field in checks.detail_fields(kind):
            self.fields[f"details-{field.key}"] = _detail_field(field)
        roles = [("", "---------"), *[(value, label) for value, label in PermitPersonRole.choices
                                      if value not in ("work_leader", "watchperson")]]
        for row in range(PEOPLE_ROWS):
            self.fields[f"person-{row}-role"] = forms.ChoiceField(label=_("Role"), choices=roles, required=False)
            self.fields[f"person-{row}-name"] = forms.CharField(label=_("Name"), max_length=50, required=False)
            self.fields[f"person-{row}-certificate_number"] = forms.CharField(
                label=_("Certificate number"), max_length=50, required=False)
            self.fields[f"person-{row}-certificate_issued_on"] = forms.DateField(
                label=_("Certificate issued on"), required=False, widget=DATE)
            self.fields[f"person-{row}-certificate_last_review_on"] = forms.DateField(
                label=_("Last reviewed on"), required=False, widget=DATE)
        style(self)

    def detail_bound_fields(self):
        return [self[name] for name in self.fields if name.startswith("details-")]

    def people_rows(self):
        return [[self[f"person-{row}-{name}"] for name in ("role", "name", "certificate_number",
                                                          "certificate_issued_on", "certificate_last_review_on")]
                for row in range(PEOPLE_ROWS)]

    def clean(self):
        data = super().clean()
        details = {}
        for field in checks.detail_fields(self.kind):
            value = data.pop(f"details-{field.key}", None)
            if field.kind == "list" and isinstance(value, str) and value:
                value = [line for line in value.splitlines() if line.strip()]
            if value not in (None, ""):
                details[field.key] = value
        people = [{"role": role, "name": data.pop(name)} for role, name in
                  (("work_leader", "work_leader"), ("watchperson", "watchperson")) if data.get(name)]
        data.pop("work_leader", None)
        data.pop("watchperson", None)
        for row in range(PEOPLE_ROWS):
            values = {name: data.pop(f"person-{row}-{name}", None) for name in (
                "role", "name", "certificate_number", "certificate_issued_on", "certificate_last_review_on")}
            if values["name"]:
                if not values["role"]:
                    self.add_error(f"person-{row}-role", _("Choose the person's role."))
                people.append({**values, "certificate_number": values["certificate_number"] or ""})
        data["details"], data["people"] = details, people
        data["related_numbers"] = [n for n in (data.get("related_numbers") or "").replace(",", " ")
                                   .replace("，", " ").split() if n]
        return data


class CreateForm(_PermitFields):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    risk_identification = forms.CharField(label=_("Risk identification result"), required=False, max_length=4000,
                                          widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=user,
                                                           label=_("Enterprise"))
        self.order_fields(["enterprise"])
        self.add_kind_fields(kind)


class EditForm(ActionForm, _PermitFields):
    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        if not self.is_bound:
            for name in ("applicant_unit", "work_unit", "content", "location", "planned_start", "planned_end"):
                self.initial[name] = getattr(obj, name)
            self.initial["related_numbers"] = " ".join(obj.related_numbers)
            for key, value in obj.details.items():
                listed = isinstance(value, list) and not any(f.key == key and f.choices
                                                             for f in checks.detail_fields(obj.kind))
                self.initial[f"details-{key}"] = "\n".join(value) if listed else value
            others = 0
            for person in obj.people.all():
                if person.role in ("work_leader", "watchperson") and not self.initial.get(person.role):
                    self.initial[person.role] = person.name
                elif others < PEOPLE_ROWS:
                    for name in ("role", "name", "certificate_number", "certificate_issued_on",
                                 "certificate_last_review_on"):
                        self.initial[f"person-{others}-{name}"] = getattr(person, name)
                    others += 1
        self.add_kind_fields(obj.kind)


class IdentifyForm(ActionForm):
    risk_identification = forms.CharField(label=_("Risk identification result"), max_length=4000,
                                          widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class GasTestForm(ActionForm):
    sampled_at = forms.DateTimeField(label=_("Sampled at"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    sample_point = forms.CharField(label=_("Sampling point"), max_length=100)
    representative_gas = forms.CharField(label=_("Representative gas"), max_length=50)
    lel_percent = forms.DecimalField(label=_("Lower explosive limit (%)"), max_digits=6, decimal_places=3,
                                     min_value=0)
    result_percent = forms.DecimalField(label=_("Flammable concentration (% vol)"), max_digits=7,
                                        decimal_places=4, min_value=0)
    oxygen_percent = forms.DecimalField(label=_("Oxygen (% vol)"), max_digits=5, decimal_places=2, min_value=0,
                                        required=False)
    toxic_gas = forms.CharField(label=_("Toxic gas"), max_length=50, required=False)
    toxic_value = forms.CharField(label=_("Toxic gas result"), max_length=50, required=False)
    analyst = forms.CharField(label=_("Analyst"), max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ConfirmMeasuresForm(ActionForm):
    """是否涉及 / 确认人 for each numbered measure of the form, then 其他安全措施 and its author."""

    other_measures = forms.CharField(label=_("Other safety measures"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    other_author = forms.CharField(label=_("Written by"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbered = [m for m in self.obj.measures.all() if not m.is_other]
        for measure in self.numbered:
            self.fields[f"involved-{measure.number}"] = forms.TypedChoiceField(
                label=f"{measure.number}. {measure.text}", choices=[("", "---------"), ("yes", _("Involved")),
                                                                   ("no", _("Not involved"))],
                coerce=lambda value: value == "yes", empty_value=None, required=True)
            self.fields[f"confirmed_by-{measure.number}"] = forms.CharField(label=_("Confirmed by"), max_length=50,
                                                                            required=False)
        self.order_fields([*(name for m in self.numbered for name in (f"involved-{m.number}",
                                                                      f"confirmed_by-{m.number}")),
                           "other_measures", "other_author"])
        style(self)

    def measure_rows(self):
        return [(m, self[f"involved-{m.number}"], self[f"confirmed_by-{m.number}"]) for m in self.numbered]

    def clean(self):
        data = super().clean()
        data["measures"] = [{"number": m.number, "involved": data.pop(f"involved-{m.number}", None),
                             "confirmed_by": data.pop(f"confirmed_by-{m.number}", "")} for m in self.numbered]
        return data


class BriefForm(ActionForm):
    briefed_by = forms.CharField(label=_("Briefed by"), max_length=50)
    briefed_to = forms.CharField(label=_("Briefed to"), max_length=1000, help_text=_("One name per line."),
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean_briefed_to(self):
        return [line.strip() for line in self.cleaned_data["briefed_to"].splitlines() if line.strip()]


class SignForm(ActionForm):
    """The next signature of the form's chain, drawn on screen; the approver's level and position, the video link
    at the acceptance of special hot work."""

    name = forms.CharField(label=_("Name"), max_length=50)
    opinion = forms.CharField(label=_("Opinion"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Approves as"), choices=[("", "---------"), *ApproverLevel.choices],
                              required=False)
    video_url = forms.URLField(label=_("Video record link"), max_length=500, required=False, assume_scheme="https")
    image = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400_000)
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180)
    accuracy_m = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0, max_value=100_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        following = chains.next_step(self.obj.kind, {s.step for s in self.obj.signatures.all()})
        self.step = following
        if following is None or not following.approves:
            del self.fields["level"]
        if following is None or not (following.acceptance and self.obj.video_required):
            del self.fields["video_url"]
        style(self)

    def clean_latitude(self):
        value = self.cleaned_data["latitude"]
        return None if value is None else round(value, 6)

    def clean_longitude(self):
        value = self.cleaned_data["longitude"]
        return None if value is None else round(value, 6)

    def clean_image(self):
        try:
            return decode_signature(self.cleaned_data["image"], field="image")
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["image"]) from exc


class FileForm(ActionForm):
    note = forms.CharField(label=_("Note to the bureau"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class RequiredReasonForm(ReasonForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class EmptyForm(ActionForm):
    pass


class PhotoForm(ActionForm):
    measure = forms.IntegerField(label=_("Measure number"), min_value=1, max_value=100, required=False)
    photos = MultipleFileField(label=_("Photos"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
