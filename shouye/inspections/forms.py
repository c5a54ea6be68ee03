"""Input shapes of the inspection pages. Choices of every foreign key come from the user's scope; the
business rules (two enforcement officers, the checklist snapshot …) are the services'."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouye.accounts.choices import OrganisationKind, Role
from shouye.accounts.models import Organisation, User
from shouye.accounts.selectors import users_with_role
from shouye.core import actions, signatures
from shouye.core.forms import ModelMultipleChoiceField, ScopedModelChoiceField
from shouye.enterprises.models import Enterprise
from shouye.hazards.choices import HazardLevel

from .choices import DeliveryMethod, DocumentKind, InspectionKind, InspectionState, ItemResult
from .models import Checklist, Document, Inspection
from .selectors import suggested_checklists
from .services import draft_hazards
from .workflow import OFFICER_ROLES, is_officer

#: The deadline the rectification-order form proposes; the officer sets the real one.
DEFAULT_DEADLINE_DAYS = 15


def people_with_roles(*roles):
    return (User.objects.filter(is_active=True, memberships__active=True, memberships__role__in=roles)
            .distinct().order_by("display_name", "username"))


def style(form: forms.Form) -> None:
    """Bootstrap classes on every widget but the check boxes."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def inspector_choices(user):
    """The officers ``user`` is offered as inspectors: a township officer its own township's officers, a
    department officer its own department's, the bureau (its sections and squads) the bureau's people; the
    user itself always. Whether each may inspect the chosen enterprise is the service's check."""
    people = Q(pk=user.pk)
    for membership in user.active_memberships():
        if membership.role == Role.TOWNSHIP_OFFICER and membership.region_id:
            people |= Q(memberships__active=True, memberships__role=Role.TOWNSHIP_OFFICER,
                        memberships__region=membership.region_id)
        elif membership.role == Role.DEPARTMENT_OFFICER and membership.organisation_id:
            people |= Q(memberships__active=True, memberships__role=Role.DEPARTMENT_OFFICER,
                        memberships__organisation=membership.organisation_id)
        elif membership.role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF):
            people |= Q(memberships__active=True, memberships__role__in=(Role.BUREAU_ADMIN, Role.BUREAU_STAFF))
    return (people_with_roles(*OFFICER_ROLES).filter(people)
            .distinct().order_by("display_name", "username"))


