"""Checking and converting input values, with errors that name the field.

Numbers become ``Decimal`` (floats through their shortest text, so ``0.1`` is exactly one tenth); rules that
divide use ``Fraction``. A value on a boundary is then never pushed across it by binary rounding.
"""

from __future__ import annotations

import calendar
import math
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from shouye.rules.errors import RuleInputError

CHINA_TZ = ZoneInfo("Asia/Shanghai")


def to_decimal(value: object, field: str, *, label: str, minimum: Decimal | int | None = None) -> Decimal:
    """A finite number (int, float or Decimal; not bool), at least ``minimum`` when given."""
    if value is None:
        raise RuleInputError(f"缺少{label}", field)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise RuleInputError(f"{label}应为数字，收到 {value!r}", field)
    if isinstance(value, float) and not math.isfinite(value):
        raise RuleInputError(f"{label}应为有限的数字，收到 {value!r}", field)
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise RuleInputError(f"{label}应为数字，收到 {value!r}", field) from exc
    if not number.is_finite():
        raise RuleInputError(f"{label}应为有限的数字，收到 {value!r}", field)
    if minimum is not None and number < minimum:
        raise RuleInputError(f"{label}不能小于{minimum}，收到 {value}", field)
    return number


def to_int(value: object, field: str, *, label: str, minimum: int | None = 0) -> int:
    """A whole number (an int, or a float/Decimal with no fractional part; not bool)."""
    number = to_decimal(value, field, label=label)
    if number != number.to_integral_value():
        raise RuleInputError(f"{label}应为整数，收到 {value}", field)
    if minimum is not None and number < minimum:
        raise RuleInputError(f"{label}不能小于{minimum}，收到 {value}", field)
    return int(number)


def to_bool(value: object, field: str, *, label: str) -> bool:
    """A real boolean: ``"false"`` as text or ``0`` would be too easy to misread, so both are refused."""
    if not isinstance(value, bool):
        raise RuleInputError(f"{label}应为 true 或 false，收到 {value!r}", field)
    return value


def to_datetime(value: object, field: str, *, label: str) -> datetime:
    """A moment in Asia/Shanghai time: an aware datetime is converted, a naive one is taken as local time.

    Accepts a ``datetime`` or ISO 8601 text such as ``2025-10-01T21:30`` or ``2025-10-01T21:30:00+08:00``.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as exc:
            raise RuleInputError(
                f"{label}应为ISO格式的日期时间（如 2025-10-01T08:30），收到 {value!r}", field
            ) from exc
    if not isinstance(value, datetime):
        raise RuleInputError(f"{label}应为日期时间，收到 {value!r}", field)
    if value.tzinfo is None:
        return value.replace(tzinfo=CHINA_TZ)
    return value.astimezone(CHINA_TZ)


def to_date(value: object, field: str, *, label: str) -> date:
    """A calendar date: a ``date`` (not a datetime) or ISO text such as ``2025-10-01``."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError as exc:
            raise RuleInputError(f"{label}应为ISO格式的日期（如 2025-10-01），收到 {value!r}", field) from exc
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RuleInputError(f"{label}应为日期（不含时间），收到 {value!r}", field)
    return value


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later; a day that does not exist (31 April, 29 February) becomes the month's last."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
