"""Times people type: the platform holds nothing before 2000, so an earlier year is a typing error (and, before
1901, a time PostgreSQL and Python would print with the local mean time's offset, +08:05:43)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST = datetime(2000, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


def ensure_not_before_2000(value: date | datetime, field: str, label: str) -> None:
    """Raise a field error naming ``label`` when ``value`` (a time, or a day) is before :data:`EARLIEST`."""
    if (value < EARLIEST) if isinstance(value, datetime) else (value < EARLIEST.date()):
        raise ValidationError({field: _("%(label)s cannot be before 2000.") % {"label": label}})
