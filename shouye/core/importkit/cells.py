"""Reading one cell as the column needs it: text, a date, a decimal, a whole number.

What people type into Excel and WPS is read the way they meant it: a number stored as text (a green
triangle in Excel) is a number, a date typed as text in one of the usual Chinese ways is a date, and
characters typed with a Chinese input method in full-width mode (``１２３``, ``ＡＢＣ``, ``－``) are read as
their ordinary forms wherever the column holds a number, a date or a code."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: Excel serial numbers of 1950-01-01 and 2100-12-31: a bare number in a date cell is read as a date only
#: inside this range, so that an amount typed by mistake is not taken for a date.
SERIAL_RANGE = (18264, 73415)
_SIX_PLACES = Decimal("0.000001")
#: Full-width forms U+FF01–U+FF5E are the ASCII characters U+0021–U+007E moved up by 0xFEE0 (Unicode's
#: Halfwidth and Fullwidth Forms block); U+3000 is the ideographic space.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class BadCell(Exception):
    """A cell whose value cannot be read as the column needs; the message says why, for the user."""


def halfwidth(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces as their ordinary (ASCII) forms; other characters,
    Chinese among them, as they are. Only for columns holding codes, numbers or dates: a name keeps its
    full-width brackets."""
    return text.translate(_HALFWIDTH)


def text(value, *, ascii_forms: bool = False) -> str:
    """The cell as text, trimmed: a whole number without ``.0``, a date as YYYY-MM-DD; with ``ascii_forms``,
    full-width characters as their ordinary forms (see :func:`halfwidth`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.hour == value.minute == value.second == 0 else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    read = str(value)
    return (halfwidth(read) if ascii_forms else read).strip()


def date_value(value) -> date | None:
    """A real Excel date, an Excel serial number, or text as YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日
    or YYYYMMDD (a time after the date is ignored); None for an empty cell."""
    if value is None or text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return from_excel(value).date()
    typed = text(value, ascii_forms=True)
    match = _DATE_TEXT.match(typed) or _DATE_COMPACT.match(typed)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise BadCell(_("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2026-03-31.") % {"value": typed})


def _number(value, error: str) -> Decimal | None:
    """The number the cell holds, real or stored as text (a float from Excel is read through its shortest
    repr, so 116.75 stays 116.75); None for an empty cell; BadCell with ``error`` for anything else."""
    typed = text(value, ascii_forms=True)
    if typed == "":
        return None
    try:
        number = Decimal(str(value) if isinstance(value, float) else typed)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise BadCell(error % {"value": typed})
    return number


def decimal(value) -> Decimal | None:
    """A number, real or stored as text, rounded to six decimal places; None for an empty cell."""
    number = _number(value, _("“%(value)s” is not a number."))
    if number is None:
        return None
    try:
        return number.quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return number


def whole(value) -> int | None:
    """A whole number, real or stored as text (``12``, ``12.0``, ``１２``); None for an empty cell."""
    error = _("“%(value)s” is not a whole number.")
    number = _number(value, error)
    if number is not None and number != number.to_integral_value():
        raise BadCell(error % {"value": text(value, ascii_forms=True)})
    return None if number is None else int(number)
