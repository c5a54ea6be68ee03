"""Signatures drawn on screen (static/shouye/signature.js) and sent as PNG data URLs: checked before they
are stored and printed on a document.

A signature is accepted only as a real PNG (the signature's magic bytes, then Pillow decodes the whole
image), of at most :data:`MAX_BYTES` and :data:`MAX_SIDE` pixels a side: the pad draws 600 × 200, so
anything much larger is not a signature but an attempt to make every PDF rendering slow (ARCHITECTURE.md
§10, every request bounded)."""

from __future__ import annotations

import base64
import binascii
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: A pad's PNG is 5–30 kB; 256 kB leaves room for a high-density screen and refuses anything else.
MAX_BYTES = 256 * 1024
#: Longest side in pixels (the pad is 600 × 200 CSS pixels, up to 3 device pixels each).
MAX_SIDE = 2000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"


def decode(value: str | bytes | None, *, field: str) -> bytes | None:
    """The PNG bytes of a signature given as a data URL (or bare base64, or bytes); None when empty.
    Raises ValidationError on ``field`` when it is not a PNG, too large or unreadable."""
    if value is None or value == "" or value == b"":
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("data:"):
            if not text.startswith(DATA_URL_PREFIX):
                raise ValidationError({field: _("The signature must be a PNG image.")})
            text = text[len(DATA_URL_PREFIX):]
        if len(text) > MAX_BYTES * 4 // 3 + 4:
            raise ValidationError({field: _("The signature is larger than %(kb)d kB.") % {"kb": MAX_BYTES // 1024}})
        try:
            value = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError({field: _("The signature could not be read.")}) from exc
    if len(value) > MAX_BYTES:
        raise ValidationError({field: _("The signature is larger than %(kb)d kB.") % {"kb": MAX_BYTES // 1024}})
    if not value.startswith(PNG_MAGIC):
        raise ValidationError({field: _("The signature must be a PNG image.")})
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(value)) as image:
            if image.format != "PNG":
                raise ValidationError({field: _("The signature must be a PNG image.")})
            if max(image.size) > MAX_SIDE:
                raise ValidationError({field: _("The signature image is too large.")})
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError({field: _("The signature could not be read.")}) from exc
    return value


def data_url(png: bytes) -> str:
    """The PNG as a data URL for the document template (WeasyPrint reads data URLs)."""
    return DATA_URL_PREFIX + base64.b64encode(bytes(png)).decode("ascii")
