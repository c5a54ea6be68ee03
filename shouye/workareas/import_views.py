"""Pages of the personnel ledger's Excel import: upload, template, the job with its progress, the file with the
error column. A job is visible only to the user who started it (404 for anyone else)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from shouye.core.jobs.views import JobKind, job_views, own_job

from . import imports
from .forms import ImportForm

RECENT_JOBS = 10
IMPORT_PERMISSION = "workareas.import_worker"

IMPORT_JOBS = JobKind(
    name="import", permission=IMPORT_PERMISSION, jobs_of=imports.jobs_of,
    page_template="workareas/import_job.html", status_template="workareas/import_status.html",
    status_url="workareas:import-job-progress",
    details=lambda job: {"original_name": job.original_name, "created_count": job.created_count,
                         "errors": job.errors},
)
import_job, import_job_progress, import_job_progress_json = job_views(IMPORT_JOBS)


def _require_import_permission(user) -> None:
    if not user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    _require_import_permission(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    form.fields["file"].allow_empty_file = True
    if form.is_bound and form.is_valid():
        try:
            job = imports.start_import(actor=request.user, upload=form.cleaned_data["file"], language=get_language())
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("workareas:import-job", pk=job.pk)
    return render(request, "workareas/import.html", {
        "form": form, "jobs": imports.jobs_of(request.user)[:RECENT_JOBS], "columns": imports.COLUMNS,
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def import_template(request):
    _require_import_permission(request.user)
    response = HttpResponse(imports.template_workbook(request.user), content_type=imports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, imports.template_filename())
    return response


@login_required
@require_GET
def import_error_file(request, pk):
    job = own_job(request, pk, IMPORT_JOBS)
    if not job.error_file:
        raise Http404
    return FileResponse(job.error_file.open("rb"), as_attachment=True, filename=imports.error_filename(job),
                        content_type=imports.XLSX_CONTENT_TYPE)
