"""The background job base (shouye.core.jobs): a job runs once however often its task is delivered, its
progress is written every so many rows, and its pages and JSON progress are its user's alone."""

import pytest
from django.utils import timezone

from shouye.core.jobs import Progress, claim, finish, run_once
from shouye.enterprises.models import ImportJob
from shouye.hazards.models import LedgerExport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(cast):
    return cast["users"]["bureau_staff"]


def test_a_job_claimed_twice_runs_once(staff):
    job = LedgerExport.objects.create(created_by=staff, total_rows=3)
    runs = []
    for _delivery in range(2):
        run_once(LedgerExport.objects.get(pk=job.pk), lambda job: runs.append(job.status), language="en",
                 crashed=lambda job, exc: None)
    assert runs == [LedgerExport.Status.RUNNING]
    assert claim(job) is False and job.status == LedgerExport.Status.RUNNING


def test_each_job_type_claims_into_its_own_running_status(staff):
    job = ImportJob.objects.create(created_by=staff, original_name="a.xlsx", file="imports/a.xlsx")
    assert claim(job) is True and job.status == ImportJob.Status.VALIDATING


def test_a_job_finished_without_its_task_is_not_run(staff):
    job = LedgerExport.objects.create(created_by=staff, status=LedgerExport.Status.FAILED)
    ran = []
    run_once(job, ran.append, language=None, crashed=lambda job, exc: None)
    assert ran == [] and job.status == LedgerExport.Status.FAILED


def test_an_unexpected_error_is_handed_to_the_job_type(staff, caplog):
    job = LedgerExport.objects.create(created_by=staff)

    def work(job):
        raise RuntimeError("disk full")

    run_once(job, work, language=None,
             crashed=lambda job, exc: finish(job, LedgerExport.FAILED, error=str(exc)))
    job.refresh_from_db()
    assert (job.status, job.error) == (LedgerExport.Status.FAILED, "disk full") and job.finished_at is not None
    assert "LedgerExport" in caplog.text and "disk full" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_written_every_so_many_rows():
    """Outside a transaction, as a task runs (inside one, PostgreSQL would write through a second
    connection that cannot see a test's uncommitted job)."""
    job = LedgerExport.objects.create(created_by=UserFactory(), total_rows=100)
    stored = lambda: LedgerExport.objects.get(pk=job.pk).processed_rows  # noqa: E731
    with Progress(job, every=10) as progress:
        progress.report(5)
        assert stored() == 5  # the first report is written
        progress.report(9)
        assert stored() == 5
        progress.report(15)
        assert stored() == 15
        progress.report(16, force=True)
        assert stored() == 16 and job.processed_rows == 16


def test_percent_of_a_running_and_of_a_finished_job(staff):
    job = LedgerExport(created_by=staff, total_rows=200, processed_rows=50, status=LedgerExport.Status.RUNNING)
    assert (job.percent, job.is_finished) == (25, False)
    job.total_rows = 0
    assert job.percent == 0
    job.status = LedgerExport.Status.FAILED
    assert (job.percent, job.is_finished) == (100, True)


# --- the JSON progress ----------------------------------------------------------------------------------------


def test_the_json_progress_of_an_export_for_its_user(client, staff):
    job = LedgerExport.objects.create(created_by=staff, total_rows=200, processed_rows=50,
                                      status=LedgerExport.Status.RUNNING)
    client.force_login(staff)
    answer = client.get(f"/hazards/exports/{job.pk}/progress.json")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    data = answer.json()
    assert {key: data[key] for key in ("id", "status", "finished", "percent", "total_rows", "processed_rows",
                                       "finished_at", "file_url")} == \
        {"id": job.pk, "status": "running", "finished": False, "percent": 25, "total_rows": 200,
         "processed_rows": 50, "finished_at": None, "file_url": None}
    assert data["status_label"] and data["created_at"]
    finish(job, LedgerExport.SUCCEEDED, file="exports/x.xlsx", processed_rows=200)
    data = client.get(f"/hazards/exports/{job.pk}/progress.json").json()
    assert (data["finished"], data["percent"], data["file_url"]) == (True, 100, f"/hazards/exports/{job.pk}/file/")


def test_the_json_progress_of_an_import_for_its_user(client, staff):
    job = ImportJob.objects.create(created_by=staff, original_name="a.xlsx", file="imports/a.xlsx",
                                   status=ImportJob.Status.FAILED, total_rows=2, finished_at=timezone.now(),
                                   errors=[{"row": 2, "column": "Name", "message": "required"}])
    client.force_login(staff)
    data = client.get(f"/enterprises/import/{job.pk}/progress.json").json()
    assert (data["status"], data["finished"], data["created_count"], data["errors"]) == \
        ("failed", True, 0, [{"row": 2, "column": "Name", "message": "required"}])


def test_the_json_progress_is_404_for_another_user_and_403_without_the_permission(client, cast, staff):
    export = LedgerExport.objects.create(created_by=staff)
    imported = ImportJob.objects.create(created_by=staff, original_name="a.xlsx", file="imports/a.xlsx")
    urls = (f"/hazards/exports/{export.pk}/progress.json", f"/enterprises/import/{imported.pk}/progress.json")
    client.force_login(cast["users"]["bureau_admin"])
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(cast["users"]["enterprise_user"])
    assert [client.get(url).status_code for url in urls] == [403, 403]
    client.logout()
    assert all(client.get(url).status_code == 302 for url in urls)
