"""A tip-off's photo was stored under the name of the file the sender's phone gave it (often a name, a date, a
place), and the hazard it became shows that name to the enterprise. New photos get a random name
(``tip_off_photo_path``); the photos already stored are copied under random names here, in their own folders,
with the thumbnails of the hazard photos that share them, and every row that held an old name is pointed at
the new one. The old files are deleted once the migration has committed (a rolled-back migration leaves
them where the rows say they are; its copies are then orphans the daily sweep removes)."""

from pathlib import PurePosixPath
from uuid import uuid4

import shouye.hazards.models
from django.db import migrations, models, transaction


def _random_name(old: str, tail: str = "") -> str:
    path = PurePosixPath(old)
    suffix = path.suffix.lower()
    if not (suffix[1:].isascii() and suffix[1:].isalnum()):
        suffix = ""
    return f"{path.parent}/{uuid4().hex}{tail}{suffix}"


def _copied(storage, old: str, tail: str = "") -> str:
    """The stored file ``old`` copied under a random name beside it; a file missing from storage keeps no
    content, but its row still loses the old name."""
    new = _random_name(old, tail)
    if not storage.exists(old):
        return new
    with storage.open(old, "rb") as content:
        return storage.save(new, content)


def rename_stored_photos(apps, schema_editor):
    TipOff = apps.get_model("hazards", "TipOff")
    HazardPhoto = apps.get_model("hazards", "HazardPhoto")
    storage = TipOff._meta.get_field("photo").storage
    replaced = []
    for pk, old in TipOff.objects.exclude(photo="").values_list("pk", "photo").iterator():
        new = _copied(storage, old)
        TipOff.objects.filter(pk=pk).update(photo=new)
        replaced.append(old)
        for photo_pk, thumbnail in HazardPhoto.objects.filter(image=old).values_list("pk", "thumbnail"):
            HazardPhoto.objects.filter(pk=photo_pk).update(
                image=new, thumbnail=_copied(storage, thumbnail, "-thumb") if thumbnail else thumbnail)
            if thumbnail:
                replaced.append(thumbnail)
    if replaced:
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced],
                              using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0008_attachments_upload_path'),
    ]

    operations = [
        migrations.AlterField(
            model_name='tipoff',
            name='photo',
            field=models.ImageField(blank=True, db_index=True, upload_to=shouye.hazards.models.tip_off_photo_path, verbose_name='photo'),
        ),
        migrations.RunPython(rename_stored_photos, migrations.RunPython.noop),
    ]
