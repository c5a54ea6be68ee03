"""The API's request parsers (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``; a test refuses any other JSON or
form parser on an API view). Every body is bounded before it is parsed (ARCHITECTURE.md §10; issue 9, items
3 and 4):

- a JSON or form body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused with 413 without being read
  (DRF's own parsers read any length; files in a multipart body have their own limits);
- JSON nested deeper than :data:`MAX_JSON_DEPTH` is refused with 400 before Python's parser recurses into it
  (``[`` × 1000 was a RecursionError, a 500 page, on every endpoint and without signing in).

Both answer in the API's error shape (``{"detail": …}``, shouye.core.api.errors)."""

import re

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from .errors import PayloadTooLarge

#: Deepest nesting of arrays and objects a JSON body may have: the API's deepest input (an enterprise's list
#: of key people) has three levels.
MAX_JSON_DEPTH = 32

_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def read_body(stream, parser_context) -> bytes:
    """The whole body, or 413 when it is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (declared or read)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    request = (parser_context or {}).get("request")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        declared = 0
    if declared > limit:
        raise PayloadTooLarge(limit)
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise PayloadTooLarge(limit)
    return body


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether the arrays and objects of a JSON text nest more than ``limit`` deep (brackets inside strings
    do not count); it stops at the first bracket past the limit."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = read_body(stream, parser_context)
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("The body is not text in %(encoding)s.") % {"encoding": encoding}) from exc
        if nested_deeper_than(text, MAX_JSON_DEPTH):
            raise ParseError(_("The JSON is nested more than %(max)d levels deep.") % {"max": MAX_JSON_DEPTH})
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except ValueError as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        return QueryDict(read_body(stream, parser_context), encoding=encoding)
