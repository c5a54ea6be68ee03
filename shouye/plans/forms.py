"""Page inputs of the plans' and drills' acts (input shapes only; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.accounts.models import Organisation
from shouye.core.actions import ActionForm
from shouye.core.forms import (
    ModelMultipleChoiceField,
    MultipleChoiceField,
    MultipleFileField,
    MultipleFileInput,
    ScopedModelChoiceField,
)
from shouye.enterprises.models import Enterprise
from shouye.enterprises.selectors import offered_limits
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from .choices import (
    LIVE_STATES,
    Audience,
    DocumentKind,
    DrillCategory,
    DrillKind,
    PlanKind,
    PlanTopic,
    ProblemOutcome,
    RevisionTrigger,
)
from .models import EmergencyPlan, PlanUnit
from .permissions import MANAGE_BUREAU, MANAGE_ENTERPRISE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Documents one upload attaches at most.
MAX_DOCUMENTS = 10
#: What the file picker offers (the service decides by content).
DOCUMENT_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ofd"


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("size", "5")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def _townships(user):
    """The townships a bureau user may keep plans for: a township officer its own."""
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")
    limit = offered_limits(user).get("township")
    return townships if limit is None else townships.filter(pk__in=sorted(limit))


class _Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class _PlanFields(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    topics = MultipleChoiceField(label=_("Topics"), choices=PlanTopic.choices, required=False,
                                 max_items=len(PlanTopic.choices), widget=forms.CheckboxSelectMultiple,
                                 help_text=_("The emergencies a special plan covers (at least one); a "
                                             "comprehensive or on-site plan names none."))
    audience = forms.ChoiceField(label=_("Published to"), choices=Audience.choices)
    summary = forms.CharField(label=_("Scope and summary"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class CreatePlanForm(_PlanFields):
    """An enterprise user names its enterprise; the bureau a township or a department, or neither for the
    district's own plan."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Every user may name an enterprise (one outside the scope is an invalid choice); only its users keep
        # its plans, which the service decides. The bureau's users are not offered the field.
        keeper = user.has_perm(MANAGE_ENTERPRISE)
        self.fields["enterprise"] = ScopedModelChoiceField(
            Enterprise.objects.order_by("name"), user=user, label=_("Enterprise"), required=keeper,
            widget=forms.Select if keeper else forms.HiddenInput)
        if user.has_perm(MANAGE_BUREAU):
            district_wide = offered_limits(user).get("township") is None
            self.fields["township"] = forms.ModelChoiceField(
                _townships(user), required=not district_wide, label=_("Township"),
                help_text=_("Leave empty for the district's or a department's plan.") if district_wide else "")
            if district_wide:
                self.fields["department"] = forms.ModelChoiceField(
                    Organisation.objects.filter(kind="department").order_by("name"), required=False,
                    label=_("Department"))
        self.order_fields(["enterprise", "township", "department"])
        _style(self)


class EditPlanForm(_Styled, ActionForm, _PlanFields):
    def __init__(self, *args, obj, user, **kwargs):
        kwargs.setdefault("initial", {name: getattr(obj, name) for name in ("kind", "title", "topics", "audience",
                                                                           "summary")})
        super().__init__(*args, obj=obj, user=user, **kwargs)


class PublishForm(_Styled, ActionForm):
    published_on = forms.DateField(label=_("Published on"), widget=DATE)


class FileForm(_Styled, ActionForm):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)
    filing_number = forms.CharField(label=_("Filing number"), max_length=50)


class EvaluateForm(_Styled, ActionForm):
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DATE)
    conclusion = forms.CharField(label=_("Conclusion"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviseForm(_Styled, ActionForm):
    trigger = forms.ChoiceField(label=_("Reason for revision"), choices=RevisionTrigger.choices)
    reason = forms.CharField(label=_("What changed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AttachForm(_Styled, ActionForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    files = MultipleFileField(label=_("Files (PDF, Word, Excel or OFD)"), max_items=MAX_DOCUMENTS,
                              widget=MultipleFileInput(attrs={"accept": DOCUMENT_ACCEPT}))


class CreateDrillForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=PlanUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind of drill"), choices=DrillKind.choices)
    planned_on = forms.DateField(label=_("Planned for"), widget=DATE)
    scope = forms.CharField(label=_("Scope"), max_length=200, required=False)
    plans = ModelMultipleChoiceField(label=_("Plans drilled"), queryset=EmergencyPlan.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = ScopedModelChoiceField(PlanUnit.objects.order_by("kind", "name"), user=user,
                                                     label=_("Unit"))
        self.fields["plans"] = ModelMultipleChoiceField(
            EmergencyPlan.objects.visible_to(user).filter(state__in=LIVE_STATES).select_related("unit")
            .order_by("unit__name", "kind", "id"), label=_("Plans drilled"))
        self.order_fields(["unit", "title", "kind", "planned_on", "scope", "plans"])
        _style(self)


class HoldForm(_Styled, ActionForm):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    participants = forms.IntegerField(label=_("Participants"), min_value=1, max_value=100_000)
    evaluation = forms.CharField(label=_("Evaluation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CancelDrillForm(_Styled, ActionForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


class ProblemForm(_Styled, ActionForm):
    description = forms.CharField(label=_("Problem"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ProblemOutcome.choices)
    plan = forms.ModelChoiceField(label=_("Plan to revise"), queryset=EmergencyPlan.objects.none(),
                                  required=False)

    def __init__(self, *args, obj, user, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["plan"].queryset = obj.plans.all()


class CategoryForm(_Styled, ActionForm):
    category = forms.ChoiceField(
        label=_("Drill category"), required=False,
        choices=[("", _("As derived from the registry")),
                 *((v, label) for v, label in DrillCategory.choices if v != DrillCategory.GOVERNMENT)])
