"""A small streaming XLSX writer: one worksheet, written row by row straight into the zip package.

Why (issue 3, "The ledger and statistics": a 100,000-row ledger export within seconds and 300 MB): openpyxl's
write-only mode spends about half a millisecond on each row, so a large ledger took well over a minute. This
writer produces the few parts of an Office Open XML spreadsheet (ECMA-376 Part 1, SpreadsheetML) itself:

* ``[Content_Types].xml``, ``_rels/.rels``, ``xl/workbook.xml``, ``xl/_rels/workbook.xml.rels`` and
  ``xl/styles.xml`` (a bold header style, a ``yyyy-mm-dd`` date format and a ``yyyy-mm-dd hh:mm:ss``
  date-and-time format) are written when the book is opened;
* ``xl/worksheets/sheet1.xml`` is streamed into its zip entry as rows arrive, a batch of rows at a time, so
  memory stays constant whatever the number of rows. Text is written as inline strings (``t="inlineStr"``),
  so no shared-strings table has to be kept in memory.

Usage::

    with StreamingXlsx(fileobj, sheet_name="Ledger", column_widths=(6, 30), freeze_header=True) as book:
        book.write_header(["No.", "Name"])
        book.write_row([1, "Acme"])

``fileobj`` is any binary file opened for writing (a temporary file, a ``BytesIO``); the book does not close
it. How values are written:

* ``None`` and ``""``: an empty cell (an empty ``<c/>`` element, so a reader sees every row at its full
  width even without the sheet's dimension, which a stream cannot know in advance);

Cells are written without their optional ``r`` reference (ECMA-376 §18.3.1.4: a cell without one is the
next in its row), which Excel, LibreOffice and openpyxl read; rows keep theirs.
* ``bool``: a boolean cell; ``int``, ``float``, ``Decimal``: a number (a NaN or an infinity, which a
  spreadsheet cannot hold, as text);
* ``date``: a date serial number with the date format; ``datetime``: a serial number with the date-and-time
  format, a timezone-aware one first converted to ``local_timezone`` (default Asia/Shanghai, the bureau's);
  Excel's serial numbers count days from 1899-12-30 and are wrong before 1900-03-01 (Excel's 1900 leap-year
  bug), so earlier dates are written as ISO text;
* anything else: its ``str()`` as text, XML-escaped, with the characters XML 1.0 forbids (control characters
  other than tab, line feed and carriage return; lone surrogates; U+FFFE, U+FFFF) removed, and cut to
  32,767 characters, the most an Excel cell holds (Excel's specifications and limits).

Formula injection (issue 9, ARCHITECTURE §10): text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is what Excel and WPS take for a formula when the cell is typed or edited (``=HYPERLINK(…)``
sending the reader to a stranger's site, ``=cmd|…`` starting a program through DDE), and what openpyxl
writes as a formula when such a string is assigned to a cell. Every such text is written as a text cell
with the ``quotePrefix`` style (ECMA-376 §18.8.45), which is what Excel itself stores for a cell typed
with a leading apostrophe: Excel, WPS and LibreOffice show the text exactly as it is (no apostrophe in
the cell, none added to the value a reader or a re-import gets), and editing the cell keeps it text. Only
text is treated so: a negative number stays a number.

Every spreadsheet the platform hands out is written here, never with openpyxl's ``Workbook`` or
``save`` elsewhere (``tests/core/test_formula_injection.py`` reads the source and refuses them): this
streaming writer for lists and ledgers, and :func:`new_workbook` / :func:`annotated_upload` with
:func:`workbook_bytes` for the few workbooks that need what a stream cannot write (several sheets, cell
comments, drop-down lists, a user's own file handed back with its errors marked), which neutralises
every cell of every sheet as it saves.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

__all__ = ["StreamingXlsx", "annotated_upload", "new_workbook", "starts_like_formula", "workbook_bytes"]

#: Excel's limits (Excel specifications and limits): rows and columns of a sheet, characters of a cell, and of
#: a sheet name, which must not contain any of ``[]:*?/\``.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
MAX_SHEET_NAME = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

#: Style indexes into ``cellXfs`` of :data:`_STYLES`; the two ``_TEXT`` ones carry ``quotePrefix`` (text that
#: would otherwise be taken for a formula, see the module's documentation).
STYLE_DEFAULT, STYLE_BOLD, STYLE_DATE, STYLE_DATETIME, STYLE_TEXT, STYLE_BOLD_TEXT = 0, 1, 2, 3, 4, 5

#: Short texts (names, labels), dates and amounts repeat from row to row: their cells' XML is kept, up to
#: _CACHE_SIZE of them (then the cache starts again), so memory stays bounded.
_CACHED_TEXT_CHARS = 64
_CACHE_SIZE = 10_000

#: Rows gathered before they are compressed into the zip entry; bigger batches mean fewer, larger writes.
ROWS_PER_WRITE = 1000

_EMPTY_CELL = "<c/>"
_EPOCH = date(1899, 12, 30)
_EPOCH_DATETIME = datetime(1899, 12, 30)
_FIRST_CORRECT_DATE = date(1900, 3, 1)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_ESCAPE = re.compile("[&<>\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: The first characters that make a spreadsheet read a text as a formula (OWASP, "CSV Injection"), after
#: any characters XML forbids, which the writer removes.
_FORMULA_START = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*[=+\\-@\t\r]")

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _XML_DECL
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML_DECL
    + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML_DECL
    + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_STYLES = (
    _XML_DECL
    + f'<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula (see the module's documentation)."""
    return _FORMULA_START.match(text) is not None


