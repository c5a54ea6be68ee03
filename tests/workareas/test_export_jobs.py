"""The personnel ledger's export in the background: a ledger of more than SHOUYE_LEDGER_SYNC_MAX_ROWS rows (one
per certificate) is written by a job with a progress page and a file to download, as the hazard ledger's; a
smaller one is still a direct download."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import load_workbook

from shouye.audit.models import AuditEvent
from shouye.core.retention import remove_expired_files
from shouye.workareas import exports, services, tasks
from shouye.workareas.models import WorkerExport

from .conftest import certificate_row, worker_data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ledger(cast, owner):
    """Three people, four rows: one with two certificates, one with one, one without."""
    inside = cast["inside"]
    services.register_worker(actor=owner, enterprise=inside, data=worker_data(name="甲"),
                             certificates=[certificate_row(), certificate_row()])
    services.register_worker(actor=owner, enterprise=inside, data=worker_data(name="乙"),
                             certificates=[certificate_row()])
    services.register_worker(actor=owner, enterprise=inside, data=worker_data(name="丙"))


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_row_count_is_one_per_certificate_and_one_per_person_without(cast, owner):
    from shouye.workareas import selectors

    _ledger(cast, owner)
    assert exports.row_count(selectors.workers(owner)) == 4
    assert exports.row_count(selectors.workers(owner).filter(name="丙")) == 1


def test_a_small_ledger_is_downloaded_at_once(client, cast, owner, settings):
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 4
    _ledger(cast, owner)
    client.force_login(owner)
    response = client.get("/work-areas/workers/export/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="personnel-ledger-')
    assert len(_rows(response.content)) == 5
    assert not WorkerExport.objects.exists()


def test_a_large_ledger_is_exported_in_the_background_and_ends_with_a_file(client, cast, owner, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 3
    _ledger(cast, owner)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/work-areas/workers/export/?q=甲")
    assert response.status_code == 200 and WorkerExport.objects.count() == 0  # 2 rows: still direct
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/work-areas/workers/export/")
    job = WorkerExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/work-areas/workers/exports/{job.pk}/"
    assert job.status == WorkerExport.Status.SUCCEEDED and (job.processed_rows, job.total_rows) == (4, 4)
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in page and f"/work-areas/workers/exports/{job.pk}/file/" in page
    assert 'hx-trigger="every' not in page
    progress = client.get(f"/work-areas/workers/exports/{job.pk}/progress.json").json()
    assert progress["percent"] == 100 and progress["file_url"] == f"/work-areas/workers/exports/{job.pk}/file/"
    download = client.get(f"/work-areas/workers/exports/{job.pk}/file/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    rows = _rows(_body(download))
    assert sorted(row[2] for row in rows[1:]) == sorted(["甲", "甲", "乙", "丙"])
    assert AuditEvent.objects.filter(verb="worker.export").count() == 2


def test_a_waiting_export_shows_a_progress_bar_that_polls(client, cast, owner, settings):
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 1
    _ledger(cast, owner)
    client.force_login(owner)
    response = client.get("/work-areas/workers/export/")  # the task waits for a commit that never comes here
    job = WorkerExport.objects.get()
    assert job.status == WorkerExport.Status.PENDING and job.total_rows == 4
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and 'hx-trigger="every 1s"' in page
    WorkerExport.objects.filter(pk=job.pk).update(status=WorkerExport.Status.RUNNING, processed_rows=1)
    partial = client.get(f"/work-areas/workers/exports/{job.pk}/progress/").content.decode()
    assert 'aria-valuenow="25"' in partial and "<html" not in partial
    assert client.get(f"/work-areas/workers/exports/{job.pk}/file/").status_code == 404


def test_the_job_keeps_the_creators_masking(cast, owner):
    """A township officer's export masks ID numbers as the officer's page does."""
    _ledger(cast, owner)
    officer = cast["users"]["township_officer"]
    job = WorkerExport.objects.create(created_by=officer, total_rows=4)
    tasks.run_export(job.pk)
    job.refresh_from_db()
    rows = _rows(job.file.read())
    ids = {row[3] for row in rows[1:]}
    assert len(rows) == 5 and all("*" in value for value in ids)


def test_a_job_runs_once_and_one_whose_filters_fail_is_marked_failed(cast, owner):
    _ledger(cast, owner)
    job = WorkerExport.objects.create(created_by=owner, query="q=乙", total_rows=1)
    tasks.run_export(job.pk)
    tasks.run_export(job.pk)
    job.refresh_from_db()
    assert job.status == WorkerExport.Status.SUCCEEDED and job.processed_rows == 1
    assert AuditEvent.objects.filter(verb="worker.export").count() == 1
    failed = WorkerExport.objects.create(created_by=owner, query="certificate=someday", total_rows=1)
    tasks.run_export(failed.pk)
    failed.refresh_from_db()
    assert failed.status == WorkerExport.Status.FAILED and not failed.file


def test_a_job_is_seen_only_by_the_user_who_started_it(client, cast, owner):
    job = WorkerExport.objects.create(created_by=owner, status=WorkerExport.Status.SUCCEEDED, filename="x.xlsx")
    job.file.save("x.xlsx", ContentFile(b"x"))
    client.force_login(cast["users"]["bureau_admin"])
    for path in ("", "progress/", "progress.json", "file/"):
        assert client.get(f"/work-areas/workers/exports/{job.pk}/{path}").status_code == 404


def test_the_file_is_removed_after_its_retention(cast, owner, settings):
    job = WorkerExport.objects.create(created_by=owner, status=WorkerExport.Status.SUCCEEDED, filename="x.xlsx")
    job.file.save("x.xlsx", ContentFile(b"x"))
    remove_expired_files(now=timezone.now() + timedelta(days=settings.SHOUYE_FILE_RETENTION_DAYS + 1))
    job.refresh_from_db()
    assert job.files_removed_at is not None and not job.file
    assert AuditEvent.objects.filter(verb="worker.export-files-removed").exists()
