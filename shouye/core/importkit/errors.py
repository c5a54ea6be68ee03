"""The errors an import finds, each tied to an Excel row and a column."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .columns import Columns

#: Errors kept on the job for the page; the file with the error column always carries all of them.
MAX_STORED_ERRORS = 1000


@dataclass
class ImportErrors:
    """Errors found so far as (Excel row, column key, reason), for the page's table, the error column and
    the red cells; ``row`` is None for a problem with the file as a whole, 1 for one with the header, and
    the key is empty for a problem with no column."""

    columns: Columns
    items: list[tuple[int | None, str, str]] = field(default_factory=list)
    _keys_by_row: defaultdict = field(default_factory=lambda: defaultdict(set), repr=False)

    def add(self, row: int | None, key: str, message) -> None:
        self.items.append((row, key, str(message)))
        self._keys_by_row[row].add(key)

    def keys_of(self, row: int) -> set[str]:
        """The columns of Excel row ``row`` with an error so far (a copy): a checker skips them, so that a
        cell the kit refused does not get a second, misleading error."""
        return set(self._keys_by_row.get(row, ()))

    def add_validation(self, row: int, exc: ValidationError, keys: dict[str, str]) -> None:
        """Add a model ValidationError; ``keys`` maps model field names to column keys."""
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.add(row, keys.get(name, ""), message)

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_dicts(self) -> list[dict]:
        """Every error as ``{"row", "column", "message"}``: the file's first, then by row and column order."""
        order = self.columns.order
        ordered = sorted(self.items, key=lambda e: (e[0] is not None, e[0] or 0, order.get(e[1], -1)))
        return [{"row": row, "column": self.columns.title(key), "message": message}
                for row, key, message in ordered]

    def stored(self) -> list[dict]:
        """The errors as the job keeps them: at most MAX_STORED_ERRORS, then one line saying how many more."""
        listed = self.as_dicts()
        if len(listed) <= MAX_STORED_ERRORS:
            return listed
        more = len(listed) - MAX_STORED_ERRORS
        return listed[:MAX_STORED_ERRORS] + [{
            "row": None, "column": "",
            "message": _("… and %(count)s more errors: download the file with the error column to see them all.")
            % {"count": more},
        }]
