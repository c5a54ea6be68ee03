"""Files are kept only as long as they are needed.

- Imports and exports (个人信息保护法 Art. 19: personal information is kept for the shortest time the purpose
  needs): an uploaded enterprise workbook, its copy with the error column and a downloaded ledger carry names,
  ID numbers and phone numbers; the daily job deletes them ``SHOUYE_FILE_RETENTION_DAYS`` days after the
  transfer started. The rows stay, so the history of who imported or exported what remains, with the time
  the files were removed and an audit event naming them.
- Orphan photos: a photo is stored while its act runs, and an act that is then refused or fails rolls back
  its row but not the file. The daily job walks every media owner's folder (all months) and deletes the
  photos that no registered row holds, of any owner (a stored file may be shared by rows of several models,
  shouye.core.attachments), once they are a day old, so no act still running loses its file."""

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings
from django.core.files.storage import Storage
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


def _stored_names(storage, folder: str) -> Iterator[str]:
    """Every file below ``folder`` (the month folders ``YYYY/MM/`` of a media owner), however old."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield folder + name
    for child in folders:
        yield from _stored_names(storage, f"{folder}{child}/")


def _held(names: list[str]) -> set[str]:
    """The ``names`` that some row of any registered media owner holds, in any of its file fields."""
    held = set()
    for owner in media_owners.owners:
        for field in owner.fields:
            held.update(owner.model.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    return held


def _media_folders() -> dict[str, Storage]:
    """Each registered owner's folder with its storage, once (two owners may store under one folder)."""
    return {owner.prefix: owner.model._meta.get_field(owner.fields[0]).storage for owner in media_owners.owners}


def _batches(names: Iterable[str]) -> Iterator[list[str]]:
    """``names`` in lists of BATCH, read as they come (a folder of years of photos is not held in memory)."""
    names = iter(names)
    while batch := list(islice(names, BATCH)):
        yield batch


def remove_orphan_photos(*, now: datetime) -> int:
    """Delete the photos in the media owners' folders that no row holds and that are older than
    ORPHAN_MIN_AGE; returns how many were deleted."""
    removed = 0
    for folder, storage in _media_folders().items():
        old = (name for name in _stored_names(storage, folder)
               if now - storage.get_modified_time(name) > ORPHAN_MIN_AGE)
        for batch in _batches(old):
            held = _held(batch)
            for name in batch:
                if name not in held:
                    storage.delete(name)
                    removed += 1
    return removed
