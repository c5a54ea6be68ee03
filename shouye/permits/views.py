"""Pages of the enterprise's permits: the list (filters shared with the API), filling in a permit of a kind,
the permit's page with its measures, gas tests, people, signatures, timeline and the acts its user may take
now (signing on screen in the form's order), and the watchperson's view (validity countdown, big buttons)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shouye.audit.selectors import timeline
from shouye.core import actions as core_actions
from shouye.core.actions import FIRST_VIEW, PageState
from shouye.core.exceptions import InvalidTransition
from shouye.core.views import ScopedDetailView, ScopedListView

from . import actions, chains, forms, selectors, services
from .choices import PermitKind
from .filters import PermitFilter
from .models import SpecialOperationPermit
from .services import checks
from .workflow import ISSUE, WATCH

#: The acts the watchperson's view offers as big buttons.
WATCH_ACTS = ("start", "suspend", "resume", "revoke")
#: Acts shown on the permit's page with a signature pad.
SIGNING_ACTS = ("sign", "approve", "check", "accept")


class PermitListView(ScopedListView):
    """The permits the user sees, filtered by township, industry, kind, state, grade, source and problems."""

    model = SpecialOperationPermit
    template_name = "permits/list.html"
    filterset_class = PermitFilter
    ordering_options = {"applied": "applied_at", "start": "planned_start", "number": "number"}
    default_ordering = "-applied_at"

    def scoped_queryset(self, qs):
        return qs.select_related("enterprise", "township")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm(ISSUE)
        context["kinds"] = PermitKind.choices
        return context


@login_required
@require_http_methods(["GET", "POST"])
def permit_create(request):
    """Fill in a permit of the kind in ``?kind=`` (or the form's ``kind``): the form's own fields, the people,
    the times; the rules decide the grade, the validity and the approver level as it is saved (refusals name
    the field). Without a kind the list offers the eight."""
    if not request.user.has_perm(ISSUE):
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind")
    if kind not in PermitKind.values:
        return redirect("permits:list")
    form = forms.CreateForm(request.POST or None, user=request.user, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            permit = services.create_permit(actor=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, _as_form_errors(exc))
        else:
            messages.success(request, _("The permit is saved as a draft: %(number)s.") % {"number": permit.number})
            return redirect("permits:detail", pk=permit.pk)
    return render(request, "permits/form.html", {"form": form, "kind": kind, "kind_label": PermitKind(kind).label},
                  status=400 if form.errors else 200)


def _as_form_errors(exc: ValidationError) -> ValidationError:
    """The services' field names on the form's: ``details.<key>`` → ``details-<key>``, ``people[i]…`` on the
    people rows' section."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors = {}
    for name, field_errors in exc.message_dict.items():
        key = name.replace("details.", "details-") if name.startswith("details.") else name
        if name.startswith("people["):
            key = None
        errors.setdefault(key or "__all__", []).extend(field_errors)
    return ValidationError(errors)


def permit_page(request, permit: SpecialOperationPermit, state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The permit with its measures, gas tests, people, signatures, timeline and a form for each act offered
    now; a refused act shows here with its messages."""
    available = actions.PERMIT.available(request.user, permit)
    signatures = list(permit.signatures.all())
    following = chains.next_step(permit.kind, {s.step for s in signatures})
    expected = services.act_of(following) if following is not None else ""
    action_forms = []
    for name, act in actions.PERMIT.actions.items():
        if name not in available or name == "edit" or (name in SIGNING_ACTS and name != expected):
            continue
        is_bound = state.form is not None and state.action == name
        form = state.form if is_bound else core_actions.unbound(act, request, permit)
        action_forms.append({"action": name, "title": act.title, "button": act.button, "form": form,
                             "url": reverse(f"permits:{name}", kwargs={"pk": permit.pk}), "open": is_bound,
                             "signing": name in SIGNING_ACTS})
    return "permits/detail.html", {
        "permit": permit, "detail_rows": detail_rows(permit), "measures": list(permit.measures.all()), "people": list(permit.people.all()),
        "gas_tests": list(permit.gas_tests.all()), "signatures": signatures,
        "chain": [(step, next((s for s in signatures if s.step == step.key), None))
                  for step in chains.chain(permit.kind)],
        "next_step": following, "action_forms": action_forms, "can_edit": "edit" in available,
        "refusal": state.refusal, "timeline": timeline(permit), "photos": list(permit.photos.all()),
    }


def detail_rows(permit: SpecialOperationPermit) -> list[tuple[str, str]]:
    """The kind's fields as the form labels them, with what was entered (booleans as yes, the unset left out)."""
    rows = []
    for field in checks.detail_fields(permit.kind):
        value = permit.details.get(field.key)
        if value in (None, "", [], False):
            continue
        labels = {str(key): str(label) for key, label in field.choices}
        if value is True:
            shown = _("Yes")
        elif isinstance(value, list):
            shown = "、".join(labels.get(item, item) for item in value)
        else:
            shown = labels.get(str(value), str(value))
        rows.append((str(field.label), shown))
    return rows


class PermitDetailView(ScopedDetailView):
    model = SpecialOperationPermit
    template_name = "permits/detail.html"

    def scoped_queryset(self, qs):
        return selectors.permit_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(permit_page(self.request, self.object)[1])
        return context


@login_required
@require_http_methods(["GET", "POST"])
def permit_edit(request, pk):
    """Edit a draft (its own page: the form of the kind)."""
    permit = get_object_or_404(selectors.permit_detail(request.user), pk=pk)
    if request.method == "POST":
        return core_actions.handle(request, actions.PERMIT, pk, "edit", page=_edit_page)
    try:
        actions.PERMIT.workflow.ensure_may(request.user, permit, "edit")
    except InvalidTransition as exc:
        template, context = permit_page(request, permit, PageState(action="edit",
                                                                   refusal=actions.PERMIT.refusal_message(exc)))
        return render(request, template, context, status=409)
    template, context = _edit_page(request, permit, FIRST_VIEW)
    return render(request, template, context)


def _edit_page(request, permit, state: PageState) -> tuple[str, dict]:
    form = state.form or core_actions.unbound(actions.PERMIT.actions["edit"], request, permit)
    return "permits/form.html", {"form": form, "permit": permit, "kind": permit.kind,
                                 "kind_label": permit.get_kind_display(), "refusal": state.refusal}


@login_required
@require_GET
def watch(request, pk):
    """The watchperson's view on the phone: the permit, its validity countdown, big buttons to start, suspend,
    resume or take the permit back."""
    permit = get_object_or_404(selectors.permit_detail(request.user), pk=pk)
    if not request.user.has_perm(WATCH):
        raise PermissionDenied
    available = actions.PERMIT.available(request.user, permit)
    buttons = [{"action": name, "title": actions.PERMIT.actions[name].title,
                "url": reverse(f"permits:{name}", kwargs={"pk": permit.pk}),
                "form": core_actions.unbound(actions.PERMIT.actions[name], request, permit)}
               for name in WATCH_ACTS if name in available]
    return render(request, "permits/watch.html", {"permit": permit, "buttons": buttons,
                                                  "people": list(permit.people.all())})