class PersonChoice(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class InspectorChoice(PersonChoice):
    """An inspector by name with the enforcement certificate number (执法证号) the documents print."""

    def label_from_instance(self, obj):
        if obj.enforcement_certificate_no:
            return _("%(name)s (certificate %(number)s)") % {"name": obj, "number": obj.enforcement_certificate_no}
        return _("%(name)s (no enforcement certificate number)") % {"name": obj}


class EnterpriseSearchInput(forms.TextInput):
    """The enterprise's id, chosen by searching its name, credit code or address (inspection.js): a
    district's 100,000 enterprises cannot be a drop-down list."""

    input_type = "hidden"


class InspectionForm(forms.Form):
    """Start an inspection. ``enterprise`` and ``reinspection_of`` are declared here for their place in the
    form and made in __init__ from what the user may see."""

    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    checklist = forms.ModelChoiceField(label=_("Checklist"), required=False,
                                       queryset=Checklist.objects.filter(is_active=True),
                                       help_text=_("Not used by a re-inspection, which checks the earlier "
                                                   "inspection's hazards."))
    reinspection_of = forms.ModelChoiceField(queryset=Inspection.objects.none())
    inspected_at = forms.DateTimeField(label=_("Date and time"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                  format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Place inspected"), max_length=200, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False,
                              help_text=_("For example the special campaign it belongs to."))
    inspectors = InspectorChoice(label=_("Inspectors"), required=False, queryset=User.objects.none(),
                                 widget=forms.CheckboxSelectMultiple)
    experts = PersonChoice(label=_("Experts"), required=False, queryset=User.objects.none(),
                           widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = ScopedModelChoiceField(
            Enterprise.objects.select_related("township", "industry"), user=user, label=_("Enterprise"),
            widget=EnterpriseSearchInput)
        self.fields["reinspection_of"] = ScopedModelChoiceField(
            Inspection.objects.filter(state=InspectionState.FINISHED, items__hazard__isnull=False)
            .select_related("enterprise").distinct().order_by("-inspected_at"), user=user,
            label=_("Re-inspection of"), required=False)
        self.fields["inspectors"].queryset = inspector_choices(user)
        self.fields["experts"].queryset = people_with_roles(Role.EXPERT)
        if not is_officer(user):
            self.fields["kind"].choices = [(InspectionKind.EXPERT, InspectionKind.EXPERT.label)]
        if not self.is_bound:
            chosen = self.chosen_enterprise()
            if chosen is not None and "checklist" not in self.initial:
                suggested = suggested_checklists([chosen.industry_id]).get(chosen.industry_id)
                self.initial["checklist"] = suggested.pk if suggested else None
            self.initial.setdefault("inspected_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("inspectors", [user] if is_officer(user) else [])
            self.initial.setdefault("experts", [user] if not is_officer(user) else [])
        style(self)

    def chosen_enterprise(self) -> Enterprise | None:
        """The enterprise given (bound or initial) if the user may see it: its name shows in the picker."""
        value = self["enterprise"].value()
        if not str(value or "").isdigit():
            return None
        return self.fields["enterprise"].queryset.filter(pk=int(value)).first()


def parse_results(data, files, items) -> tuple[list[dict], dict]:
    """The record page's fields per item (``result-<id>``, ``finding-<id>``, ``location-<id>``,
    ``photos-<id>``) and the general ``photos``, as the arguments of services.record_results."""
    results, photos = [], {}
    for item in items:
        row = {"item": item.pk}
        for field in ("result", "finding", "location"):
            value = data.get(f"{field}-{item.pk}")
            if value is not None:
                row[field] = value
        if len(row) > 1:
            results.append(row)
        uploads = files.getlist(f"photos-{item.pk}")
        if uploads:
            photos[item.pk] = uploads
    if files.getlist("photos"):
        photos[None] = files.getlist("photos")
    return results, photos


def parse_drafts(data, items) -> dict:
    """The confirmation page's draft hazards (``description-<id>``, ``level-<id>``, ``location-<id>``)."""
    drafts = {}
    for item in items:
        draft = {field: data[f"{field}-{item.pk}"] for field in ("description", "level", "location")
                 if f"{field}-{item.pk}" in data}
        if draft:
            drafts[item.pk] = draft
    return drafts


RESULT_CHOICES = [(ItemResult.COMPLIANT, ItemResult.COMPLIANT.label),
                  (ItemResult.NON_COMPLIANT, ItemResult.NON_COMPLIANT.label),
                  (ItemResult.NOT_APPLICABLE, ItemResult.NOT_APPLICABLE.label)]
LEVEL_CHOICES = HazardLevel.choices


class RecordForm(actions.ActionForm):
    """The record page's input: per item the result, finding, location and photos (:func:`parse_results`),
    photos of the inspection as a whole, and the notes (absent: unchanged)."""

    def clean(self):
        results, photos = parse_results(self.data, self.files, self.obj.items.all())
        return {"results": results, "photos": photos, "notes": self.data.get("notes")}


class FinishForm(actions.ActionForm):
    """The confirmation page's input: the draft hazards as the officer edited them."""

    def clean(self):
        return {"drafts": parse_drafts(self.data, draft_hazards(self.obj))}


class DocumentForm(actions.ActionForm):
    """Issue (or preview) a document: its kind and contents, and the signatures drawn on screen: one pad
    per inspector of the inspection (``signature-<user id>``) and one for the enterprise's person
    (core.signatures.SignatureField, cleaned to the PNG bytes). A pad left empty keeps the blank line in the
    PDF for a pen."""

    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    deadline = forms.DateField(label=_("Rectification deadline"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=_("Required for a rectification order."))
    opinion = forms.CharField(label=pgettext_lazy("form field, not the document", "Re-inspection opinion"),
                              required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required for a re-inspection opinion; the remarks of a delivery "
                                          "receipt."))
    served_document = forms.ModelChoiceField(label=_("Document served"), required=False,
                                             queryset=Document.objects.none(),
                                             help_text=_("For a delivery receipt."))
    delivery_method = forms.ChoiceField(label=_("Delivery method"), required=False,
                                        choices=[("", "—"), *DeliveryMethod.choices],
                                        help_text=_("For a delivery receipt."))
    delivery_place = forms.CharField(label=_("Place of delivery"), max_length=200, required=False,
                                     help_text=_("For a delivery receipt; the enterprise's address when empty."))
    recipient_name = forms.CharField(label=_("Received by"), max_length=60, required=False,
                                     help_text=_("The enterprise's person who signs for the document."))
    recipient_signature = signatures.SignatureField(label=_("Signature of the recipient"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("deadline", timezone.localdate() + timedelta(days=DEFAULT_DEADLINE_DAYS))
        self.fields["served_document"].queryset = (
            Document.objects.filter(inspection=self.obj).exclude(kind=DocumentKind.DELIVERY_RECEIPT)
            .order_by("-issued_at"))
        self.signers = [*self.obj.inspectors.all(), *self.obj.experts.all()]
        for user in self.signers:
            self.fields[f"signature-{user.pk}"] = signatures.SignatureField(
                label=_("Signature of %(name)s") % {"name": user})
        style(self)

    def signature_pads(self) -> list[dict]:
        """The pads the page draws after the other fields: each inspector's, then the recipient's."""
        pads = [{"field": self[f"signature-{user.pk}"], "certificate": user.enforcement_certificate_no}
                for user in self.signers]
        return [*pads, {"field": self["recipient_signature"], "certificate": ""}]

    def detail_fields(self) -> list:
        """The visible fields other than the pads."""
        return [field for field in self.visible_fields() if not isinstance(field.field, signatures.SignatureField)]

    def clean(self):
        data = super().clean()
        signatures = {user.pk: data.pop(f"signature-{user.pk}", "") for user in self.signers}
        data["inspector_signatures"] = {pk: value for pk, value in signatures.items() if value}
        return data


class GeneratePlansForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class PlanForm(forms.Form):
    inspections_due = forms.IntegerField(label=_("Inspections due"), min_value=0, max_value=365)
    squad = forms.ModelChoiceField(label=_("Enforcement squad"), required=False,
                                   queryset=Organisation.objects.filter(kind=OrganisationKind.SQUAD))
    officer = forms.ModelChoiceField(label=_("Township officer"), required=False, queryset=User.objects.none())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = users_with_role(Role.TOWNSHIP_OFFICER, township=plan.township_id).order_by(
            "display_name", "username")
        if not self.is_bound:
            self.initial.update(inspections_due=plan.inspections_due, squad=plan.squad_id, officer=plan.officer_id)
        style(self)