def clean_text(text: str) -> str:
    """Text as it goes into the sheet's XML: without the characters XML 1.0 forbids, at most
    MAX_CELL_CHARS long, with ``&``, ``<`` and ``>`` escaped and a carriage return as a character reference
    (a literal one would be read back as a line feed)."""
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS]
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    text = _ILLEGAL_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attribute(text: str) -> str:
    return clean_text(text).replace('"', "&quot;")


class StreamingXlsx:
    """A one-sheet XLSX workbook written row by row into ``fileobj`` (see the module's documentation).

    ``column_widths`` (in characters, one per column from A; ``None`` leaves a column at its default) and
    ``freeze_header`` (keep row 1 in view while scrolling) must be known before the first row, because they
    come before the rows in the sheet's XML. ``compresslevel`` is zlib's level: the default 1 compresses a
    text-heavy sheet nearly as well as 6 in a fraction of the time."""

    def __init__(self, fileobj: IO[bytes], *, sheet_name: str = "Sheet1",
                 column_widths: Sequence[float | None] | None = None, freeze_header: bool = False,
                 local_timezone: tzinfo | None = None, compresslevel: int = 1):
        if not sheet_name or len(sheet_name) > MAX_SHEET_NAME or _SHEET_NAME_FORBIDDEN.search(sheet_name):
            raise ValueError(f"Invalid sheet name {sheet_name!r}: 1 to {MAX_SHEET_NAME} characters, none of []:*?/\\")
        self.sheet_name = sheet_name
        self.column_widths = tuple(column_widths or ())
        self.freeze_header = freeze_header
        self.local_timezone = local_timezone or ZoneInfo("Asia/Shanghai")
        self.rows_written = 0
        self._fileobj = fileobj
        self._compresslevel = compresslevel
        self._zip: zipfile.ZipFile | None = None
        self._sheet: IO[bytes] | None = None
        self._pending: list[str] = []
        self._cells: dict[Any, str] = {}
        self._closed = False

    # --- lifecycle ------------------------------------------------------------------------------------------

    def __enter__(self) -> StreamingXlsx:
        self.open()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        else:
            self._abandon()

    def open(self) -> None:
        """Write the fixed parts of the package and start the sheet."""
        if self._zip is not None:
            raise RuntimeError("The workbook is already open.")
        self._zip = zipfile.ZipFile(self._fileobj, "w", compression=zipfile.ZIP_DEFLATED,
                                    compresslevel=self._compresslevel)
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/workbook.xml", self._workbook_xml())
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._sheet.write(self._sheet_start().encode())

    def close(self) -> None:
        """Finish the sheet and the package (the file object itself stays open)."""
        if self._closed:
            return
        if self._sheet is None or self._zip is None:
            raise RuntimeError("The workbook was never opened.")
        self._flush()
        self._sheet.write(b"</sheetData></worksheet>")
        self._sheet.close()
        self._zip.close()
        self._closed = True

    def _abandon(self) -> None:
        """Release the zip after a failure; what was written is not a valid workbook and is not meant to be."""
        self._closed = True
        for part in (self._sheet, self._zip):
            if part is not None:
                try:
                    part.close()
                except (OSError, ValueError, RuntimeError):
                    pass

    # --- rows -----------------------------------------------------------------------------------------------

    def write_header(self, columns: Iterable[Any]) -> None:
        """Write a row in the bold header style (normally the first row)."""
        self._add_row(columns, header=True)

    def write_row(self, values: Iterable[Any]) -> None:
        """Write the next row; each value becomes a cell as the module's documentation describes."""
        self._add_row(values, header=False)

    def write_rows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows."""
        for values in rows:
            self._add_row(values, header=False)

    def _add_row(self, values: Iterable[Any], *, header: bool) -> None:
        if self._sheet is None or self._closed:
            raise RuntimeError("Rows can only be written to an open workbook.")
        if self.rows_written >= MAX_ROWS:
            raise ValueError(f"A sheet holds at most {MAX_ROWS} rows.")
        values = values if isinstance(values, list | tuple) else list(values)
        if len(values) > MAX_COLUMNS:
            raise ValueError(f"A sheet holds at most {MAX_COLUMNS} columns.")
        self.rows_written += 1
        parts = [f'<row r="{self.rows_written}">']
        append = parts.append
        if header:
            for value in values:
                if value is None or value == "":
                    append(_EMPTY_CELL)
                else:
                    append(_text_cell(str(value), bold=True))
        else:
            cache, cell = self._cells, self._cell
            for value in values:
                kind = type(value)
                if kind is str:
                    xml = cache.get(value)
                    if xml is None:
                        xml = cell(value)
                        if len(value) <= _CACHED_TEXT_CHARS:
                            if len(cache) >= _CACHE_SIZE:
                                cache.clear()
                            cache[value] = xml
                    append(xml)
                elif value is None:
                    append(_EMPTY_CELL)
                elif kind is int:
                    append(f"<c><v>{value}</v></c>")
                elif kind is date or kind is Decimal:
                    xml = cache.get(value)
                    if xml is None:
                        if len(cache) >= _CACHE_SIZE:
                            cache.clear()
                        xml = cache[value] = cell(value)
                    append(xml)
                else:
                    append(cell(value))
        append("</row>")
        self._pending.append("".join(parts))
        if len(self._pending) >= ROWS_PER_WRITE:
            self._flush()

    def _cell(self, value: Any) -> str:
        """One cell's XML (without its optional ``r`` reference: a cell without one is the next in its row)."""
        if value is None or value == "":
            return _EMPTY_CELL
        if isinstance(value, str):
            return _text_cell(value)
        if isinstance(value, bool):
            return f'<c t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            return f"<c><v>{int(value)}</v></c>"
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(self.local_timezone).replace(tzinfo=None)
            if value.date() < _FIRST_CORRECT_DATE:
                return self._cell(value.isoformat(sep=" "))
            delta = value - _EPOCH_DATETIME
            serial = delta.days + (delta.seconds + delta.microseconds / 1_000_000) / 86_400
            return f'<c s="{STYLE_DATETIME}"><v>{serial!r}</v></c>'
        if isinstance(value, date):
            if value < _FIRST_CORRECT_DATE:
                return self._cell(value.isoformat())
            return f'<c s="{STYLE_DATE}"><v>{(value - _EPOCH).days}</v></c>'
        if isinstance(value, float | Decimal):
            if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
                return self._cell(str(value))
            return f"<c><v>{float(value)!r}</v></c>"
        return self._cell(str(value))

    def _flush(self) -> None:
        if self._pending and self._sheet is not None:
            self._sheet.write("".join(self._pending).encode())
            self._pending.clear()

    # --- fixed parts ----------------------------------------------------------------------------------------

    def _workbook_xml(self) -> str:
        return (
            _XML_DECL
            + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            "<bookViews><workbookView/></bookViews>"
            f'<sheets><sheet name="{_attribute(self.sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        )

    def _sheet_start(self) -> str:
        parts = [_XML_DECL, f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">']
        if self.freeze_header:
            parts.append(
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                "</sheetView></sheetViews>")
        else:
            parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
        parts.append('<sheetFormatPr defaultRowHeight="15"/>')
        widths = [(index, float(width)) for index, width in enumerate(self.column_widths, start=1)
                  if width is not None]
        if widths:
            parts.append("<cols>")
            parts.extend(f'<col min="{index}" max="{index}" width="{width!r}" customWidth="1"/>'
                         for index, width in widths)
            parts.append("</cols>")
        parts.append("<sheetData>")
        return "".join(parts)


def _text_cell(text: str, *, bold: bool = False) -> str:
    """An inline-string cell: the cleaned text, in the ``quotePrefix`` style when it starts like a formula;
    ``xml:space="preserve"`` only where the text starts or ends with white space, which XML would drop."""
    if starts_like_formula(text):
        style = f' s="{STYLE_BOLD_TEXT if bold else STYLE_TEXT}"'
    else:
        style = f' s="{STYLE_BOLD}"' if bold else ""
    cleaned = clean_text(text)
    if cleaned[:1].isspace() or cleaned[-1:].isspace():
        return f'<c{style} t="inlineStr"><is><t xml:space="preserve">{cleaned}</t></is></c>'
    return f'<c{style} t="inlineStr"><is><t>{cleaned}</t></is></c>'


# --- workbooks a stream cannot write ------------------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty openpyxl workbook (one sheet) for a spreadsheet with several sheets, comments or drop-down
    lists, such as an import template; hand it out only through :func:`workbook_bytes`."""
    return Workbook()


def annotated_upload(content: bytes) -> Workbook:
    """An uploaded workbook loaded to be handed back with additions (an import's error column). Formula cells
    come as the values they were saved with, which is what the import read; :func:`workbook_bytes` turns
    any text that would be taken for a formula into plain text."""
    return load_workbook(io.BytesIO(content), data_only=True)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, with no formula left in it: every cell of every sheet holding a formula
    or a text that starts like one becomes a text cell in the ``quotePrefix`` style (see the module's
    documentation); numbers, dates and other text stay as they are."""
    for sheet in workbook.worksheets:
        # The cells that exist, not the rectangle up to max_row × max_column, which a sparse uploaded sheet
        # (one cell in A1048576, one in XFD1) makes billions of cells long.
        for cell in list(sheet._cells.values()):
            _neutralise(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _neutralise(cell) -> None:
    value = cell.value
    if cell.data_type == "f":
        text = value if isinstance(value, str) else str(getattr(value, "text", None) or value or "")
    elif isinstance(value, str):
        text = value
    else:
        return
    if cell.data_type == "f" or starts_like_formula(text):
        cell.value = text
        cell.data_type = "s"  # assigning a text starting with "=" makes openpyxl mark it as a formula again
        cell.quotePrefix = True
