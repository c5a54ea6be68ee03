"""What an import gets by declaring its ImportKind (shouye.core.importkit): a large file queued on the app's
Celery task named by its path, the task's body running the job once, and each user seeing only its own jobs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from shouye.core.importkit import Column, Columns, ImportKind, RowChecker, in_background
from shouye.enterprises import tasks
from shouye.enterprises.models import ImportJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COLUMNS = Columns([Column("name", gettext_lazy("Name"), required=True)])


class _Checker(RowChecker):
    def __init__(self, actor):
        self.actor = actor

    def check(self, number, cells, errors):
        return cells["name"]


def upload(*names) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.title = "Data"
    for row in (["Name"], *([name] for name in names)):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("a.xlsx", buffer.getvalue())


@pytest.fixture
def written():
    return []


@pytest.fixture
def kind(written):
    return ImportKind(model=ImportJob, columns=COLUMNS, sheet_title="Data", no_rows_message="“%(name)s” is empty.",
                      permissions=(), checker=_Checker, write_batch=lambda actor, rows: written.extend(rows),
                      enqueue=in_background("shouye.enterprises.tasks.run_import"))


def test_a_large_file_is_queued_on_the_task_and_runs_once(kind, written, settings, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    settings.SHOUYE_IMPORT_SYNC_MAX_ROWS = 1
    queued = []
    monkeypatch.setattr(tasks.run_import, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        job = kind.start(actor=UserFactory(), upload=upload("甲", "乙"), language="zh-hans")
    assert job.status == ImportJob.QUEUED and queued == [(job.pk, "zh-hans")] and written == []
    kind.run_job(job.pk, "zh-hans")
    kind.run_job(job.pk, "zh-hans")  # delivered twice
    kind.run_job(job.pk + 1000)  # gone
    job.refresh_from_db()
    assert job.status == ImportJob.SUCCEEDED and job.created_count == 2 and written == ["甲", "乙"]


def test_each_user_sees_only_its_own_imports(kind):
    mine, theirs = UserFactory(), UserFactory()
    job = kind.start(actor=mine, upload=upload("甲"))
    kind.start(actor=theirs, upload=upload("乙"))
    assert list(kind.jobs_of(mine)) == [job]
