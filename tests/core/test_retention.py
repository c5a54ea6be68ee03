"""The files of imports and exports hold personal data and are deleted SHOUYE_FILE_RETENTION_DAYS days after
the transfer (个人信息保护法 Art. 19); the rows stay, and their pages say the file is gone."""

import os
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from config.celery import app as celery_app
from shouye.audit.models import AuditEvent
from shouye.core import retention, tasks
from shouye.core.registry import retention_rules
from shouye.enterprises.models import ImportJob
from shouye.hazards import services
from shouye.hazards.models import HazardPhoto, LedgerExport
from tests.core.test_media import inspection_photo
from tests.hazards.conftest import photo

pytestmark = pytest.mark.django_db


def import_job(user, days_ago: int) -> ImportJob:
    job = ImportJob(created_by=user, original_name="企业名单.xlsx", status=ImportJob.Status.FAILED, total_rows=1,
                    processed_rows=1, errors=[{"row": 2, "column": "B", "message": "身份证号码校验位错误"}])
    job.file.save("企业名单.xlsx", ContentFile(b"uploaded"), save=False)
    job.error_file.save("企业名单-错误.xlsx", ContentFile(b"errors"), save=False)
    job.save()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return job


def ledger_export(user, days_ago: int) -> LedgerExport:
    job = LedgerExport(created_by=user, status=LedgerExport.Status.SUCCEEDED, total_rows=1, processed_rows=1,
                       filename="隐患台账.xlsx")
    job.file.save("隐患台账.xlsx", ContentFile(b"ledger"), save=False)
    job.save()
    LedgerExport.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return job


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_old_files_are_deleted_and_recent_ones_kept(cast, django_capture_on_commit_callbacks):
    staff = cast["users"]["bureau_staff"]
    old_import, new_import = import_job(staff, 8), import_job(staff, 6)
    old_export, new_export = ledger_export(staff, 8), ledger_export(staff, 6)
    old_names = [old_import.file.name, old_import.error_file.name, old_export.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.remove_expired_files(now=timezone.now()) == 2
    assert not any(default_storage.exists(name) for name in old_names)
    for job in (old_import, old_export):
        job.refresh_from_db()
        assert job.files_removed_at is not None and not job.file
    assert not old_import.error_file and old_import.errors  # the row and its messages stay
    events = {event.verb: event for event in AuditEvent.objects.filter(verb__endswith="-files-removed")}
    assert set(events) == {"enterprise.import-files-removed", "hazard.export-files-removed"}
    assert events["enterprise.import-files-removed"].target_id == str(old_import.pk)
    assert events["enterprise.import-files-removed"].changes == {"files": old_names[:2]}
    assert events["hazard.export-files-removed"].actor_name == "system"
    for job in (new_import, new_export):
        job.refresh_from_db()
        assert job.files_removed_at is None and default_storage.exists(job.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.remove_expired_files(now=timezone.now()) == 0


def test_the_retention_period_is_a_setting(cast, settings, django_capture_on_commit_callbacks):
    settings.SHOUYE_FILE_RETENTION_DAYS = 30
    job = ledger_export(cast["users"]["bureau_staff"], 8)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.remove_expired_files()
    # the apps' own rules (registry.retention_rules, e.g. permits' video links) answer under their names
    assert result == {"transfers": 0, "orphan_photos": 0, **{name: 0 for name in retention_rules}}
    assert default_storage.exists(job.file.name)


def test_the_pages_say_the_file_was_deleted(cast, django_capture_on_commit_callbacks):
    staff = cast["users"]["bureau_staff"]
    imported, exported = import_job(staff, 8), ledger_export(staff, 8)
    with django_capture_on_commit_callbacks(execute=True):
        retention.remove_expired_files(now=timezone.now())
    client = signed_in(staff)
    page = client.get(reverse("enterprises:import-job", args=[imported.pk])).content.decode()
    assert 'data-testid="files-removed"' in page and 'data-testid="import-error-file"' not in page
    assert "（上传 7 天后）删除" in page
    assert client.get(reverse("enterprises:import-error-file", args=[imported.pk])).status_code == 404
    page = client.get(reverse("hazards:export-job", args=[exported.pk])).content.decode()
    assert 'data-testid="files-removed"' in page and 'data-testid="export-file"' not in page
    assert "（导出 7 天后）删除" in page
    assert client.get(reverse("hazards:export-job-file", args=[exported.pk])).status_code == 404


def test_celery_beat_runs_it_daily_at_two():
    task = PeriodicTask.objects.get(name="files-retention")
    assert task.task == "shouye.core.tasks.remove_expired_files" and task.enabled
    assert task.task in celery_app.tasks
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "0", "Asia/Shanghai")


def aged(name: str, days: float) -> str:
    moment = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(default_storage.path(name), (moment, moment))
    return name


def test_photos_no_row_holds_are_deleted_once_a_day_old(cast):
    """A photo stored by an act that was then refused stays behind; the daily job removes it."""
    hazard = services.report_hazard(actor=cast["users"]["bureau_staff"], enterprise=cast["inside"],
                                    description="配电箱未接地", source="inspection", photos=[photo()])
    held = hazard.photos.get()
    now = datetime.now()  # the clock upload_to folders are named by
    last_month = (now.date().replace(day=1) - timedelta(days=1))
    stray = aged(default_storage.save(f"hazards/{now:%Y/%m}/refused.jpg", ContentFile(b"x")), 2)
    stray_last_month = aged(default_storage.save(f"hazards/{last_month:%Y/%m}/refused.jpg", ContentFile(b"x")), 40)
    fresh = default_storage.save(f"hazards/{now:%Y/%m}/in-flight.jpg", ContentFile(b"x"))
    tip_off_stray = aged(default_storage.save(f"tipoffs/{now:%Y/%m}/refused.png", ContentFile(b"x")), 2)
    aged(held.image.name, 2)
    aged(held.thumbnail.name, 2)
    assert retention.remove_orphan_photos(now=timezone.now()) == 3
    assert not any(default_storage.exists(name) for name in (stray, stray_last_month, tip_off_stray))
    assert all(default_storage.exists(name) for name in (fresh, held.image.name, held.thumbnail.name))



def test_photos_of_older_months_are_swept_too(cast):
    now = datetime.now()
    long_ago = (now.date().replace(day=1) - timedelta(days=100)).replace(day=1)
    stray = aged(default_storage.save(f"inspections/{long_ago:%Y/%m}/refused.jpg", ContentFile(b"x")), 100)
    assert retention.remove_orphan_photos(now=timezone.now()) == 1
    assert not default_storage.exists(stray)


def test_a_shared_photo_is_kept_while_any_row_holds_it(cast):
    """An inspection item's photo became the hazard's before-photo by name; with no inspection photo row
    left, the hazard's row still holds the file and the sweep keeps it."""
    staff = cast["users"]["bureau_staff"]
    source = inspection_photo(staff, cast["inside"])
    hazard = services.report_hazard(actor=staff, enterprise=cast["inside"], description="配电箱未接地",
                                    source="inspection")
    HazardPhoto.objects.create(hazard=hazard, kind="before", image=source.image.name,
                               thumbnail=source.thumbnail.name, uploaded_by=staff)
    names = [aged(source.image.name, 2), aged(source.thumbnail.name, 2)]
    source.delete()
    assert retention.remove_orphan_photos(now=timezone.now()) == 0
    assert all(default_storage.exists(name) for name in names)
