"""Pages of the Excel import: upload, template, the job with its progress, the file with the error column.
Thin: the work is in ``imports``; a job is visible only to the user who started it (404 for anyone else)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from . import imports
from .forms import ImportForm

RECENT_JOBS = 10


def _require_import_permission(user) -> None:
    if not user.has_perm("enterprises.import_enterprise"):
        raise PermissionDenied


def _own_job(request, pk):
    _require_import_permission(request.user)
    return get_object_or_404(imports.jobs_of(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    _require_import_permission(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    # An empty upload is refused by the import itself, with a message that names the file.
    form.fields["file"].allow_empty_file = True
    if form.is_bound and form.is_valid():
        try:
            job = imports.start_import(actor=request.user, upload=form.cleaned_data["file"],
                                       language=get_language())
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("enterprises:import-job", pk=job.pk)
    return render(request, "enterprises/import.html", {
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
def import_job(request, pk):
    job = _own_job(request, pk)
    return render(request, "enterprises/import_job.html", {"job": job})


@login_required
@require_GET
def import_job_progress(request, pk):
    """The part of the job page that htmx polls every second while the job runs; once the job is finished
    the answer carries no trigger, so polling stops."""
    job = _own_job(request, pk)
    return render(request, "enterprises/import_status.html", {"job": job})


@login_required
@require_GET
def import_error_file(request, pk):
    job = _own_job(request, pk)
    if not job.error_file:
        raise Http404
    return FileResponse(job.error_file.open("rb"), as_attachment=True, filename=imports.error_filename(job),
                        content_type=imports.XLSX_CONTENT_TYPE)
