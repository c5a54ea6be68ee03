"""Logging of expected refusals (issue 10): Django's ``django.request`` logger records every PermissionDenied
a view raised with the exception's full traceback (``log_response(..., exception=exc)``), so each refused
request filled the log with a stack that says nothing. A refusal is the platform working as designed
(ARCHITECTURE.md §4: a missing permission is 403): it keeps its one warning line (status, path) and loses the
traceback. Any other exception keeps its traceback; a 404 is logged without one by Django already."""

import logging

from django.core.exceptions import PermissionDenied


class QuietRefusals(logging.Filter):
    """Drops the traceback from a record of an expected refusal; never drops the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
