"""The pages of an Excel import, declared once per import: the upload page (template download, upload, the
columns, the user's recent imports), the job page with its progress, the progress as JSON and the user's file
with the error column. An app declares an :class:`ImportPages` with its import module and its words, and
mounts ``pages.urlpatterns()`` under its URL namespace; the templates are ``core/import*.html``. A job is
visible only to the user who started it (404 for anyone else); the import itself decides what is written."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from shouye.core.downloads import download
from shouye.core.jobs.views import JobKind, job_views, own_job

RECENT_JOBS = 10


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}))


@dataclass(frozen=True)
class ImportPages:
    """One import's pages. ``imports`` is the app's import module: ``start_import(actor=, upload=,
    language=)``, ``jobs_of(user)``, ``COLUMNS``, ``template_workbook(user)``, ``template_filename()``,
    ``error_filename(job)`` and ``XLSX_CONTENT_TYPE``. The words are the app's: the page's ``title``, where
    "back" and the result link lead (URL names) with their labels, what the template's Instructions sheet
    lists (``template_note``) and the result (``imported_message`` with ``%(count)s``)."""

    namespace: str
    permission: str
    imports: ModuleType
    title: str
    back_url: str
    back_label: str
    template_note: str
    result_url: str
    result_label: str
    imported_message: str

    @property
    def upload_url(self) -> str:
        return f"{self.namespace}:import"

    @property
    def template_url(self) -> str:
        return f"{self.namespace}:import-template"

    @property
    def job_url(self) -> str:
        return f"{self.namespace}:import-job"

    @property
    def error_file_url(self) -> str:
        return f"{self.namespace}:import-error-file"

    def _job_context(self, job) -> dict:
        return {"pages": self, "imported_message": self.imported_message % {"count": job.created_count}}

    def job_kind(self) -> JobKind:
        return JobKind(
            name="import", permission=self.permission, jobs_of=self.imports.jobs_of,
            page_template="core/import_job.html", status_template="core/import_status.html",
            status_url=f"{self.namespace}:import-job-progress",
            details=lambda job: {"original_name": job.original_name, "created_count": job.created_count,
                                 "errors": job.errors},
            extra_context=self._job_context,
        )

    def _require_permission(self, user) -> None:
        if not user.has_perm(self.permission):
            raise PermissionDenied

    def urlpatterns(self, prefix: str = "") -> list:
        """The six routes, named ``import``, ``import-template``, ``import-job``, ``import-job-progress``,
        ``import-job-progress-json`` and ``import-error-file`` in the app's namespace, under ``prefix``."""
        kind = self.job_kind()
        job_page, job_progress, job_progress_json = job_views(kind)
        imports = self.imports

        @login_required
        @require_http_methods(["GET", "POST"])
        def upload(request):
            self._require_permission(request.user)
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
                    return redirect(self.job_url, pk=job.pk)
            return render(request, "core/import.html", {
                "pages": self, "form": form, "jobs": imports.jobs_of(request.user)[:RECENT_JOBS],
                "columns": imports.COLUMNS,
            }, status=400 if form.errors else 200)

        @login_required
        @require_GET
        def template(request):
            self._require_permission(request.user)
            return download(imports.template_workbook(request.user), imports.template_filename(),
                            content_type=imports.XLSX_CONTENT_TYPE)

        @login_required
        @require_GET
        def error_file(request, pk):
            job = own_job(request, pk, kind)
            if not job.error_file:
                raise Http404
            return FileResponse(job.error_file.open("rb"), as_attachment=True, filename=imports.error_filename(job),
                                content_type=imports.XLSX_CONTENT_TYPE)

        return [
            path(prefix, upload, name="import"),
            path(f"{prefix}template/", template, name="import-template"),
            path(f"{prefix}<id:pk>/", job_page, name="import-job"),
            path(f"{prefix}<id:pk>/progress/", job_progress, name="import-job-progress"),
            path(f"{prefix}<id:pk>/progress.json", job_progress_json, name="import-job-progress-json"),
            path(f"{prefix}<id:pk>/errors.xlsx", error_file, name="import-error-file"),
        ]
