import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shouye.audit.selectors import timeline
from shouye.core.downloads import XLSX, download
from shouye.core.filters import valid_filterset
from shouye.core.registry import enterprise_panels
from shouye.core.views import ScopedDetailView, ScopedListView

from . import services
from .choices import Source
from .exports import export_enterprises
from .filters import EnterpriseFilter
from .forms import EnterpriseForm, LicenceFormSet, PersonFormSet, rows_of
from .masking import person_contact, sees_personal_data
from .models import Enterprise, EnterprisePerson, Licence
from .selectors import enterprise_detail, enterprise_list, filter_choices


class EnterpriseListView(ScopedListView):
    model = Enterprise
    filterset_class = EnterpriseFilter
    template_name = "enterprises/list.html"
    ordering_options = {"name": "name", "credit_code": "credit_code", "township": "township__code",
                        "industry": "industry__order", "grade": "supervision_grade__code",
                        "employees": "employees", "updated": "updated_at"}

    def scoped_queryset(self, qs):
        return enterprise_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["choices"] = filter_choices(self.request.user, self.filterset.reference)
        return context


class EnterpriseDetailView(ScopedDetailView):
    """The one-enterprise ledger page (一企一账): profile, people, licences, tags, map, the panels other
    apps register, and the timeline."""

    model = Enterprise
    template_name = "enterprises/detail.html"

    def scoped_queryset(self, qs):
        return enterprise_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        user = self.request.user
        context["people"] = [(person, person_contact(person, user)) for person in enterprise.people.all()]
        context["sees_personal_data"] = sees_personal_data(user)
        context["panels"] = [(panel, panel.context(self.request, enterprise))
                             for panel in enterprise_panels.for_object(user, enterprise)]
        context["timeline"] = timeline(enterprise)
        context["can_edit"] = user.has_perm("enterprises.change_enterprise")
        return context


def _save(request, enterprise=None):
    if enterprise is None and not request.user.has_perm("enterprises.add_enterprise"):
        raise PermissionDenied
    if enterprise is not None and not request.user.has_perm("enterprises.change_enterprise"):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = EnterpriseForm(data, instance=enterprise, user=request.user)
    if enterprise is None and data is None:
        _prefill(form, request.GET)
    initial_people = [{f: getattr(p, f) for f in services.PERSON_FIELDS} for p in enterprise.people.all()] \
        if enterprise else []
    initial_licences = [{f: getattr(lic, f) for f in services.LICENCE_FIELDS} for lic in enterprise.licences.all()] \
        if enterprise else []
    people = PersonFormSet(data, prefix="people", initial=None if data else initial_people)
    licences = LicenceFormSet(data, prefix="licences", initial=None if data else initial_licences)
    errors = {}
    # Every part is checked, so one round trip shows all mistakes (the enterprise's and its rows').
    valid = [part.is_valid() for part in (form, people, licences)] if data is not None else [False]
    if all(valid):
        values = {f: form.cleaned_data[f] for f in services.EDITABLE_FIELDS}
        try:
            if enterprise is None:
                saved = services.create_enterprise(actor=request.user, data=values, people=rows_of(people),
                                                   licences=rows_of(licences), tags=list(form.cleaned_data["tags"]),
                                                   source=Source.MANUAL)
            else:
                saved = services.update_enterprise(actor=request.user, enterprise=enterprise, data=values,
                                                   people=rows_of(people), licences=rows_of(licences),
                                                   tags=list(form.cleaned_data["tags"]))
        except ValidationError as exc:
            errors = exc.message_dict
            for field, messages_ in errors.items():
                if field in form.fields:
                    form.add_error(field, messages_)
        else:
            messages.success(request, _("Saved."))
            return redirect("enterprises:detail", pk=saved.pk)
    elif data is not None and valid[1] and valid[2]:
        errors = services.row_errors(people=rows_of(people), licences=rows_of(licences))
    other_errors = {_error_label(k): v for k, v in errors.items() if k not in form.fields}
    return render(request, "enterprises/form.html", {
        "form": form, "people": people, "licences": licences, "enterprise": enterprise,
        "other_errors": other_errors,
    }, status=400 if data is not None else 200)


def _prefill(form, query) -> None:
    """A new enterprise's name, address and township (by code, among those the form offers the user) from
    the link that opens the form: the township officer registering the place a tip-off was about (the
    hazards app's check page)."""
    form.initial.update({key: query[key][:200] for key in ("name", "address") if query.get(key)})
    if query.get("township"):
        township = form.fields["township"].queryset.filter(code=query["township"][:20]).first()
        if township is not None:
            form.initial["township"] = township.pk


ROW_ERROR = re.compile(r"^(people|licences)\[(\d+)\]\.(\w+)$")


def _error_label(key: str) -> str:
    """``people[0].phone`` (a service's key for a row's field) as the form reads: 主要人员 第1行 · 手机号码."""
    match = ROW_ERROR.match(key)
    if not match:
        return key
    section, index, field = match.groups()
    model, title = (EnterprisePerson, _("Key people")) if section == "people" else (Licence, _("Licences"))
    try:
        field_label = model._meta.get_field(field).verbose_name
    except FieldDoesNotExist:
        field_label = field
    return _("%(section)s, row %(row)s · %(field)s") % {"section": title, "row": int(index) + 1,
                                                       "field": field_label}


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    return _save(request)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_update(request, pk):
    if not request.user.has_perm("enterprises.view_enterprise"):
        raise PermissionDenied
    enterprise = get_object_or_404(enterprise_detail(request.user), pk=pk)
    return _save(request, enterprise)


@login_required
@require_GET
def enterprise_export(request):
    if not request.user.has_perm("enterprises.export_enterprise"):
        raise PermissionDenied
    try:
        queryset = valid_filterset(EnterpriseFilter, request.GET, enterprise_list(request.user).order_by("id"),
                                   request=request).qs
    except ValidationError:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('enterprises:list')}?{request.GET.urlencode()}")
    with transaction.atomic():
        content, filename = export_enterprises(actor=request.user, queryset=queryset)
    return download(content, filename, content_type=XLSX)
