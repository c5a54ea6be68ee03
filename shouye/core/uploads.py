"""Photo uploads: recognised by content (not by name), size-limited, orientation fixed from EXIF, with a
thumbnail. Anything else is refused with a message naming the file."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: Pillow format name → (file extension, MIME type)
ALLOWED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
THUMBNAIL_SIZE = (320, 320)
#: Refuse decompression bombs well below Pillow's own limit (a 10 MB JPEG can decode to gigabytes).
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class CheckedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    content_type: str
    width: int
    height: int


def _name(upload) -> str:
    return PurePath(getattr(upload, "name", "") or _("unnamed file")).name


def check_photo(upload) -> CheckedPhoto:
    """Validate one uploaded photo and return the stored image (EXIF orientation applied) and its thumbnail.

    Raises ValidationError naming the file when it is too large, not an image, or not JPEG/PNG/WebP."""
    name = _name(upload)
    limit = settings.SHOUYE_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": limit // 2**20})
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            detected = probe.format
            probe.verify()
        if detected not in ALLOWED_FORMATS:
            raise ValidationError(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("%(name)s has too many pixels.") % {"name": name})
        image = ImageOps.exif_transpose(image)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}) from exc
    extension, content_type = ALLOWED_FORMATS[detected]
    stem = PurePath(name).stem[:60] or "photo"
    return CheckedPhoto(
        image=ContentFile(_encode(image, detected), name=f"{stem}.{extension}"),
        thumbnail=ContentFile(_encode(_thumbnail(image), "JPEG"), name=f"{stem}-thumb.jpg"),
        content_type=content_type, width=image.width, height=image.height,
    )


def thumbnail_of(stored: FieldFile) -> ContentFile:
    """The thumbnail of a photo already stored by :func:`check_photo` (upright, within the pixel limit), for a
    row that shares the stored image but not a thumbnail (a tip-off's photo keeps none)."""
    with stored.open("rb"), Image.open(stored) as image:
        image.load()
        thumbnail = _thumbnail(image)
    stem = PurePath(stored.name).stem[:60] or "photo"
    return ContentFile(_encode(thumbnail, "JPEG"), name=f"{stem}-thumb.jpg")


def _thumbnail(image: Image.Image) -> Image.Image:
    thumb = image.convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    return thumb


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()
