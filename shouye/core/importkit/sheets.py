"""Reading the data sheet of an uploaded workbook: the .xlsx checks, the header, the non-empty rows.

Only the cells really in the file are read, never the size the workbook declares (ARCHITECTURE §10): the
dimension record of a sheet is written by whatever program saved it and may be wrong either way. Trusted,
a record smaller than the data silently drops the rows and columns beyond it; one larger than the data
(``A1:XFD1048576``) makes the reader pad a million empty rows to 16,384 cells each."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from . import cells
from .columns import Columns, fold, in_every_language
from .errors import ImportErrors

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, and password-protected .xlsx
#: The title of the error column the error workbook adds; a file uploaded again with it is still read.
ERRORS_TITLE = gettext_lazy("Errors")


@dataclass
class Sheet:
    """The data sheet of an uploaded workbook: its title, where each known column is (0-based), its
    non-empty data rows as (Excel row number, cell values), and where an earlier error column is."""

    title: str
    positions: dict[str, int]
    rows: list[tuple[int, tuple]]
    errors_position: int | None = None

    def cells(self, values: tuple) -> dict:
        """One row's values by column key; a column the row is too short for is None."""
        return {key: values[pos] if pos < len(values) else None for key, pos in self.positions.items()}


def open_workbook(content: bytes, name: str):
    """Load an uploaded file as a read-only xlsx workbook (formula cells give their saved values), or raise
    ValidationError naming the file and saying how to save it properly."""
    if not content:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    if content.startswith(_OLE2_MAGIC):
        raise ValidationError(_(
            "“%(name)s” is an Excel 97–2003 (.xls) workbook or a password-protected file, not an .xlsx "
            "workbook. Open it in Excel or WPS, remove any password, save it as “Excel Workbook (*.xlsx)” "
            "and upload it again.") % {"name": name})
    not_xlsx = ValidationError(_(
        "“%(name)s” is not an Excel workbook (.xlsx). Save it from Excel or WPS as “Excel Workbook "
        "(*.xlsx)” and upload it again.") % {"name": name})
    if not content.startswith(_ZIP_MAGIC):
        raise not_xlsx
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        raise not_xlsx from exc


def data_sheet(workbook, title):
    """The sheet named like the template's data sheet (``title``, in any language); otherwise the first."""
    titles = in_every_language(title)
    for sheet in workbook.worksheets:
        if fold(sheet.title) in titles:
            return sheet
    return workbook.worksheets[0] if workbook.worksheets else None


def real_rows(sheet) -> Iterator[tuple]:
    """The sheet's rows as value tuples, as far as its real cells go (see the module's documentation)."""
    sheet.reset_dimensions()
    return sheet.iter_rows(min_row=1, values_only=True)


def _is_empty(values) -> bool:
    return all(cells.text(v) == "" for v in values)


def _header_positions(header: tuple, columns: Columns) -> tuple[dict[str, int], int | None]:
    """Where each known column is, and where an error column left by an earlier refusal is."""
    titles = columns.header_lookup()
    error_titles = in_every_language(ERRORS_TITLE)
    positions, errors_position = {}, None
    for index, value in enumerate(header):
        folded = fold(cells.text(value))
        if folded in titles and titles[folded] not in positions:
            positions[titles[folded]] = index
        elif errors_position is None and any(folded.startswith(t) for t in error_titles):
            errors_position = index
    return positions, errors_position


def read_sheet(content: bytes, name: str, errors: ImportErrors, *, sheet_title, no_rows_message) -> Sheet | None:
    """The data sheet with its header mapped to the columns of ``errors``; problems with the file go to
    ``errors`` (``no_rows_message`` takes the file's ``%(name)s``). None when there is nothing to read."""
    try:
        workbook = open_workbook(content, name)
    except ValidationError as exc:
        errors.add(None, "", exc.messages[0])
        return None
    try:
        sheet = data_sheet(workbook, sheet_title)
        rows = real_rows(sheet) if sheet is not None else iter(())
        header = next(rows, None)
        if header is None or _is_empty(header):
            errors.add(None, "", _("The first sheet of “%(name)s” is empty: download the template, fill it in "
                                   "and upload it again.") % {"name": name})
            return None
        positions, errors_position = _header_positions(header, errors.columns)
        for column in errors.columns.missing_required(positions):
            errors.add(1, column.key, _("This required column is missing from the header row."))
        data = [(number, values) for number, values in enumerate(rows, start=2) if not _is_empty(values)]
        if not data:
            errors.add(None, "", no_rows_message % {"name": name})
        return Sheet(title=sheet.title, positions=positions, rows=data, errors_position=errors_position)
    finally:
        workbook.close()


def count_rows(content: bytes, *, sheet_title, up_to: int) -> int:
    """Data rows of the file's data sheet, counted in its real cells but no further than ``up_to + 1`` (to
    choose between running in the request and in the background without reading a large file twice);
    0 for a file that cannot be opened (it is refused at once, in the request), more than ``up_to`` for
    a sheet that cannot be parsed."""
    try:
        workbook = open_workbook(content, "")
    except ValidationError:
        return 0
    try:
        sheet = data_sheet(workbook, sheet_title)
        if sheet is None:
            return 0
        count = -1  # the header
        for count, _values in enumerate(real_rows(sheet)):
            if count > up_to:
                break
        return max(count, 0)
    except Exception:  # a sheet openpyxl cannot parse: the background job reads it and reports why
        return up_to + 1
    finally:
        workbook.close()
