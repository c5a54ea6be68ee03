"""Uploads recognised by content (not by name) and size-limited; anything else is refused with a message naming
the file. Photos: orientation fixed from EXIF, with a thumbnail. Documents: PDF, Word, Excel or OFD, with their
size and SHA-256."""

from __future__ import annotations

import hashlib
import io
import zipfile
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


# --- documents ---------------------------------------------------------------------------------------------

#: Kind → (file extension, MIME type) of the documents a row may hold: a plan's text, a filing receipt, a report.
DOCUMENT_FORMATS = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": ("doc", "application/msword"),
    "xls": ("xls", "application/vnd.ms-excel"),
    "ofd": ("ofd", "application/ofd"),
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
#: The main parts' content types an OOXML package declares in ``[Content_Types].xml`` (ECMA-376 Part 2 §10.1);
#: the macro-enabled variants (``.docm``, ``.xlsm``) declare others and are refused.
OOXML_MAIN_PARTS = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
#: The stream a legacy Word or Excel file keeps in its compound-file directory (names in UTF-16LE): the
#: directory is what tells a .doc from a .xls, and both from any other OLE file (an .msi installer is one).
OLE_STREAMS = {"doc": ("WordDocument",), "xls": ("Workbook", "Book")}
#: The namespace of an OFD package's entry file (GB/T 33190-2016 Annex A).
OFD_NAMESPACE = b"http://www.ofdspec.org/2016"
#: Bytes read from a package's part to recognise it: a few kB suffice; a zip bomb's part is never inflated whole.
PART_READ_LIMIT = 256 * 1024


@dataclass(frozen=True)
class CheckedDocument:
    file: ContentFile
    original_name: str
    size: int
    content_type: str
    sha256: str


def _zip_kind(data: bytes) -> str | None:
    """docx, xlsx or ofd from the package's own declaration; None for any other zip (or a broken one).
    OFD (GB/T 33190-2016 §7.4): the package's entry file ``OFD.xml`` at its root, an ``ofd:OFD`` element."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" in names:
                with package.open("[Content_Types].xml") as part:
                    declared = part.read(PART_READ_LIMIT)
                return next((kind for kind, main in OOXML_MAIN_PARTS.items() if main in declared), None)
            if "OFD.xml" in names:
                with package.open("OFD.xml") as part:
                    return "ofd" if OFD_NAMESPACE in part.read(PART_READ_LIMIT) else None
    # zipfile's own refusals of a damaged or hostile package: NotImplementedError is its answer to an unknown
    # compression method, RuntimeError to an encrypted member. Such a file is no document we accept.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    return None


def _ole_kind(data: bytes) -> str | None:
    for kind, streams in OLE_STREAMS.items():
        if any(stream.encode("utf-16-le") in data for stream in streams):
            return kind
    return None


def document_kind(data: bytes) -> str | None:
    """The kind of document ``data`` is, read from its content (its name is not asked): PDF by its header
    (ISO 32000-1 §7.5.2 ``%PDF-``), DOCX/XLSX/OFD as zip packages, DOC/XLS as OLE compound files."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    return None


def check_document(upload) -> CheckedDocument:
    """Validate one uploaded document: at most ``SHOUYE_DOCUMENT_MAX_BYTES``, not empty, and a PDF, Word
    (DOC/DOCX), Excel (XLS/XLSX) or OFD file by its content. It is stored under its own name with the real
    kind's extension (a renamed program keeps no ``.pdf``).

    Raises ValidationError naming the file."""
    name = _name(upload)
    limit = settings.SHOUYE_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": limit // 2**20})
    if not upload.size:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    upload.seek(0)
    data = upload.read()
    kind = document_kind(data)
    if kind is None:
        raise ValidationError(_("%(name)s is not a PDF, Word (DOC/DOCX), Excel (XLS/XLSX) or OFD document.")
                              % {"name": name})
    extension, content_type = DOCUMENT_FORMATS[kind]
    stem = PurePath(name).stem[:80] or "document"
    return CheckedDocument(file=ContentFile(data, name=f"{stem}.{extension}"), original_name=name[:200],
                           size=len(data), content_type=content_type, sha256=hashlib.sha256(data).hexdigest())
