"""Page inputs of the duty area (input shapes only; the services decide)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.accounts.models import User
from shouye.core.actions import ActionForm
from shouye.enterprises.models import Enterprise
from shouye.regions.models import Region
from shouye.regions.scoping import DISTRICT_WIDE_ROLES, scope_for

from . import selectors
from .choices import LogKind, ReportStage, UnitKind
from .models import Assignment, DutyLeave, DutyPosition, DutySeason, DutySetup, LogEntry, RotationMember

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Styled:
    """Bootstrap classes on the widgets (the duty templates render fields one by one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-control")


def unit_choices(user) -> list[tuple[str, str]]:
    """The units whose roster ``user`` keeps: the bureau (district-wide roles), their townships, their
    enterprises."""
    scope = scope_for(user)
    choices = []
    if scope.everything:
        choices.append((UnitKind.BUREAU.value, str(UnitKind.BUREAU.label)))
    for region in Region.objects.filter(pk__in=sorted(scope.region_ids)).order_by("name"):
        choices.append((f"township:{region.pk}", region.name))
    for enterprise in (Enterprise.objects.visible_to(user).filter(pk__in=sorted(scope.enterprise_ids))
                       .order_by("name")):
        choices.append((f"enterprise:{enterprise.pk}", enterprise.name))
    return choices


def parse_unit(user, value: str) -> dict:
    """The service's unit arguments for a chosen unit (only among ``unit_choices``)."""
    if value == UnitKind.BUREAU:
        return {"unit_kind": UnitKind.BUREAU}
    kind, _sep, pk = value.partition(":")
    if kind == "township":
        return {"unit_kind": UnitKind.TOWNSHIP, "township": Region.objects.get(pk=int(pk))}
    return {"unit_kind": UnitKind.ENTERPRISE, "enterprise": Enterprise.objects.visible_to(user).get(pk=int(pk))}


class RosterCreateForm(Styled, forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    duty_phone = forms.CharField(label=_("Duty phone"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].choices = unit_choices(user)
        today = timezone.localdate()
        self.fields["year"].initial, self.fields["month"].initial = today.year, today.month

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {**parse_unit(self.user, data["unit"]), "year": data["year"], "month": data["month"],
                "duty_phone": data["duty_phone"]}


class GenerateForm(Styled, ActionForm):
    """A township's or enterprise's people in rotation order, one per line: position, name, phone (blank:
    those of its previous month). The bureau's roster has no such field (its rotation lists)."""

    people = forms.CharField(
        label=_("People on duty"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One person per line, in rotation order: position, name, phone (for example: 带班领导 张三 "
                    "13800000000). Left blank, the people of your previous month are taken."))

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        if obj.unit_kind == UnitKind.BUREAU:
            del self.fields["people"]
        else:
            self.fields["people"].initial = "\n".join(
                f"{row.position.name} {row.name} {row.phone}".strip() for row in selectors.unit_previous_month(obj))

    def clean_people(self):
        ordered = list(DutyPosition.objects.order_by("order", "id"))
        positions = {key: position for position in ordered for key in (position.code, position.name)}
        people = []
        for number, line in enumerate(self.cleaned_data["people"].splitlines(), start=1):
            words = line.replace(",", " ").replace("，", " ").split()
            if not words:
                continue
            if len(words) > 3 or words[0] not in positions or len(words) < 2:
                raise forms.ValidationError(
                    _("Line %(number)d: write the position (%(positions)s), the name and the phone.")
                    % {"number": number, "positions": "、".join(p.name for p in ordered)})
            phone = words[2] if len(words) == 3 else ""
            if len(words[1]) > 60 or len(phone) > 20:
                raise forms.ValidationError(_("Line %(number)d: the name or the phone is too long.")
                                            % {"number": number})
            people.append({"position": positions[words[0]], "name": words[1], "phone": phone})
        return people


class PublishForm(Styled, ActionForm):
    pass


class AddAssignmentForm(Styled, ActionForm):
    day = forms.DateField(label=_("Day"), widget=DATE)
    position = forms.ModelChoiceField(label=_("Position"), queryset=DutyPosition.objects.order_by("order"))
    user = forms.ModelChoiceField(label=_("Bureau member"), required=False, queryset=User.objects.filter(
        is_active=True, memberships__active=True, memberships__role__in=sorted(DISTRICT_WIDE_ROLES)).distinct()
        .order_by("username"))
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        if obj.unit_kind != UnitKind.BUREAU:
            del self.fields["user"]


class RemoveAssignmentForm(Styled, ActionForm):
    assignment = forms.ModelChoiceField(label=_("Assignment"), queryset=Assignment.objects.none())

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["assignment"].queryset = obj.assignments.all()


class RequestSwapForm(Styled, ActionForm):
    mine = forms.ModelChoiceField(label=_("My shift"), queryset=Assignment.objects.none())
    theirs = forms.ModelChoiceField(label=_("Colleague's shift"), queryset=Assignment.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        rows = obj.assignments.select_related("position")
        self.fields["mine"].queryset = rows.filter(user=user)
        self.fields["theirs"].queryset = rows.exclude(user=user).exclude(user__isnull=True)


class NoteForm(Styled, ActionForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CloseEntryForm(Styled, ActionForm):
    outcome = forms.CharField(label=_("Outcome"), max_length=200)


class EntryForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LogKind.choices)
    occurred_at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    counterpart = forms.CharField(label=_("Caller or unit"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                              help_text=_("For a report: time, place, unit, contact, source, kind of event, "
                                          "casualties, first loss estimate, extent, trend and what is being "
                                          "done (山东省突发事件应对条例 Art. 29)."))
    report_stage = forms.ChoiceField(label=_("Report stage"), choices=[("", "—"), *ReportStage.choices],
                                     required=False)
    follows = forms.ModelChoiceField(label=_("Follows the report"), required=False,
                                     queryset=LogEntry.objects.exclude(report_stage="").order_by("-occurred_at"))
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class HandoverForm(Styled, forms.Form):
    shift_day = forms.DateField(label=_("Shift handed over"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                            required=False)


class PositionForm(Styled, forms.ModelForm):
    class Meta:
        model = DutyPosition
        fields = ["name", "order", "is_leader", "is_standby", "per_shift", "reinforced_extra"]


class SetupForm(Styled, forms.ModelForm):
    class Meta:
        model = DutySetup
        fields = ["handover_time", "duty_phone", "reinforce_eve", "reinforce_day_after"]


class SeasonForm(Styled, forms.ModelForm):
    class Meta:
        model = DutySeason
        fields = ["name", "kind", "starts_on", "ends_on", "standby_per_day"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class LeaveForm(Styled, forms.ModelForm):
    class Meta:
        model = DutyLeave
        fields = ["user", "first_day", "last_day", "reason"]
        widgets = {"first_day": DATE, "last_day": DATE}


class RotationForm(Styled, forms.ModelForm):
    class Meta:
        model = RotationMember
        fields = ["position", "user", "order", "active"]
