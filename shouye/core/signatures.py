"""Signatures drawn on screen (decision 0008): the pad a form shows (:class:`SignaturePad`, drawn by
static/core/signature.js) sends the canvas as a PNG data URL, checked here before it is stored and printed
on a document. Every app that signs on screen (inspections' documents, permits' signature chain) uses this
module: one pad, one set of limits.

A signature is accepted only as a real PNG (the signature's magic bytes, then Pillow decodes the whole
image), of at most :data:`MAX_BYTES` and :data:`MAX_SIDE` pixels a side: the pad draws 600 × 200, so
anything much larger is not a signature but an attempt to make every PDF rendering slow (ARCHITECTURE.md
§10, every request bounded)."""

from __future__ import annotations

import base64
import binascii
import io

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

#: A pad's PNG is 5–30 kB; 256 kB leaves room for a high-density screen and refuses anything else.
MAX_BYTES = 256 * 1024
#: Longest side in pixels (the pad is 600 × 200 CSS pixels, up to 3 device pixels each).
MAX_SIDE = 2000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"
#: A signature's data URL at most (MAX_BYTES in base64, with its prefix): the length an API field accepts.
DATA_URL_CHARS = MAX_BYTES * 4 // 3 + 64


def _too_large() -> ValidationError:
    return ValidationError(_("The signature is larger than %(kb)d kB.") % {"kb": MAX_BYTES // 1024})


def png_bytes(value: str | bytes | None) -> bytes | None:
    """The PNG bytes of a signature given as a data URL (or bare base64, or bytes); None when empty.
    Raises ValidationError (one message) when it is not a PNG, too large or unreadable."""
    if value is None or value == "" or value == b"":
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("data:"):
            if not text.startswith(DATA_URL_PREFIX):
                raise ValidationError(_("The signature must be a PNG image."))
            text = text[len(DATA_URL_PREFIX):]
        if len(text) > MAX_BYTES * 4 // 3 + 4:
            raise _too_large()
        try:
            value = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(_("The signature could not be read.")) from exc
    if len(value) > MAX_BYTES:
        raise _too_large()
    if not value.startswith(PNG_MAGIC):
        raise ValidationError(_("The signature must be a PNG image."))
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(value)) as image:
            if image.format != "PNG":
                raise ValidationError(_("The signature must be a PNG image."))
            if max(image.size) > MAX_SIDE:
                raise ValidationError(_("The signature image is too large."))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The signature could not be read.")) from exc
    return bytes(value)


def decode(value: str | bytes | None, *, field: str) -> bytes | None:
    """:func:`png_bytes`, its refusal attached to ``field`` (for a service that checks several inputs)."""
    try:
        return png_bytes(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def data_url(png: bytes) -> str:
    """The PNG as a data URL for a document template (WeasyPrint reads data URLs) or for the pad to redraw."""
    return DATA_URL_PREFIX + base64.b64encode(bytes(png)).decode("ascii")


class SignaturePad(forms.HiddenInput):
    """A canvas to sign on with a finger, pen or mouse, the hidden input the script fills with the PNG data
    URL, and a clear button. Not hidden for the form: it renders with its label among the visible fields,
    the label pointing at the canvas. Rendered with the project's templates (the form renderer's engine only
    knows Django's own widgets)."""

    template_name = "core/widgets/signature_pad.html"
    is_hidden = False

    class Media:
        js = ("core/signature.js",)

    def id_for_label(self, id_):
        return f"{id_}-canvas" if id_ else id_

    def format_value(self, value):
        if isinstance(value, bytes | bytearray | memoryview):
            return data_url(bytes(value))
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class SignatureField(forms.CharField):
    """A signature drawn on screen: cleans to the PNG bytes (checked by :func:`png_bytes`, which also
    bounds the length with its own message), or None when the pad was left empty."""

    widget = SignaturePad

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        return png_bytes(text)
