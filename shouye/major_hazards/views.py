"""Pages: the installations list (the enterprise's own, the supervisors' district by grade), its Excel export,
registering one, its page with the acts its user may take now, and the public notice board PDF."""

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
from shouye.core.downloads import PDF, download
from shouye.core.filters import valid_filterset
from shouye.core.views import ScopedDetailView, ScopedListView
from shouye.enterprises.masking import sees_personal_data
from shouye.rules.identifiers import mask_phone
from shouye.rules.major_hazard import load_tables

from . import actions, board, duties, exports, forms, selectors, services
from .choices import PersonRole
from .filters import InstallationFilter
from .models import DutyItem, MajorHazardInstallation
from .workflow import EXPORT, MANAGE, VIEW

CHANGE_DUTY_ITEM = "major_hazards.change_dutyitem"


class InstallationListView(ScopedListView):
    """The installations the user sees, filtered by township, industry, grade, kind and state, each with its
    responsible persons' overdue duties."""

    model = MajorHazardInstallation
    template_name = "major_hazards/list.html"
    filterset_class = InstallationFilter
    ordering_options = {"grade": "grade", "name": "name", "due": "next_assessment_due"}
    default_ordering = "-id"

    def scoped_queryset(self, qs):
        return qs.select_related("enterprise", "township")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm(MANAGE)
        context["can_export"] = self.request.user.has_perm(EXPORT)
        rows = list(context["object_list"])
        overdue = selectors.overdue_by_installation(self.request.user, [row.pk for row in rows])
        for row in rows:
            row.overdue_duties = overdue.get(row.pk, 0)
        context["object_list"] = rows
        return context


@login_required
@require_GET
def installation_export(request):
    """Excel of exactly the filtered list (core xlsx writer)."""
    if not (request.user.has_perm(VIEW) and request.user.has_perm(EXPORT)):
        raise PermissionDenied
    try:
        filterset = valid_filterset(InstallationFilter, request.GET, selectors.installations(request.user),
                                    request)
    except ValidationError:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('major_hazards:list')}?{request.GET.urlencode()}")
    content, filename = exports.export_installations(actor=request.user, queryset=filterset.qs.order_by("grade", "id"), filters=request.GET)
    return download(content, filename, content_type=exports.XLSX_CONTENT_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def installation_create(request):
    """Register an installation of an enterprise the user manages; its substances are added on its page."""
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    form = forms.CreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            installation = services.create_installation(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The installation is registered. Now list its substances."))
            return redirect("major_hazards:detail", pk=installation.pk)
    return render(request, "major_hazards/create.html", {"form": form}, status=400 if form.errors else 200)


def phone_for(user, phone: str) -> str:
    return phone if sees_personal_data(user) else mask_phone(phone)


def installation_page(request, installation: MajorHazardInstallation,
                      state: PageState = FIRST_VIEW) -> tuple[str, dict]:
    """The installation: its identification with basis and inputs, substances (q/Q), responsible persons and
    their history, each current person's duty tasks (last done, next due, missed and overdue, the instance to
    do now), the notice board, and a form for each act offered now."""
    available = actions.INSTALLATION.available(request.user, installation)
    action_forms = []
    for name, act in actions.INSTALLATION.actions.items():
        if name not in available or name == "remove-substance":
            continue
        is_bound = state.form is not None and state.action == name
        action_forms.append({"action": name, "title": act.title, "button": act.button,
                             "form": state.form if is_bound else core_actions.unbound(act, request, installation),
                             "url": reverse(f"major_hazards:{name}", kwargs={"pk": installation.pk}),
                             "open": is_bound})
    substances = list(installation.substances.all())
    role_order = {role: n for n, role in enumerate(PersonRole.values)}
    persons = sorted(installation.persons.all(), key=lambda p: (role_order[p.role], p.ended_on is not None))
    current = [p for p in persons if p.ended_on is None]
    rows = selectors.duty_tasks(request.user, installation)
    duty_groups = [{"person": person,
                    "rows": [(row, duties.due_day(row.next_due) if row.next_due else None)
                             for row in rows if row.person_id == person.pk],
                    "overdue": sum(row.overdue for row in rows if row.person_id == person.pk)}
                   for person in current]
    return "major_hazards/detail.html", {
        "installation": installation,
        "substances": [(line, (line.quantity_t / line.critical_quantity_t) if line.critical_quantity_t else None)
                       for line in substances],
        "current_persons": [(p, phone_for(request.user, p.phone)) for p in current],
        "past_persons": [(p, phone_for(request.user, p.phone)) for p in persons if p.ended_on is not None],
        "duty_groups": duty_groups,
        "overdue_count": sum(row.overdue for row in rows),
        "can_remove": "remove-substance" in available,
        "action_forms": action_forms,
        "refusal": state.refusal,
        "timeline": timeline(installation),
        "table1_names": [s.name for s in load_tables().substances],
    }


class InstallationDetailView(ScopedDetailView):
    model = MajorHazardInstallation
    template_name = "major_hazards/detail.html"

    def scoped_queryset(self, qs):
        return selectors.installation_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(installation_page(self.request, self.object)[1])
        return context


@login_required
@require_GET
def notice_board(request, pk):
    """The public notice board (公示牌) of an installation as an A4 PDF."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    installation = get_object_or_404(selectors.installation_detail(request.user), pk=pk)
    return download(board.render_pdf(installation), f"board-{installation.pk}.pdf", content_type=PDF, inline=True)


@login_required
@require_GET
def duty_items(request):
    """The responsible persons' task lists (principal 1–9, technical 1–9, operational 1–10) the bureau edits."""
    if not request.user.has_perm(CHANGE_DUTY_ITEM):
        raise PermissionDenied
    return render(request, "major_hazards/duty_items.html",
                  {"items": DutyItem.objects.order_by("role", "number")})


@login_required
@require_http_methods(["GET", "POST"])
def duty_item(request, pk):
    """Edit one duty item (its text, frequency, flags), audited."""
    if not request.user.has_perm(CHANGE_DUTY_ITEM):
        raise PermissionDenied
    item = get_object_or_404(DutyItem, pk=pk)
    initial = {"text": item.text, "frequency_days": item.frequency_days,
               "before_key_periods": item.before_key_periods, "active": item.active}
    form = forms.DutyItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_duty_item(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            core_actions.apply_errors(form, exc)
        else:
            messages.success(request, _("The duty item is saved."))
            return redirect("major_hazards:duty-items")
    return render(request, "major_hazards/duty_item.html", {"item": item, "form": form},
                  status=400 if form.errors else 200)
