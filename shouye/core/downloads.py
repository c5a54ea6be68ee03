"""One way to send a generated file (an Excel export, a PDF) to the browser: the bytes in an HttpResponse
whose Content-Disposition carries the file's name however it is spelled.

A name may be Chinese (风险分级管控清单导入模板.xlsx). RFC 6266 §4.3 and Appendix D: the name goes in
``filename*`` encoded as RFC 8187 (formerly RFC 5987) says, ``UTF-8''`` and percent-encoded bytes, which
current browsers read; ``filename`` before it holds an ASCII fallback for the clients that do not
(Chinese characters dropped, the extension kept), and a client that reads both prefers ``filename*``. A name
that is plain ASCII needs no ``filename*``. Files served from storage go through Django's FileResponse,
which builds the same header for a name that is ASCII (every background export's name is: e.g.
``shouye.hazards.exports.ledger_filename``)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
#: The ASCII fallback's stem when nothing of the name's stem is ASCII.
FALLBACK_STEM = "download"
#: Characters kept as they are in the ASCII fallback (RFC 9110 §5.6.4 quoted-string, minus what trips
#: clients: quotes, backslashes, path separators, ``%`` which some clients decode).
_UNSAFE = re.compile(r"[^A-Za-z0-9._()\[\]+-]+")


def ascii_fallback(filename: str) -> str:
    """The name in ASCII: accents stripped (NFKD), other non-ASCII characters dropped, each run of
    characters unsafe in a header (spaces, quotes, slashes) replaced by one ``-``, the extension kept;
    ``download.xlsx`` when nothing of the stem is left."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""

    def clean(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return _UNSAFE.sub("-", plain).strip("-.")

    extension = clean(suffix)
    return f"{clean(stem) or FALLBACK_STEM}{'.' if extension else ''}{extension}"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition value: ``attachment`` (saved) or ``inline`` (shown, a PDF preview) with the
    name, an ASCII ``filename`` and, for any other name, its ``filename*``."""
    disposition = "inline" if inline else "attachment"
    fallback = ascii_fallback(filename)
    if fallback == filename:
        return f'{disposition}; filename="{filename}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(content: bytes, filename: str, *, content_type: str, inline: bool = False) -> HttpResponse:
    """An HttpResponse sending ``content`` as the file ``filename`` (see :func:`content_disposition`)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
