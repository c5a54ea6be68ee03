"""The streaming XLSX writer (shouye/core/xlsx.py) behind the ledger export (issue 3, "The ledger and
statistics"): what it writes is a workbook openpyxl reads back with the same values, header, styles, widths
and frozen header row; and no text leaves it as a formula, from the stream or from an openpyxl workbook
(issue 9)."""

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from shouye.core.xlsx import MAX_CELL_CHARS, StreamingXlsx, annotated_upload, new_workbook, workbook_bytes
from tests.core.test_formula_injection import inert_texts

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = ["序号", "企业名称", "金额", "日期", "时间", "备注"]


def write(rows, header=HEADER, **options) -> bytes:
    output = io.BytesIO()
    with StreamingXlsx(output, **{"sheet_name": "隐患台账", **options}) as book:
        if header is not None:
            book.write_header(header)
        for row in rows:
            book.write_row(row)
    return output.getvalue()


def read(content: bytes, read_only=True):
    workbook = load_workbook(io.BytesIO(content), read_only=read_only)
    return workbook, [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_values_read_back_as_written():
    rows = [
        [1, "济南市长清区安全化工有限公司", Decimal("1500.50"), date(2026, 5, 20),
         datetime(2026, 3, 2, 15, 30, tzinfo=SHANGHAI), "消防通道堵塞"],
        [2, 'A & B <tag> "quoted" \'single\'', 2.25, date(2026, 6, 1), datetime(2026, 6, 1, 8, 0, 30), None],
        [3, "bell\x07 null\x00 vt\x0b end", -7, None, None, "  leading and trailing spaces  "],
        [True, "line one\nline two\ttab", Decimal("12345678901"), date(1999, 12, 31), None, ""],
    ]
    workbook, data = read(write(rows))
    assert workbook.sheetnames == ["隐患台账"]
    assert list(data[0]) == HEADER
    assert data[1] == (1, "济南市长清区安全化工有限公司", 1500.5, datetime(2026, 5, 20),
                       datetime(2026, 3, 2, 15, 30), "消防通道堵塞")
    assert data[2] == (2, 'A & B <tag> "quoted" \'single\'', 2.25, datetime(2026, 6, 1),
                       datetime(2026, 6, 1, 8, 0, 30), None)
    assert data[3] == (3, "bell null vt end", -7, None, None, "  leading and trailing spaces  ")
    assert data[4] == (True, "line one\nline two\ttab", 12345678901, datetime(1999, 12, 31), None, None)
    assert len(data) == 5


def test_timezone_aware_datetimes_are_written_in_shanghai_local_time():
    utc_evening = datetime(2026, 3, 2, 15, 30, tzinfo=ZoneInfo("UTC"))  # 23:30 in Shanghai
    _, data = read(write([[utc_evening]], header=None))
    assert data == [(datetime(2026, 3, 2, 23, 30),)]


def test_numbers_stay_numbers_and_dates_carry_the_date_format():
    content = write([[1, Decimal("0.1"), 1e20, date(2026, 1, 1), datetime(2026, 1, 1, 12)]], header=None)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.data_type for cell in sheet[1]] == ["n", "n", "n", "d", "d"]
    assert sheet["D1"].number_format == "yyyy-mm-dd"
    assert sheet["E1"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert [cell.value for cell in sheet[1]] == [1, 0.1, 1e20, datetime(2026, 1, 1), datetime(2026, 1, 1, 12)]


def test_the_header_is_bold_frozen_and_the_columns_have_their_widths():
    workbook = load_workbook(io.BytesIO(write([[1, "甲"]], column_widths=(6, 30, None, 12), freeze_header=True)))
    sheet = workbook["隐患台账"]
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["B2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 6 and sheet.column_dimensions["B"].width == 30
    assert sheet.column_dimensions["D"].width == 12


def test_without_options_nothing_is_frozen():
    sheet = load_workbook(io.BytesIO(write([[1]]))).active
    assert sheet.freeze_panes is None


def test_the_package_has_the_parts_of_a_spreadsheet():
    with zipfile.ZipFile(io.BytesIO(write([[1]]))) as package:
        names = set(package.namelist())
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert names == {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/styles.xml", "xl/worksheets/sheet1.xml"}
    assert 't="inlineStr"' in sheet and "sharedStrings" not in str(names)


def test_an_overlong_text_is_cut_to_what_a_cell_holds():
    _, data = read(write([["字" * (MAX_CELL_CHARS + 10)]], header=None))
    assert data == [("字" * MAX_CELL_CHARS,)]


def test_many_rows_and_wide_rows_stream_through():
    rows = ([n, f"第{n}行", date(2026, 1, 1 + n % 28)] for n in range(1, 5001))
    _, data = read(write(rows, header=["n", "text", "day"]))
    assert len(data) == 5001 and data[-1] == (5000, "第5000行", datetime(2026, 1, 1 + 5000 % 28))
    _, wide = read(write([list(range(30))], header=None))
    assert wide == [tuple(range(30))]


@pytest.mark.parametrize("name", ["", "a" * 32, "a/b", "[x]", "q?"])
def test_a_sheet_name_excel_refuses_is_refused(name):
    with pytest.raises(ValueError):
        StreamingXlsx(io.BytesIO(), sheet_name=name)


def test_rows_need_an_open_book():
    book = StreamingXlsx(io.BytesIO())
    with pytest.raises(RuntimeError):
        book.write_row([1])


def test_booleans_and_numbers_a_cell_cannot_hold():
    _, data = read(write([[True, False, Decimal("NaN"), float("inf"), Decimal("1"), 1]] * 2, header=None))
    assert data == [(True, False, "NaN", "inf", 1, 1)] * 2


def test_timezone_aware_datetimes_follow_the_given_zone():
    moment = datetime(2026, 3, 2, 15, 30, tzinfo=ZoneInfo("UTC"))
    _, data = read(write([[moment]], header=None, local_timezone=ZoneInfo("Europe/Berlin")))
    assert data == [(datetime(2026, 3, 2, 16, 30),)]


# --- formula injection (issue 9) ------------------------------------------------------------------------------

FORMULA_LIKE = ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\x00=1+2", '=HYPERLINK("http://evil.example")']


def test_text_that_starts_like_a_formula_is_text_shown_as_written():
    content = write([FORMULA_LIKE], header=["=header", "-", "plain"])
    assert inert_texts(content)[:2] == ["=header", "-"]
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[2]] == ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=1+2",
                                                 '=HYPERLINK("http://evil.example")']
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in sheet[2])
    assert sheet["A1"].font.b and sheet["A1"].quotePrefix and sheet["C1"].font.b and not sheet["C1"].quotePrefix


