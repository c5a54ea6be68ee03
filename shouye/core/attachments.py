"""Attachments: the one building block for the photos that rows hold (a hazard's before- and after-photos, an
inspection's photos; the next apps' snapshots and scans).

- :class:`PhotoAttachment` is the abstract model: the stored image, its thumbnail, who added it and when. Its
  files are stored by month under the model's ``upload_prefix`` (``hazards/2026/12/``), the folder its app
  registers in ``shouye.core.registry.media_owners`` so that media serving and the orphan sweep know it.
- :func:`check_photos` checks every upload of an act before anything is written (``shouye.core.uploads``: by
  content, size, EXIF orientation, thumbnail) and names each refused file; :func:`save_photos` stores them.
- :func:`share_photo` gives another row a photo that is already checked and stored (an inspection item's, a
  tip-off's becomes a hazard's before-photo): the new row names the same stored file, which is neither
  re-checked nor re-encoded nor copied. A stored name may so be held by several rows of several models:
  media serving admits a user who sees any of them (``shouye.core.media``) and the orphan sweep keeps a
  file while any registered row holds it (``shouye.core.retention``); no row's deletion deletes its file.
- :class:`DocumentAttachment` is the abstract model of a document a row holds (a plan's text, its filing
  receipt): the stored file under the same month folders, its original name, size, content type and SHA-256.
  :func:`check_documents` checks every upload of an act by content and size (``shouye.core.uploads``) and names
  each refused file; :func:`save_documents` stores them. Its app registers the folder and the model as a media
  owner (field ``file``) like a photo's, so serving and the orphan sweep treat both alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .uploads import CheckedDocument, CheckedPhoto, check_document, check_photo, thumbnail_of


def upload_path(instance: PhotoAttachment | DocumentAttachment, filename: str) -> str:
    """``<upload_prefix>YYYY/MM/<filename>``, the month by the server's own clock, as Django names a
    ``"prefix/%Y/%m/"`` folder (the photos stored before this base kept that layout)."""
    return f"{instance.upload_prefix}{datetime.now():%Y/%m}/{filename}"


class PhotoAttachment(models.Model):
    """A photo a row holds, with its thumbnail. A subclass sets ``upload_prefix`` (the folder its app
    registers as media owner) and adds the foreign keys of what the photo belongs to. Both names are
    indexed: media serving and the orphan sweep look rows up by stored name."""

    upload_prefix = ""

    image = models.ImageField(gettext_lazy("photo"), upload_to=upload_path, db_index=True)
    thumbnail = models.ImageField(gettext_lazy("thumbnail"), upload_to=upload_path, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]


def check_photos(uploads: Iterable, *, field: str = "photos", required: bool = False,
                 required_message: str | None = None) -> list[CheckedPhoto]:
    """Every upload checked before anything is written; the ValidationError under ``field`` names each refused
    file. With ``required``, no photo at all is refused with ``required_message``."""
    checked, errors = [], []
    for upload in uploads or ():
        try:
            checked.append(check_photo(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({field: errors})
    if required and not checked:
        raise ValidationError({field: required_message or _("Add at least one photo.")})
    return checked


def save_photos(model: type[PhotoAttachment], owner_fields: dict, checked: Iterable[CheckedPhoto],
                actor) -> list[PhotoAttachment]:
    """One new row of ``model`` per checked photo, with ``owner_fields`` (``{"hazard": hazard, "kind": …}``),
    storing the image and its thumbnail under the model's folder."""
    rows = []
    for photo in checked:
        row = model(uploaded_by=actor, **owner_fields)
        row.image.save(photo.image.name, photo.image, save=False)
        row.thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
        row.save()
        rows.append(row)
    return rows


def share_photo(model: type[PhotoAttachment], owner_fields: dict, *, image: FieldFile,
                thumbnail: FieldFile | None = None, actor) -> PhotoAttachment:
    """A new row of ``model`` holding a photo already checked and stored by another row: its image names the
    same stored file, and so does its thumbnail when the source keeps one; a source without one (a tip-off)
    gets a thumbnail made once from the stored image, which itself is not re-encoded."""
    row = model(uploaded_by=actor, image=image.name, **owner_fields)
    if thumbnail:
        row.thumbnail = thumbnail.name
    else:
        made = thumbnail_of(image)
        row.thumbnail.save(made.name, made, save=False)
    row.save()
    return row


def share_photos(model: type[PhotoAttachment], owner_fields: dict, photos: Iterable[PhotoAttachment],
                 actor) -> list[PhotoAttachment]:
    """:func:`share_photo` for each of ``photos`` (rows of another PhotoAttachment model), image and thumbnail."""
    return [share_photo(model, owner_fields, image=photo.image, thumbnail=photo.thumbnail, actor=actor)
            for photo in photos]


class DocumentAttachment(models.Model):
    """A document a row holds. A subclass sets ``upload_prefix`` (the folder its app registers as media owner,
    with the field ``file``) and adds the foreign keys of what the document belongs to. The stored name is
    indexed (media serving and the orphan sweep look rows up by it); ``sha256`` shows which uploads are the
    same document."""

    upload_prefix = ""

    file = models.FileField(gettext_lazy("file"), upload_to=upload_path, max_length=255, db_index=True)
    original_name = models.CharField(gettext_lazy("file name"), max_length=200)
    size = models.PositiveIntegerField(gettext_lazy("size in bytes"))
    content_type = models.CharField(gettext_lazy("content type"), max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]


def check_documents(uploads: Iterable, *, field: str = "documents", required: bool = False,
                    required_message: str | None = None) -> list[CheckedDocument]:
    """Every upload checked before anything is written; the ValidationError under ``field`` names each refused
    file. With ``required``, no document at all is refused with ``required_message``."""
    checked, errors = [], []
    for upload in uploads or ():
        try:
            checked.append(check_document(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({field: errors})
    if required and not checked:
        raise ValidationError({field: required_message or _("Add at least one document.")})
    return checked


def save_documents(model: type[DocumentAttachment], owner_fields: dict, checked: Iterable[CheckedDocument],
                   actor) -> list[DocumentAttachment]:
    """One new row of ``model`` per checked document, with ``owner_fields``, stored under the model's folder."""
    rows = []
    for document in checked:
        row = model(uploaded_by=actor, original_name=document.original_name, size=document.size,
                    content_type=document.content_type, sha256=document.sha256, **owner_fields)
        row.file.save(document.file.name, document.file, save=False)
        row.save()
        rows.append(row)
    return rows
