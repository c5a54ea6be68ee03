"""The Excel import kit: what every import of the platform shares (the enterprise registry's first; next the
rescue resources, question banks, risk points and duty rosters).

How an import behaves, for its users:

- The user downloads a template (a data sheet with the column titles, required ones marked ``*``, each
  explained in a cell comment; an Instructions sheet listing what the coded columns accept), fills it in and
  uploads it. Only .xlsx is accepted; an .xls, a password-protected file or anything else is refused with a
  message saying how to save it properly.
- The import is **all-or-nothing**. Every row is checked first; only when no row has an error are all rows
  written, in one transaction. Otherwise nothing is written and every error is reported as (Excel row,
  column, reason), on the job page and in a copy of the uploaded file with an error column and the bad cells
  in red, which the user corrects and uploads again.
- Cells are read as people type them: numbers stored as text, dates as text (2026-03-31, 2026/3/31,
  2026年3月31日, 20260331) or as real dates, full-width characters in codes, numbers and the names and codes
  of reference data. A long code (a credit code, an ID number) stored as a number has lost its last digits
  to Excel's 15 significant ones: it is refused with a message to format the column as text. Only the
  sheet's real cells are read, never the size it declares (ARCHITECTURE §10).
- Up to ``SHOUYE_IMPORT_SYNC_MAX_ROWS`` rows run in the request; larger files run as a background job
  (:mod:`shouye.core.jobs`) whose page shows a progress bar while the rows are checked and written.

How to write the next import (see ``shouye.enterprises.imports`` for the first one):

1. **Job model**: in the app's ``models.py``, ``class ResourceImportJob(ImportJobBase)`` with its ``Meta``
   (verbose names, ``ordering = ["-id"]``); register its files for retention in ``apps.py``
   (``RetainedFiles(model=..., fields=("file", "error_file"), verb=...)``).
2. **Columns**: ``COLUMNS = Columns([Column("name", gettext_lazy("Name"), required=True, hint=...), ...])``.
   Mark ``ascii_forms=True`` on columns holding codes or numbers people type with a Chinese input method,
   and ``text_only=True`` on columns of codes longer than 15 digits (the kit refuses a number there).
3. **Row checker**: a :class:`RowChecker` whose ``check(number, cells, errors)`` reads the cells with
   :mod:`~shouye.core.importkit.cells` (``cells.date_value``, ``cells.decimal``, ``cells.whole``; each
   raises :class:`BadCell` with the reason) and ``COLUMNS.texts(cells)``, skips the columns the kit has
   already refused (``errors.keys_of(number)``), compares names and codes with ``columns.fold``, puts
   what it builds through the model's own ``full_clean`` (``errors.add_validation``), checks the actor's
   scope, adds every problem with ``errors.add(number, key, reason)`` and returns the row ready to write,
   or None. Checks across rows
   (repeated codes, codes already registered) go in ``check_across``; ``recheck`` finds them again when
   the write meets a unique constraint because someone registered the same code meanwhile.
4. **Batch writer**: ``write_batch(actor, rows)`` inserts a batch (``bulk_create``) with what the app's
   service records for each (its audit events, ``audit.record_many``).
5. Declare an :class:`ImportKind` with these, its permissions, the data sheet's title, the message for a
   file without rows, ``enqueue`` (``in_background("shouye.<app>.tasks.run_import")``: the app's Celery
   task, whose body is ``KIND.run_job(job_id, language)``) and ``on_success`` (the job's own audit event).
   The import module exposes ``start_import = KIND.start`` and ``jobs_of = KIND.jobs_of`` for its
   :class:`~shouye.core.importkit.pages.ImportPages`, which give the upload and job pages. The template is
   built with :func:`~shouye.core.importkit.workbooks.write_template_header` plus the app's Instructions
   sheet.

Tests for an import: the template round trip (a filled template imports as it is), each check's message
with its row and column, nothing written on any error, the background run with progress, and the job
visible only to its user.
"""

from .cells import BadCell
from .columns import Column, Columns
from .errors import ImportErrors
from .models import ImportJobBase
from .runner import ImportKind, RowChecker, ensure_can_import, in_background, run_import, start_import
from .sheets import Sheet, read_sheet
from .workbooks import XLSX_CONTENT_TYPE, error_workbook, write_template_header

__all__ = [
    "XLSX_CONTENT_TYPE", "BadCell", "Column", "Columns", "ImportErrors", "ImportJobBase", "ImportKind",
    "RowChecker", "Sheet", "ensure_can_import", "error_workbook", "in_background", "read_sheet", "run_import",
    "start_import", "write_template_header",
]
