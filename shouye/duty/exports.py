"""Excel of one month's roster, written with the one writer (shouye/core/xlsx.py): a row per day with its
mark and each position's people (with phones, masked for roles that do not see them)."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError

from shouye.core.xlsx import StreamingXlsx
from shouye.rules.identifiers import mask_phone

from . import selectors, services

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEEKDAYS = "一二三四五六日"
MARKS = {"holiday": "节假日（加强值班）", "eve": "节前（加强值班）", "day_after": "节后首个工作日（加强值班）"}


def roster_workbook(roster, *, clear_phones: bool) -> tuple[bytes, str]:
    positions = selectors.positions()
    try:
        marks = services.day_marks(roster)
    except ValidationError:
        marks = {}
    by_day: dict = {}
    for row in roster.assignments.all():
        phone = row.phone if clear_phones else mask_phone(row.phone)
        text = f"{row.name} {phone}".strip()
        by_day.setdefault((row.day, row.position_id), []).append(text)
    output = io.BytesIO()
    with StreamingXlsx(output, sheet_name="值班表", freeze_header=True,
                       column_widths=[12, 6, 22, *([28] * len(positions))]) as book:
        book.write_header(["日期", "星期", "说明", *(p.name for p in positions)])
        for day in selectors.month_days(roster.year, roster.month):
            book.write_row([day, WEEKDAYS[day.weekday()], MARKS.get(marks.get(day, ""), ""),
                            *("、".join(by_day.get((day, p.pk), [])) for p in positions)])
    return output.getvalue(), f"duty-roster-{roster.year}-{roster.month:02d}-{roster.pk}.xlsx"
