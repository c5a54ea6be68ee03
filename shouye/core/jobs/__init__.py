"""Background jobs: work too long for a request (an import, a large export), run once by a Celery task and
watched by its user on a page with a progress bar (ARCHITECTURE §8, "Long work runs in the background with a
visible progress bar").

A job type is built from three pieces:

- a model deriving from :class:`~shouye.core.jobs.models.BackgroundJob` (who started it, when, its status,
  rows to do and done, when it finished, when its files were removed by the retention job), with its own
  ``Status`` choices, the status a claimed job takes (``CLAIMED``) and the fields of its own result;
- its work, run through :func:`~shouye.core.jobs.running.run_once`, which first *claims* the job (one
  conditional UPDATE from waiting to running, so a task delivered twice runs the work once) and reports
  progress through :class:`~shouye.core.jobs.running.Progress` (throttled writes, visible to the polling
  page even from inside the work's transaction on PostgreSQL);
- its pages, from :func:`~shouye.core.jobs.views.job_views` given a
  :class:`~shouye.core.jobs.views.JobKind`: the job page, the htmx progress partial it polls and a JSON
  progress answer, each visible only to the user who started the job (404 for anyone else).

Its files are removed after their retention period by registering the model in
``shouye.core.registry.retained_files`` (``shouye.core.retention``).
"""

from .running import Progress, claim, finish, owned_by, run_once

__all__ = ["Progress", "claim", "finish", "owned_by", "run_once"]
