"""Investigation task pages: the tasks of the enterprise(s) in scope, setting one up (or the whole list at once),
one task with its recent instances, and the phone pages — "my investigations" and doing one instance, each
measure OK / not OK with a note and photos (390 px first).

Thin (ARCHITECTURE.md §4): objects come from ``visible_to`` (404 outside the scope), input from a form, every
act from one service call; a refusal is shown on the form (400) or as the current state (409), and nothing
changes."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouye.core.actions import apply_errors
from shouye.core.bounds import MAX_PHOTOS
from shouye.core.exceptions import InvalidTransition
from shouye.core.forms import ModelMultipleChoiceField, MultipleFileField, ScopedModelChoiceField
from shouye.enterprises.models import Enterprise
from shouye.hazards.choices import InvestigationType
from shouye.hazards.forms import MultiplePhotoInput, style

from ..choices import CheckOutcome, CycleUnit, InstanceState, TaskWorkType, WorkDayType
from ..generation import local_midnight
from ..models import (
    ControlMeasure,
    InvestigationTask,
    RiskPoint,
    TaskFrequencyDefault,
    TaskInstance,
)
from ..services import tasks as services

VIEW = "risks.view_investigationtask"
#: Instances a task's page lists (newest first) and "my investigations" shows per section.
RECENT = 30


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


# --- forms ---------------------------------------------------------------------------------------------------


class _ScheduleFields(forms.Form):
    """The schedule a task and the whole-list set-up share (REGULATIONS-2 §A.6 checkTask)."""

    work_day_type = forms.ChoiceField(label=gettext_lazy("On"), choices=WorkDayType.choices,
                                      initial=WorkDayType.EVERY_DAY)
    work_start = forms.TimeField(label=gettext_lazy("Working hours from"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 help_text=gettext_lazy("Required for a cycle in hours."))
    work_end = forms.TimeField(label=gettext_lazy("Working hours to"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    post = forms.CharField(label=gettext_lazy("Post"), max_length=100, required=False)


class TaskForm(_ScheduleFields):
    """One task of one risk point: its measures, type and frequency (a default of 应急〔2019〕78号 or one's
    own), days, hours, start and end, post and/or person."""

    measures = ModelMultipleChoiceField(ControlMeasure.objects.none(), label=gettext_lazy("Measures checked"),
                                        required=False, widget=forms.CheckboxSelectMultiple)
    all_measures = forms.BooleanField(label=gettext_lazy("All measures of the point"), required=False,
                                      initial=True)
    default = forms.ModelChoiceField(TaskFrequencyDefault.objects.all(), label=gettext_lazy("Default frequency"),
                                     required=False, empty_label=gettext_lazy("My own frequency"),
                                     help_text=gettext_lazy("Fills in the type and cycle below."))
    investigation_type = forms.ChoiceField(label=gettext_lazy("Investigation type"),
                                           choices=InvestigationType.choices, initial=InvestigationType.ROUTINE)
    cycle = forms.IntegerField(label=gettext_lazy("Cycle"), min_value=1, max_value=1000, required=False)
    cycle_unit = forms.ChoiceField(label=gettext_lazy("Cycle unit"), choices=CycleUnit.choices, initial=CycleUnit.DAY)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    assignee = forms.ModelChoiceField(None, label=gettext_lazy("Person"), required=False,
                                      empty_label=gettext_lazy("Anyone at the post"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False,
                            help_text=gettext_lazy("Left empty: the risk point and the type."))

    field_order = ["measures", "all_measures", "default", "investigation_type", "cycle", "cycle_unit",
                   "work_day_type", "work_start", "work_end", "starts_at", "ends_on", "post", "assignee", "title"]

    def __init__(self, *args, point: RiskPoint, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = (ControlMeasure.objects.visible_to(user)
                                            .filter(hazard_source__risk_point=point, is_active=True)
                                            .select_related("hazard_source").order_by("hazard_source__order",
                                                                                      "order", "pk"))
        self.fields["measures"].label_from_instance = lambda m: f"{m.hazard_source.name}：{m.description}"
        self.fields["assignee"].queryset = services.enterprise_people(point.enterprise_id)
        self.fields["assignee"].label_from_instance = lambda user: str(user)
        style(self)

    def clean(self):
        data = super().clean()
        default = data.get("default")
        if default is not None:
            data.update(investigation_type=default.investigation_type, cycle=default.cycle,
                        cycle_unit=default.cycle_unit)
        elif data.get("cycle") is None and "cycle" not in self.errors:
            self.add_error("cycle", _("Give the cycle, or choose a default frequency."))
        return data

    def task_input(self) -> services.TaskInput:
        data = self.cleaned_data
        return services.TaskInput(
            investigation_type=data["investigation_type"], cycle=data["cycle"], cycle_unit=data["cycle_unit"],
            work_day_type=data["work_day_type"], work_start=data["work_start"], work_end=data["work_end"],
            starts_at=data["starts_at"], ends_on=data["ends_on"], post=data["post"], assignee=data["assignee"],
            title=data["title"], measures=list(data["measures"]), all_measures=data["all_measures"])


class WholeListForm(_ScheduleFields):
    """One routine task per risk point of the enterprise, from a default frequency."""

    enterprise = forms.ModelChoiceField(None, label=gettext_lazy("Enterprise"))
    default = forms.ModelChoiceField(TaskFrequencyDefault.objects.all(), label=gettext_lazy("Default frequency"))

    field_order = ["enterprise", "default", "work_day_type", "work_start", "work_end", "starts_at", "post"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=user,
                                                           label=_("Enterprise"))
        self.fields["post"].help_text = _("Left empty: the point's responsible person's account, or its department.")
        style(self)


def row_keys(measures: list[ControlMeasure]) -> list:
    """The keys of the instance's rows: its measures' ids, or ``duty`` for the one record of a task without
    measures (a responsible person's duty)."""
    return [m.pk for m in measures] or [services.DUTY_KEY]


def check_form(measures: list[ControlMeasure], data=None, files=None, *, duty: str = "") -> forms.Form:
    """The instance's form: for each measure (or the duty, for a task without measures) OK / not OK, a note
    and photos (a photo required for a measure not OK, a note for a duty not OK, which the service checks)."""
    form = forms.Form(data, files)
    labels = {m.pk: m.description for m in measures} or {services.DUTY_KEY: duty}
    for key, label in labels.items():
        form.fields[f"outcome_{key}"] = forms.ChoiceField(label=label, choices=CheckOutcome.choices,
                                                          widget=forms.RadioSelect)
        form.fields[f"note_{key}"] = forms.CharField(label=_("Note"), max_length=2000, required=False,
                                                     widget=forms.Textarea(attrs={"rows": 2}))
        form.fields[f"photos_{key}"] = MultipleFileField(label=_("Photos"), max_items=MAX_PHOTOS,
                                                         widget=MultiplePhotoInput)
    style(form)
    for key in labels:
        form.fields[f"outcome_{key}"].widget.attrs["class"] = "btn-check"
    return form


# --- pages ---------------------------------------------------------------------------------------------------


def _tasks(user):
    return InvestigationTask.objects.visible_to(user).select_related("enterprise", "risk_point", "assignee")


@login_required
@require_GET
def task_list(request):
    """The tasks in the user's scope, active first; an enterprise user sets them up from here."""
    _require(request.user, VIEW)
    rows = _tasks(request.user).order_by("-is_active", "enterprise__name", "risk_point__code", "id")
    state = request.GET.get("active", "")
    if state in ("true", "false"):
        rows = rows.filter(is_active=state == "true")
    rows = list(rows[:200])
    points = (RiskPoint.objects.visible_to(request.user).filter(is_active=True).order_by("enterprise_id", "code")
              .only("pk", "code", "name")[:500]) if request.user.has_perm(services.MANAGE) else []
    return render(request, "risks/tasks/list.html", {"tasks": rows, "points": points, "active": state,
                                                     "may_manage": request.user.has_perm(services.MANAGE)})


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request):
    """Set up a task for the risk point ``point`` (in the query, or the form's hidden field)."""
    _require(request.user, services.MANAGE)
    point_id = request.POST.get("point") or request.GET.get("point", "")
    if not point_id.isdigit():
        raise Http404
    point = get_object_or_404(RiskPoint.objects.visible_to(request.user).select_related("enterprise"),
                              pk=int(point_id))
    initial = {"starts_at": timezone.localtime().replace(second=0, microsecond=0),
               "post": point.department}
    form = TaskForm(request.POST or None, point=point, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(actor=request.user, risk_point=point, data=form.task_input())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The task is set up; its investigations up to tomorrow are listed."))
            return redirect("risks:task", pk=task.pk)
    return render(request, "risks/tasks/form.html", {"form": form, "point": point,
                                                     "defaults": TaskFrequencyDefault.objects.all()},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def task_whole_list(request):
    """One routine task per risk point of an enterprise from a default frequency, skipping points that have
    one; says how many were made and skipped."""
    _require(request.user, services.MANAGE)
    form = WholeListForm(request.POST or None, user=request.user,
                         initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.generate_for_whole_list(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _(
                "%(created)d tasks set up; %(skipped)d risk points already had one; %(bare)d have no measure "
                "to check yet.") % {"created": result.created, "skipped": result.skipped,
                                    "bare": result.without_measures})
            return redirect("risks:tasks")
    return render(request, "risks/tasks/whole_list.html", {"form": form,
                                                           "defaults": TaskFrequencyDefault.objects.all()},
                  status=400 if form.errors else 200)


@login_required
@require_GET
def task_detail(request, pk: int):
    """A task: its schedule, measures and its latest instances."""
    _require(request.user, VIEW)
    task = get_object_or_404(_tasks(request.user).prefetch_related(
        Prefetch("measures", queryset=ControlMeasure.objects.visible_to(request.user)
                 .select_related("hazard_source"))), pk=pk)
    instances = list(task.instances.select_related("done_by").order_by("-due_from", "-id")[:RECENT])
    return render(request, "risks/tasks/detail.html", {
        "task": task, "instances": instances,
        "may_stop": task.is_active and task.work_type == TaskWorkType.ROUTINE
        and request.user.has_perm(services.MANAGE)})


@login_required
@require_POST
def task_stop(request, pk: int):
    task = get_object_or_404(InvestigationTask.objects.visible_to(request.user), pk=pk)
    try:
        services.stop_task(actor=request.user, task=task)
    except InvalidTransition as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, _("The task is stopped: it gets no new investigations."))
    return redirect("risks:task", pk=task.pk)


def _instances(user):
    return TaskInstance.objects.visible_to(user).select_related("task", "task__risk_point")


@login_required
@require_GET
def my_tasks(request):
    """The phone page: what the user (or the user's post) has to investigate now and tomorrow, what was missed
    in the last 7 days and what was done today."""
    _require(request.user, VIEW)
    rows = _instances(request.user)
    if request.user.has_perm(services.PERFORM):
        rows = rows.filter(Q(assignee=request.user) | Q(assignee__isnull=True))
    now = timezone.now()
    today = local_midnight(timezone.localdate())
    tomorrow_end = today + timedelta(days=2)
    sections = [
        ("now", _("To do now"), rows.filter(state=InstanceState.DUE, due_from__lte=now, due_by__gt=now)
         .order_by("due_by", "id")),
        ("later", _("Coming up (today and tomorrow)"), rows.filter(state=InstanceState.DUE, due_from__gt=now,
                                                                   due_from__lt=tomorrow_end)
         .order_by("due_from", "id")),
        ("missed", _("Missed in the last 7 days"), rows.filter(state=InstanceState.MISSED,
                                                               due_by__gte=now - timedelta(days=7))
         .order_by("-due_by", "-id")),
        ("done", _("Done today"), rows.filter(state=InstanceState.DONE, done_at__gte=today)
         .order_by("-done_at", "-id")),
    ]
    return render(request, "risks/tasks/my_tasks.html", {
        "sections": [(key, label, list(queryset[:RECENT])) for key, label, queryset in sections],
        "may_manage": request.user.has_perm(services.MANAGE)})


@login_required
@require_http_methods(["GET", "POST"])
def instance_detail(request, pk: int):
    """One instance: its measures with what to check; while its window is open, its person records each
    measure OK / not OK with a note and photos; once done, the records and the hazards they raised."""
    _require(request.user, VIEW)
    instance = get_object_or_404(_instances(request.user).select_related("done_by", "enterprise"), pk=pk)
    measures = services.instance_measures(instance)
    checks = {check.measure_id or services.DUTY_KEY: check
              for check in instance.checks.select_related("hazard").prefetch_related("photos")}
    may_do = services.is_open(instance) and request.user.has_perm(services.PERFORM) and (
        instance.assignee_id in (None, request.user.pk))
    form = check_form(measures, request.POST or None, request.FILES or None,
                      duty=instance.task.title) if may_do else None
    if request.method == "POST":
        if form is None:
            # Not open to this user: the service's own checks say why (403, or 409 with the state).
            try:
                services.ensure_may_perform(request.user, instance)
            except InvalidTransition as exc:
                return _instance_page(request, instance, measures, checks, None, str(exc), status=409)
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            entries = [services.CheckInput(measure=key if key != services.DUTY_KEY else None,
                                           outcome=data[f"outcome_{key}"], note=data[f"note_{key}"],
                                           photos=data[f"photos_{key}"])
                       for key in row_keys(measures)]
            try:
                services.complete_instance(actor=request.user, instance=instance, checks=entries)
            except ValidationError as exc:
                _apply_check_errors(form, exc)
            except InvalidTransition as exc:
                return _instance_page(request, instance, measures, checks, None, str(exc), status=409)
            else:
                messages.success(request, _("The investigation is recorded."))
                return redirect("risks:instance", pk=instance.pk)
    return _instance_page(request, instance, measures, checks, form, "",
                          status=400 if form is not None and form.errors else 200)


def _apply_check_errors(form, exc: ValidationError) -> None:
    """The service names a measure's errors ``checks.<id>`` (``checks.duty`` for a duty): shown under that
    row's photos."""
    for key, field_messages in exc.message_dict.items():
        name = f"photos_{key.split('.', 1)[1]}" if key.startswith("checks.") else None
        form.add_error(name if name in form.fields else None, field_messages)


def _instance_page(request, instance, measures, checks, form, refusal, *, status=200):
    rows = []
    by_key = {m.pk: m for m in measures}
    for key in row_keys(measures):
        fields = ({"outcome": form[f"outcome_{key}"], "note": form[f"note_{key}"],
                   "photos": form[f"photos_{key}"]} if form is not None else None)
        rows.append({"key": key, "measure": by_key.get(key), "check": checks.get(key), "fields": fields})
    return render(request, "risks/tasks/instance.html", {
        "instance": instance, "rows": rows, "form": form, "refusal": refusal,
        "open": services.is_open(instance)}, status=status)
