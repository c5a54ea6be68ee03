"""The Excel import kit on its own (shouye.core.importkit): cells read as people type them, the real cells of
a sheet whatever size it declares, errors by row and column, the error workbook, and the all-or-nothing
runner with a made-up import of three columns."""

import dataclasses
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from shouye.core.importkit import (
    BadCell,
    Column,
    Columns,
    ImportErrors,
    ImportKind,
    RowChecker,
    cells,
    error_workbook,
    read_sheet,
    start_import,
)
from shouye.core.importkit.columns import fold
from shouye.core.importkit.errors import MAX_STORED_ERRORS
from shouye.core.importkit.sheets import count_rows, open_workbook, real_rows
from shouye.enterprises.models import ImportJob
from tests.factories import UserFactory

COLUMNS = Columns([
    Column("name", gettext_lazy("Name"), required=True),
    Column("code", gettext_lazy("Code"), required=True, ascii_forms=True),
    Column("count", gettext_lazy("Employees")),
])
NO_ROWS = "“%(name)s” has no rows."


def workbook_bytes(rows: list[list], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_dimension(content: bytes, ref: str) -> bytes:
    """The workbook with its sheet's dimension record saying ``ref``, whatever its cells are."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert count == 1
            target.writestr(item, data)
    return output.getvalue()


def read(content: bytes) -> tuple[object, ImportErrors]:
    errors = ImportErrors(COLUMNS)
    with translation.override("en"):
        sheet = read_sheet(content, "a.xlsx", errors, sheet_title=gettext_lazy("Data"), no_rows_message=NO_ROWS)
    return sheet, errors


# --- cells --------------------------------------------------------------------------------------------------


def test_full_width_digits_and_letters_are_read_as_ordinary_ones_where_the_column_says_so():
    assert cells.text("９１３７０１１２ＭＡ３Ｃ　", ascii_forms=True) == "91370112MA3C"
    assert cells.text("０５３１－８７６５４３２１", ascii_forms=True) == "0531-87654321"
    assert cells.text("济南（历城）化工有限公司", ascii_forms=True) == "济南(历城)化工有限公司"
    assert cells.text("济南（历城）化工有限公司") == "济南（历城）化工有限公司"  # a name keeps its brackets
    assert cells.whole("１２０") == 120
    assert cells.decimal("１１６．７５") == Decimal("116.750000")


def test_numbers_stored_as_text_are_numbers():
    assert cells.whole("120") == 120
    assert cells.whole(" 12.0 ") == 12
    assert cells.whole(120.0) == 120
    assert cells.decimal("36.5") == Decimal("36.500000")
    assert cells.decimal(116.75) == Decimal("116.750000")
    assert cells.whole("") is None and cells.decimal(None) is None
    for bad, parse in (("12.5", cells.whole), ("十二", cells.whole), ("abc", cells.decimal), ("NaN", cells.decimal)):
        with pytest.raises(BadCell):
            parse(bad)


def test_whole_numbers_lose_no_digits_as_text():
    assert cells.text(13800000000) == "13800000000"
    assert cells.text(13800000000.0) == "13800000000"


@pytest.mark.parametrize("value", [
    "2026-03-31", "2026/3/31", "2026.03.31", "2026年3月31日", "20260331", "2026-03-31 08:30",
    "２０２６－０３－３１", "２０２６年３月３１日",
])
def test_a_date_as_text(value):
    assert cells.date_value(value) == date(2026, 3, 31)


def test_a_date_as_a_real_date_cell_and_as_a_serial_number():
    assert cells.date_value(datetime(2026, 3, 31, 0, 0)) == date(2026, 3, 31)
    assert cells.date_value(date(2026, 3, 31)) == date(2026, 3, 31)
    assert cells.date_value(46112) == date(2026, 3, 31)
    assert cells.date_value("") is None


@pytest.mark.parametrize("value", ["2026-02-30", "31/03/2026", "next week", 120])
def test_what_is_not_a_date_says_how_to_write_one(value):
    with pytest.raises(BadCell, match="YYYY-MM-DD"):
        cells.date_value(value)


def test_cells_typed_in_a_workbook_are_read_as_meant():
    content = workbook_bytes([["Name", "Code", "Employees", "Expiry", "Expiry as text"],
                              ["甲公司", "ＡＢ１２", "120", datetime(2026, 3, 31), "2026年3月31日"]])
    workbook = open_workbook(content, "a.xlsx")
    _header, row = list(real_rows(workbook.worksheets[0]))
    workbook.close()
    assert row[2] == "120" and cells.whole(row[2]) == 120
    assert isinstance(row[3], datetime) and cells.date_value(row[3]) == cells.date_value(row[4]) == date(2026, 3, 31)
    assert COLUMNS.texts({"name": row[0], "code": row[1]}) == {"name": "甲公司", "code": "AB12", "count": ""}


# --- sheets ---------------------------------------------------------------------------------------------------


def test_a_declared_dimension_bigger_than_the_cells_is_not_read():
    content = with_dimension(workbook_bytes([["Name", "Code"], ["甲", "A1"], ["乙", "B2"]]), "A1:XFD1048576")
    workbook = open_workbook(content, "a.xlsx")
    rows = list(real_rows(workbook.worksheets[0]))
    workbook.close()
    assert rows == [("Name", "Code"), ("甲", "A1"), ("乙", "B2")]
    sheet, errors = read(content)
    assert not errors and [number for number, _values in sheet.rows] == [2, 3]
    assert count_rows(content, sheet_title="Data", up_to=10) == 2


def test_a_declared_dimension_smaller_than_the_cells_drops_nothing():
    rows = [["Name", "Code", "Employees"]] + [[f"企业{n}", f"C{n}", n] for n in range(1, 8)]
    content = with_dimension(workbook_bytes(rows), "A1:A2")
    sheet, errors = read(content)
    assert not errors
    assert sheet.positions == {"name": 0, "code": 1, "count": 2}
    assert [sheet.cells(values) for _number, values in sheet.rows][-1] == {"name": "企业7", "code": "C7", "count": 7}
    assert len(sheet.rows) == 7
    assert count_rows(content, sheet_title="Data", up_to=3) == 4  # counts no further than it needs


def test_the_sheet_titled_like_the_data_sheet_is_read_and_headers_in_any_language():
    workbook = Workbook()
    workbook.active.append(["other"])
    data = workbook.create_sheet("Data")
    with translation.override("zh-hans"):
        data.append([f"{COLUMNS.title('name')}*", " code ", COLUMNS.title("count")])
    data.append(["甲", "A1", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet, errors = read(buffer.getvalue())
    assert not errors and sheet.title == "Data" and sheet.positions == {"name": 0, "code": 1, "count": 2}


def test_file_problems_are_errors_without_a_row():
    _sheet, errors = read(b"")
    assert errors.as_dicts() == [{"row": None, "column": "", "message": "“a.xlsx” is empty."}]
    _sheet, errors = read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert ".xls" in errors.as_dicts()[0]["message"]
    _sheet, errors = read(b"PK\x03\x04 not really a zip")
    assert "is not an Excel workbook" in errors.as_dicts()[0]["message"]
    sheet, errors = read(workbook_bytes([["Name", "Code"]]))
    assert errors.as_dicts() == [{"row": None, "column": "", "message": "“a.xlsx” has no rows."}]
    sheet, errors = read(workbook_bytes([["Name"], ["甲"]]))
    with translation.override("en"):
        listed = errors.as_dicts()
    assert listed == [{"row": 1, "column": "Code", "message": "This required column is missing from "
                                                                        "the header row."}]


# --- errors and the error workbook ----------------------------------------------------------------------------


def test_errors_are_listed_by_row_then_column_order():
    errors = ImportErrors(COLUMNS)
    errors.add(3, "count", "bad count")
    errors.add(2, "code", "bad code")
    errors.add(3, "name", "bad name")
    errors.add(None, "", "bad file")
    with translation.override("en"):
        assert [(e["row"], e["column"]) for e in errors.as_dicts()] == \
            [(None, ""), (2, "Code"), (3, "Name"), (3, "Employees")]


def test_the_job_keeps_a_bounded_number_of_errors():
    errors = ImportErrors(COLUMNS)
    for row in range(MAX_STORED_ERRORS + 5):
        errors.add(row + 2, "code", "bad")
    stored = errors.stored()
    assert len(stored) == MAX_STORED_ERRORS + 1 and "5" in stored[-1]["message"]


def test_the_error_workbook_adds_an_error_column_and_reddens_the_bad_cells():
    content = workbook_bytes([["Name", "Code", "Employees"], ["甲", "X", "many"], ["乙", "B2", 3]])
    sheet, errors = read(content)
    errors.add(2, "code", "bad code")
    errors.add(2, "count", "not a number")
    errors.add(2, "", "the row as a whole")
    with translation.override("en"):
        annotated = load_workbook(io.BytesIO(error_workbook(content, sheet, errors))).active
    assert [cell.value for cell in annotated[1]] == ["Name", "Code", "Employees", "Errors"]
    assert annotated["D2"].value == "Code: bad code\nEmployees: not a number\nthe row as a whole"
    assert annotated["D3"].value is None
    assert annotated["B2"].fill.fgColor.rgb.endswith("FFC7CE") and annotated["C2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert annotated["A2"].fill.fill_type is None

    again = io.BytesIO()
    annotated.parent.save(again)
    sheet, errors = read(again.getvalue())
    assert sheet.errors_position == 3
    errors.add(3, "name", "bad name")
    with translation.override("en"):
        rewritten = load_workbook(io.BytesIO(error_workbook(again.getvalue(), sheet, errors))).active
    assert rewritten.max_column == 4
    assert (rewritten["D2"].value, rewritten["D3"].value) == (None, "Name: bad name")


# --- the runner -----------------------------------------------------------------------------------------------


class _Checker(RowChecker):
    def __init__(self, actor):
        self.codes = []

    def check(self, number, values, errors):
        text = COLUMNS.texts(values)
        if not text["code"].isalnum():
            errors.add(number, "code", "not a code")
            return None
        self.codes.append((number, text["code"]))
        return (text["name"], text["code"])

    def check_across(self, errors):
        seen = {}
        for number, code in self.codes:
            if code in seen:
                errors.add(number, "code", f"repeats row {seen[code]}")
            seen.setdefault(code, number)


@pytest.fixture
def written():
    return []


@pytest.fixture
def kind(written):
    return ImportKind(model=ImportJob, columns=COLUMNS, sheet_title="Data", no_rows_message=NO_ROWS, permissions=(),
                      checker=_Checker, write_batch=lambda actor, rows: written.extend(rows),
                      enqueue=lambda job_id, language: None, batch_size=2)


def upload(rows):
    return SimpleUploadedFile("a.xlsx", workbook_bytes([["Name", "Code"], *rows]))


@pytest.mark.django_db
def test_an_import_writes_every_row_in_batches(kind, written):
    job = start_import(kind, actor=UserFactory(), upload=upload([["甲", "Ａ１"], ["乙", "B2"], ["丙", "C3"]]))
    assert (job.status, job.total_rows, job.processed_rows, job.created_count) == (ImportJob.SUCCEEDED, 3, 3, 3)
    assert written == [("甲", "A1"), ("乙", "B2"), ("丙", "C3")]
    assert job.finished_at is not None and not job.error_file


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_lists_every_error(kind, written):
    job = start_import(kind, actor=UserFactory(), upload=upload([["甲", "A1"], ["乙", "B 2"], ["丙", "A1"]]))
    assert job.status == ImportJob.FAILED and written == [] and job.created_count == 0
    assert [(e["row"], e["message"]) for e in job.errors] == [(3, "not a code"), (4, "repeats row 2")]
    assert job.error_file


@pytest.mark.django_db
def test_an_import_over_the_request_limit_is_queued(kind, settings, django_capture_on_commit_callbacks):
    settings.SHOUYE_IMPORT_SYNC_MAX_ROWS = 1
    queued = []
    kind = dataclasses.replace(kind, enqueue=lambda job_id, language: queued.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(kind, actor=UserFactory(), upload=upload([["甲", "A1"], ["乙", "B2"]]))
    assert job.status == ImportJob.QUEUED and queued == [job.pk]


@pytest.mark.django_db
def test_a_number_in_a_text_only_column_is_refused_before_the_checker_sees_it(kind, written):
    """Excel keeps 15 significant digits of a number: the kit refuses a number in a column of long codes and
    tells the checker which columns it refused, so the checker adds no second error there."""
    columns = Columns([COLUMNS.by_key["name"], dataclasses.replace(COLUMNS.by_key["code"], text_only=True)])
    seen = []

    class Checker(_Checker):
        def check(self, number, values, errors):
            seen.append((number, errors.keys_of(number)))
            return super().check(number, values, errors)

    kind = dataclasses.replace(kind, columns=columns, checker=Checker)
    job = start_import(kind, actor=UserFactory(), upload=upload([["甲", 913701130100000043], ["乙", "B2"]]))
    assert job.status == ImportJob.FAILED and written == []
    assert [e["row"] for e in job.errors] == [2] and "15" in job.errors[0]["message"]
    assert seen == [(2, {"code"}), (3, set())]


def test_names_and_codes_are_compared_in_their_ordinary_forms():
    assert fold("３７０１１３１０７") == fold("370113107")
    assert fold(" ｍｈｉ ") == fold("MHI") == "mhi"
    assert fold("名称＊") == fold("名称*") == "名称"
