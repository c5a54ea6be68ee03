"""Files of imports and exports are kept only as long as they are needed (个人信息保护法 Art. 19: personal
information is kept for the shortest time the purpose needs). An uploaded enterprise workbook, its copy with
the error column and a downloaded ledger carry names, ID numbers and phone numbers; the daily job deletes
them ``SHOUYE_FILE_RETENTION_DAYS`` days after the transfer started. The rows stay, so the history of who
imported or exported what remains, with the time the files were removed."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from .registry import retained_files


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
                storage = owner.model._meta.get_field(owner.fields[0]).storage
                transaction.on_commit(lambda names=names, storage=storage: _delete(storage, names))
            removed += 1
    return removed


def _delete(storage, names: list[str]) -> None:
    """After the commit, so a rolled-back removal leaves the files where the row says they are."""
    for name in names:
        storage.delete(name)
