"""The pages of a background job, given its :class:`JobKind`: the job page, the htmx progress partial it polls
every second while the job runs, and the same progress as JSON for scripts and integrations. A job is
visible only to the user who started it; anyone else gets 404, as for a job that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .models import BackgroundJob


def _no_details(job: BackgroundJob) -> dict:
    return {}


@dataclass(frozen=True)
class JobKind:
    """One job type's pages: ``name`` prefixes the status block's id (``import`` → ``import-status``);
    ``permission`` is needed to see any job of the type; ``jobs_of(user)`` are the jobs the user may see;
    ``status_url`` names the URL of the partial (the page polls it); ``details(job)`` adds the type's own
    result to the JSON answer (a link to the file, a count); ``extra_context(job)`` adds what the type's own
    templates show (its names, links and result message)."""

    name: str
    permission: str
    jobs_of: Callable
    page_template: str
    status_template: str
    status_url: str
    details: Callable[[BackgroundJob], dict] = _no_details
    extra_context: Callable[[BackgroundJob], dict] = _no_details


class JobViews(NamedTuple):
    """The three views of a job type, each taking ``(request, pk)``."""

    page: Callable
    status: Callable
    progress: Callable


def own_job(request, pk: int, kind: JobKind) -> BackgroundJob:
    """The job, if the user may see it: 403 without the type's permission, 404 for someone else's job."""
    if not request.user.has_perm(kind.permission):
        raise PermissionDenied
    return get_object_or_404(kind.jobs_of(request.user), pk=pk)


def progress_data(job: BackgroundJob) -> dict:
    """What the JSON answer says of any job."""
    return {
        "id": job.pk, "status": job.status, "status_label": str(job.get_status_display()),
        "finished": job.is_finished, "percent": job.percent, "total_rows": job.total_rows,
        "processed_rows": job.processed_rows, "created_at": job.created_at, "finished_at": job.finished_at,
    }


def job_views(kind: JobKind) -> JobViews:
    """The job page, its progress partial and its JSON progress, for ``kind``."""

    def context(request, pk) -> dict:
        job = own_job(request, pk, kind)
        return {"job": job, "job_kind": kind, "poll_url": reverse(kind.status_url, args=[job.pk]),
                **kind.extra_context(job)}

    @login_required
    @require_GET
    def page(request, pk):
        return render(request, kind.page_template, context(request, pk))

    @login_required
    @require_GET
    def status(request, pk):
        """Once the job is finished the partial carries no trigger, so polling stops."""
        return render(request, kind.status_template, context(request, pk))

    @login_required
    @require_GET
    def progress(request, pk):
        job = own_job(request, pk, kind)
        return JsonResponse(progress_data(job) | kind.details(job))

    return JobViews(page=page, status=status, progress=progress)
