"""Input shapes of the pages; the rules (scope, high-risk designation, capacity, certificate dates) are the
services'."""

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from shouye.core.forms import ModelMultipleChoiceField, ScopedModelChoiceField, formset_factory
from shouye.enterprises.models import Enterprise
from shouye.risks.models import PlanZone

from .models import WorkArea, Worker, WorkerCertificate
from .services import AREA_FIELDS, CERTIFICATE_FIELDS, WORKER_FIELDS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _style(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        else:
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class _ShapeOnly(forms.ModelForm):
    """Field checks only: the service runs the model validation inside its transaction."""

    def _post_clean(self):
        pass

    def validate_unique(self):
        pass


def _enterprise_field(user) -> ScopedModelChoiceField:
    """The enterprise of a new record, among those the user sees; chosen already for the user of one enterprise."""
    field = ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=user, label=_("Enterprise"))
    first = list(field.queryset.values_list("pk", flat=True)[:2])
    if len(first) == 1:
        field.initial = first[0]
    return field


class WorkAreaForm(_ShapeOnly):
    class Meta:
        model = WorkArea
        fields = AREA_FIELDS
        widgets = {"assessed_on": _DATE, "hazards_present": forms.Textarea(attrs={"rows": 2}),
                   "assessment_reason": forms.Textarea(attrs={"rows": 2}),
                   "allowed_posts": forms.Textarea(attrs={"rows": 3}), "measures": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"] = ScopedModelChoiceField(
            PlanZone.objects.select_related("plan").order_by("plan__enterprise_id", "name", "id"), user=user,
            required=False, label=_("Zone on the plan"),
            help_text=_("The zone drawn on the enterprise's floor plan (a high-risk work area only)."))
        if not self.instance.pk:
            self.fields = {"enterprise": _enterprise_field(user), **self.fields}
        else:
            self.fields["zone"].queryset = self.fields["zone"].queryset.filter(
                plan__enterprise_id=self.instance.enterprise_id)
        _style(self)


class WorkerForm(_ShapeOnly):
    work_areas = ModelMultipleChoiceField(WorkArea.objects.none(), required=False, label=_("High-risk work areas"),
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Worker
        fields = WORKER_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = WorkArea.objects.visible_to(user).filter(high_risk=True).select_related("enterprise")
        if self.instance.pk:
            areas = areas.filter(enterprise_id=self.instance.enterprise_id)
            self.fields["work_areas"].initial = [area.pk for area in self.instance.work_areas.all()]
        else:
            self.fields = {"enterprise": _enterprise_field(user), **self.fields}
        self.fields["work_areas"].queryset = areas.order_by("enterprise__name", "name", "id")
        self.fields["id_number"].validators = []
        self.fields["phone"].validators = []
        _style(self)


class CertificateForm(_ShapeOnly):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


CertificateFormSet = formset_factory(
    modelform_factory(WorkerCertificate, form=CertificateForm, fields=CERTIFICATE_FIELDS,
                      widgets={"issued_on": _DATE, "last_review_on": _DATE}),
    label=_("Certificates"), extra=1, can_delete=True)


def rows_of(formset) -> list[dict]:
    """The filled, not-deleted rows of a formset, as dicts for the service."""
    return [{k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


