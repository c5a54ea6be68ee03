"""Pages of work areas and the personnel ledger. Thin: the scoped querysets of the selectors, the forms' shapes,
one service call."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouye.audit.selectors import timeline
from shouye.core.actions import apply_errors
from shouye.core.downloads import download
from shouye.core.filters import valid_filterset
from shouye.core.jobs.views import JobKind, job_views, own_job
from shouye.core.views import ScopedDetailView, ScopedListView
from shouye.enterprises.masking import sees_personal_data

from . import exports, selectors, services
from .filters import FLAG_CHOICES, WorkAreaFilter, WorkerFilter
from .forms import CertificateFormSet, WorkAreaForm, WorkerForm, rows_of
from .masking import worker_contact
from .models import WorkArea, Worker, WorkerCertificate


class StableOrder:
    """Without a sort chosen, the rows in ``stable_ordering`` (a unique order, so that pages never overlap)."""

    stable_ordering: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.current_sort else queryset.order_by(*self.stable_ordering)


class WorkAreaListView(StableOrder, ScopedListView):
    model = WorkArea
    filterset_class = WorkAreaFilter
    template_name = "workareas/list.html"
    stable_ordering = ("enterprise__name", "name", "id")
    ordering_options = {"name": "name", "enterprise": "enterprise__name", "assessed_on": "assessed_on",
                        "people": "people"}

    def scoped_queryset(self, qs):
        return selectors.work_areas(self.request.user)


class WorkAreaDetailView(ScopedDetailView):
    model = WorkArea
    template_name = "workareas/detail.html"

    def scoped_queryset(self, qs):
        return selectors.work_areas(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        people = selectors.workers(user).filter(work_areas=self.object).order_by("name", "id")
        context.update(
            rows=[(worker, worker_contact(worker, user), [(c, c.flag(today)) for c in worker.certificates.all()])
                  for worker in people],
            over_capacity=self.object.max_people is not None and self.object.people > self.object.max_people,
            masked=not sees_personal_data(user), timeline=timeline(self.object),
            can_edit=user.has_perm("workareas.change_workarea"))
        return context


def _save_area(request, area=None):
    perm = "workareas.change_workarea" if area else "workareas.add_workarea"
    if not request.user.has_perm(perm):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = WorkAreaForm(data, instance=area, user=request.user)
    if data is not None and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.AREA_FIELDS}
        try:
            if area is None:
                saved = services.assess_work_area(actor=request.user, enterprise=form.cleaned_data["enterprise"],
                                                  data=values)
            else:
                saved = services.update_work_area(actor=request.user, work_area=area, data=values)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("workareas:detail", pk=saved.pk)
    return render(request, "workareas/form.html", {"form": form, "area": area},
                  status=400 if data is not None else 200)


@login_required
@require_http_methods(["GET", "POST"])
def work_area_create(request):
    return _save_area(request)


@login_required
@require_http_methods(["GET", "POST"])
def work_area_update(request, pk):
    area = get_object_or_404(WorkArea.objects.visible_to(request.user), pk=pk)
    return _save_area(request, area)


class WorkerListView(StableOrder, ScopedListView):
    """The personnel ledger (一人一档): people, their high-risk work areas and their certificates with flags."""

    model = Worker
    filterset_class = WorkerFilter
    template_name = "workareas/workers.html"
    stable_ordering = ("enterprise__name", "name", "id")
    ordering_options = {"name": "name", "post": "post", "enterprise": "enterprise__name"}

    def scoped_queryset(self, qs):
        return selectors.workers(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        context.update(
            rows=[(worker, worker_contact(worker, user), [(c, c.flag(today)) for c in worker.certificates.all()])
                  for worker in context["object_list"]],
            masked=not sees_personal_data(user), flag_choices=FLAG_CHOICES)
        return context


class WorkerDetailView(ScopedDetailView):
    model = Worker
    template_name = "workareas/worker.html"

    def scoped_queryset(self, qs):
        return selectors.workers(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        context.update(contact=worker_contact(self.object, user), masked=not sees_personal_data(user),
                       certificates=[(c, c.flag(today)) for c in self.object.certificates.all()],
                       timeline=timeline(self.object), can_edit=user.has_perm("workareas.change_worker"),
                       can_remove=user.has_perm("workareas.delete_worker"))
        return context


def _save_worker(request, worker=None):
    perm = "workareas.change_worker" if worker else "workareas.add_worker"
    if not request.user.has_perm(perm):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = WorkerForm(data, instance=worker, user=request.user)
    initial = [{f: getattr(c, f) for f in services.CERTIFICATE_FIELDS} for c in worker.certificates.all()] \
        if worker else []
    certificates = CertificateFormSet(data, prefix="certificates", initial=None if data else initial)
    other_errors = {}
    if data is not None and all([form.is_valid(), certificates.is_valid()]):
        values = {f: form.cleaned_data[f] for f in services.WORKER_FIELDS}
        areas = list(form.cleaned_data["work_areas"])
        try:
            if worker is None:
                saved = services.register_worker(actor=request.user, enterprise=form.cleaned_data["enterprise"],
                                                 data=values, work_areas=areas, certificates=rows_of(certificates))
            else:
                saved = services.update_worker(actor=request.user, worker=worker, data=values, work_areas=areas,
                                               certificates=rows_of(certificates))
        except ValidationError as exc:
            errors = exc.message_dict
            for field, field_messages in errors.items():
                if field in form.fields:
                    form.add_error(field, field_messages)
                else:
                    other_errors[_certificate_label(field)] = field_messages
        else:
            messages.success(request, _("Saved."))
            return redirect("workareas:worker", pk=saved.pk)
    return render(request, "workareas/worker_form.html", {
        "form": form, "certificates": certificates, "worker": worker, "other_errors": other_errors,
    }, status=400 if data is not None else 200)


CERTIFICATE_ERROR = re.compile(r"^certificates\[(\d+)\]\.(\w+)$")


def _certificate_label(key: str) -> str:
    """``certificates[0].number`` as the form reads: 证书 第1行 · 证书编号."""
    match = CERTIFICATE_ERROR.match(key)
    if not match:
        return key
    index, field = match.groups()
    try:
        label = WorkerCertificate._meta.get_field(field).verbose_name
    except FieldDoesNotExist:
        label = field
    return _("%(section)s, row %(row)s · %(field)s") % {"section": _("Certificates"), "row": int(index) + 1,
                                                       "field": label}


@login_required
@require_http_methods(["GET", "POST"])
def worker_create(request):
    return _save_worker(request)


@login_required
@require_http_methods(["GET", "POST"])
def worker_update(request, pk):
    worker = get_object_or_404(selectors.workers(request.user), pk=pk)
    return _save_worker(request, worker)


@login_required
@require_POST
def worker_remove(request, pk):
    worker = get_object_or_404(Worker.objects.visible_to(request.user), pk=pk)
    services.remove_worker(actor=request.user, worker=worker)
    messages.success(request, _("%(name)s was taken off the personnel ledger.") % {"name": worker.name})
    return redirect("workareas:workers")


EXPORT = "workareas.export_worker"


@login_required
@require_GET
def worker_export(request):
    """Excel of exactly the filtered ledger. Up to SHOUYE_LEDGER_SYNC_MAX_ROWS rows it is written in the request;
    a larger ledger is exported in the background with a progress bar (the job page)."""
    if not request.user.has_perm(EXPORT):
        raise PermissionDenied
    try:
        queryset = valid_filterset(WorkerFilter, request.GET, selectors.workers(request.user).order_by(
            *exports.ORDER), request=request).qs
    except ValidationError:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('workareas:workers')}?{request.GET.urlencode()}")
    total = exports.row_count(queryset)
    if total > exports.sync_max_rows():
        job = exports.start_export(actor=request.user, filters=request.GET, total_rows=total)
        return redirect("workareas:export-job", pk=job.pk)
    with transaction.atomic():
        content, filename = exports.export_workers(actor=request.user, queryset=queryset)
    return download(content, filename, content_type=exports.XLSX)


EXPORT_JOBS = JobKind(
    name="export", permission=EXPORT, jobs_of=exports.exports_of, page_template="workareas/export_job.html",
    status_template="workareas/export_status.html", status_url="workareas:export-job-progress",
    details=lambda job: {"filename": job.filename,
                         "file_url": reverse("workareas:export-job-file", args=[job.pk]) if job.file else None},
)
export_job, export_job_progress, export_job_progress_json = job_views(EXPORT_JOBS)


@login_required
@require_GET
def export_job_file(request, pk):
    job = own_job(request, pk, EXPORT_JOBS)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                        content_type=exports.XLSX)