def test_only_text_is_quoted_numbers_and_ordinary_text_stay_as_they_are():
    sheet = load_workbook(io.BytesIO(write([[-5, Decimal("-1.5"), -0.25, "a=b", "5-3", " =x"]], header=None))).active
    assert [(cell.value, cell.data_type) for cell in sheet[1]] == [
        (-5, "n"), (-1.5, "n"), (-0.25, "n"), ("a=b", "s"), ("5-3", "s"), (" =x", "s")]
    assert not any(cell.quotePrefix for cell in sheet[1])


def test_a_workbook_built_with_openpyxl_leaves_the_writer_without_formulas():
    workbook = new_workbook()
    workbook.active.append(["=1+2", -3, "@x", "ordinary"])
    workbook.active["E1"] = ArrayFormula("E1", "=SUM(A1:B1)")
    other = workbook.create_sheet("Other")
    other["Z9"] = "+cmd|' /C calc'!A0"
    texts = inert_texts(workbook_bytes(workbook))
    assert texts == ["=1+2", "@x", "ordinary", "=SUM(A1:B1)", "+cmd|' /C calc'!A0"]
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert (sheet["B1"].value, sheet["B1"].data_type, sheet["B1"].quotePrefix) == (-3, "n", False)


def test_an_upload_handed_back_carries_its_formulas_saved_values_not_the_formulas():
    workbook = Workbook()
    workbook.active.append([1, 2, "=A1+B1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    # The saved value a spreadsheet program would write; openpyxl leaves it empty (<v /> or <v></v> with lxml).
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb"<f>A1\+B1</f><v ?/>|<f>A1\+B1</f><v></v>", b"<f>A1+B1</f><v>3</v>",
                                               parts["xl/worksheets/sheet1.xml"])
    saved = io.BytesIO()
    with zipfile.ZipFile(saved, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    sheet = load_workbook(io.BytesIO(workbook_bytes(annotated_upload(saved.getvalue())))).active
    assert [(cell.value, cell.data_type) for cell in sheet[1]] == [(1, "n"), (2, "n"), (3, "n")]
