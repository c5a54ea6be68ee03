"""Files are kept only as long as they are needed.

- Imports and exports (个人信息保护法 Art. 19: personal information is kept for the shortest time the purpose
  needs): an uploaded enterprise workbook, its copy with the error column and a downloaded ledger carry names,
  ID numbers and phone numbers; the daily job deletes them ``SHOUYE_FILE_RETENTION_DAYS`` days after the
  transfer started. The rows stay, so the history of who imported or exported what remains, with the time
  the files were removed and an audit event naming them.
- Orphan photos: a photo is stored while its act runs, and an act that is then refused or fails rolls back
  its row but not the file. The daily job deletes photos that no row holds, in the folders of this month and
  the last (photos are stored by month), once they are a day old, so no act still running loses its file."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from .registry import file_removal_hooks, media_owners, retained_files

#: A stored photo no row holds is deleted only after this long (an act may still be writing its row).
ORPHAN_MIN_AGE = timedelta(days=1)
#: Names checked against the database per query.
BATCH = 500


def remove_expired_files(*, now: datetime) -> int:
    """Delete the files of every registered transfer started more than the retention period before ``now``;
    returns how many transfers lost their files. A file already missing from storage is no error."""
    cutoff = now - timedelta(days=settings.SHOUYE_FILE_RETENTION_DAYS)
    removed = 0
    for owner in retained_files:
        expired = owner.model.objects.filter(created_at__lt=cutoff, files_removed_at__isnull=True)
        for pk in list(expired.values_list("pk", flat=True)):
            with transaction.atomic():
                row = owner.model.objects.select_for_update().filter(pk=pk, files_removed_at__isnull=True).first()
                if row is None:
                    continue
                names = [getattr(row, name).name for name in owner.fields if getattr(row, name)]
                for name in owner.fields:
                    setattr(row, name, "")
                row.files_removed_at = now
                row.save(update_fields=[*owner.fields, "files_removed_at"])
                for hook in file_removal_hooks:
                    hook(owner.verb, row, names)
                storage = owner.model._meta.get_field(owner.fields[0]).storage
                transaction.on_commit(lambda names=names, storage=storage: _delete(storage, names))
            removed += 1
    return removed


def _delete(storage, names: list[str]) -> None:
    """After the commit, so a rolled-back removal leaves the files where the row says they are."""
    for name in names:
        storage.delete(name)


def _month_folders(now: datetime) -> list[str]:
    """``YYYY/MM/`` of this month and the last, as the photos' ``upload_to`` names them (Django formats it
    with the server's own clock, not the bureau's time zone)."""
    this_month = datetime.fromtimestamp(now.timestamp()).date().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    return [f"{month:%Y/%m}/" for month in (this_month, last_month)]


def remove_orphan_photos(*, now: datetime) -> int:
    """Delete the photos of this month and the last that no row holds and that are older than
    ORPHAN_MIN_AGE; returns how many were deleted."""
    removed = 0
    for owner in media_owners.owners:
        storage = owner.model._meta.get_field(owner.fields[0]).storage
        for folder in (owner.prefix + month for month in _month_folders(now)):
            try:
                names = [folder + name for name in storage.listdir(folder)[1]]
            except FileNotFoundError:
                continue
            old = [name for name in names if now - storage.get_modified_time(name) > ORPHAN_MIN_AGE]
            for start in range(0, len(old), BATCH):
                batch = old[start:start + BATCH]
                held = set()
                for field in owner.fields:
                    held.update(owner.model.objects.filter(**{f"{field}__in": batch}).values_list(field, flat=True))
                for name in batch:
                    if name not in held:
                        storage.delete(name)
                        removed += 1
    return removed

