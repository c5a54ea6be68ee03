"""Every request is bounded (ARCHITECTURE.md §10; issue 9, items 3 and 5): the one place that says how many
values a many-valued input may hold, which whole numbers the database can compare with, and how a list of
keys is looked up in one query.

The API's fields (``shouye.core.api.fields``), the pages' fields (``shouye.core.forms``), the filters
(``shouye.core.filters``) and the URL converters (``shouye.core.converters``) all use these, so a list costs
one query whatever its length and an integer outside the database's range is refused (a filter, a form) or
reads as a row that does not exist (an id), never an ``OverflowError`` from the driver."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Values a many-valued input (tags, inspectors, key people, photos …) may hold unless its field says
#: otherwise: enough for any real enterprise or inspection, few enough that checking them is quick.
MAX_ITEMS = 50

#: Photos one act may carry (a hazard's before- or after-photos, an inspection's): each is decoded, turned
#: upright and encoded again with its thumbnail (shouye.core.uploads), the costliest input there is.
MAX_PHOTOS = 20

#: The range of a 64-bit signed integer: the widest integer column (``BigAutoField``, PostgreSQL ``bigint``)
#: and the most SQLite binds. A Python int beyond it fails in the driver instead of matching no row.
DB_INTEGER_MIN = -(2**63)
DB_INTEGER_MAX = 2**63 - 1


def fits_db_integer(value: int) -> bool:
    return DB_INTEGER_MIN <= value <= DB_INTEGER_MAX


def too_many(label, maximum: int, count: int) -> ValidationError:
    """The refusal of a list longer than ``maximum``, naming the field."""
    return ValidationError(
        _("%(label)s takes at most %(max)d items; %(count)d were given. Remove some and try again.")
        % {"label": label, "max": maximum, "count": count},
        code="max_length",
    )


def ensure_at_most(label, maximum: int, values) -> None:
    """Raise :func:`too_many` when ``values`` holds more than ``maximum`` items (before any of them is read
    further, so that a long list costs nothing)."""
    if len(values) > maximum:
        raise too_many(label, maximum, len(values))


def rows_by_key(queryset, key: str, values: Iterable) -> dict:
    """The rows of ``queryset`` whose ``key`` is one of ``values`` (already converted to the key's Python
    type), in one query, by key. A value the database cannot compare with (an integer outside its range)
    matches nothing, as an unknown one does."""
    wanted = {value for value in values if not isinstance(value, int) or fits_db_integer(value)}
    if not wanted:
        return {}
    return {getattr(row, key): row for row in queryset.filter(**{f"{key}__in": wanted})}


def missing_keys(values: Iterable, found: dict) -> list:
    """The values without a row in ``found``, each once, in the order given."""
    return list(dict.fromkeys(value for value in values if value not in found))
