"""The workbooks an import hands back: the uploaded file with an error column, and the template's header."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from shouye.core.xlsx import annotated_upload, workbook_bytes

from .columns import Columns
from .errors import ImportErrors
from .sheets import ERRORS_TITLE, Sheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows of the template a drop-down list applies to.
TEMPLATE_ROWS = 5000
_ERROR_FILL = PatternFill(fill_type="solid", fgColor="FFC7CE")
_ERROR_FONT = Font(color="9C0006")
_REQUIRED_FILL = PatternFill(fill_type="solid", fgColor="FFF2CC")


def _reasons(errors: ImportErrors, messages: list[tuple[str, str]]) -> str:
    return "\n".join(f"{errors.columns.title(k)}: {m}" if k else m for k, m in messages)


def error_workbook(content: bytes, sheet: Sheet, errors: ImportErrors) -> bytes:
    """The uploaded workbook with an error column on its data sheet (every reason of the row, by column; the
    header's own problems in the column's title) and the bad cells filled red. A file uploaded again with
    its error column gets the column rewritten, not a second one. It goes back through the platform's one
    spreadsheet writer: formulas come back as the values the import read, and no text as a formula."""
    workbook = annotated_upload(content)
    worksheet = workbook[sheet.title]
    column = (sheet.errors_position + 1) if sheet.errors_position is not None else worksheet.max_column + 1
    by_row = defaultdict(list)
    for row, key, message in errors.items:
        by_row[row].append((key, message))
    if sheet.errors_position is not None:
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.value = None
    header = worksheet.cell(row=1, column=column)
    header.value = "\n".join([str(ERRORS_TITLE)] + [f"{errors.columns.title(k)}: {m}" for k, m in by_row.get(1, [])])
    header.font = Font(bold=True, color="9C0006")
    header.fill = _ERROR_FILL
    worksheet.column_dimensions[get_column_letter(column)].width = 60
    for row, messages in by_row.items():
        if row is None:
            continue
        if row != 1:
            cell = worksheet.cell(row=row, column=column)
            cell.value = _reasons(errors, messages)
            cell.font = _ERROR_FONT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for key, _message in messages:
            if key in sheet.positions:
                worksheet.cell(row=row, column=sheet.positions[key] + 1).fill = _ERROR_FILL
    return workbook_bytes(workbook)


def write_template_header(sheet, columns: Columns, lists: dict[str, str]) -> None:
    """The template's data sheet header: the column titles (required ones marked * and shaded, each hint in
    a cell comment), widths, text format where a column holds long codes, and a drop-down list from the
    range ``lists[key]`` names for a coded column."""
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=f"{column.title}*" if column.required else str(column.title))
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = _REQUIRED_FILL
        if column.hint:
            cell.comment = Comment(str(column.hint), str(_("Shouye")), width=240, height=90)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.text_format or column.text_only:
            sheet.column_dimensions[letter].number_format = "@"
        if column.key in lists:
            validation = DataValidation(type="list", formula1=lists[column.key], allow_blank=True,
                                        showErrorMessage=False)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
