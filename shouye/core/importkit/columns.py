"""The columns of an import and how their titles are recognised in any language."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import cells


@dataclass(frozen=True)
class Column:
    """One column of an import's data sheet.

    ``key`` names the cell for the row checker; ``title`` (a lazy msgid) is its header, recognised in every
    configured language and by its key; ``required`` marks it with ``*`` in the template and makes an empty
    cell an error; ``hint`` is the template's cell comment and the Instructions sheet's line; ``text_format``
    formats the template column as text (long codes Excel would turn into numbers); ``text_only`` marks a
    column of codes longer than the 15 significant digits Excel keeps of a number (credit codes, ID
    numbers): a number in it has lost its last digits, so the kit refuses it with a message to format the
    column as text (and the template formats it so); ``ascii_forms`` reads full-width characters as their
    ordinary forms (codes, phone and ID numbers); ``width`` in characters."""

    key: str
    title: str
    required: bool = False
    hint: str = ""
    text_format: bool = False
    width: int = 16
    ascii_forms: bool = False
    text_only: bool = False


def fold(text: str) -> str:
    """A header, label, name or code as compared: full-width characters as their ordinary forms (a code typed
    with a Chinese input method in full-width mode), without white space and the required mark,
    case-folded."""
    return re.sub(r"\s+", "", cells.halfwidth(str(text))).strip("*").casefold()


def in_every_language(text) -> set[str]:
    """The text in every configured language, folded for comparison (a lazy msgid gives each translation)."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(fold(str(text)))
    return found


class Columns:
    """An import's columns in order, with the lookups the reader, the checker and the error report need."""

    def __init__(self, columns: Sequence[Column]):
        self.columns = list(columns)
        self.by_key = {column.key: column for column in self.columns}
        self.order = {column.key: index for index, column in enumerate(self.columns)}

    def __iter__(self):
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def title(self, key: str) -> str:
        """The column's title in the active language; empty for a problem with no column."""
        column = self.by_key.get(key)
        return str(column.title) if column else ""

    def header_lookup(self) -> dict[str, str]:
        """Folded header text → column key: each title in every language, and the key itself."""
        titles = {}
        for column in self.columns:
            for text in in_every_language(column.title) | {fold(column.key)}:
                titles.setdefault(text, column.key)
        return titles

    def texts(self, row: dict) -> dict[str, str]:
        """Every column's cell of a row as text (see :func:`cells.text`); a missing cell is empty."""
        return {column.key: cells.text(row.get(column.key), ascii_forms=column.ascii_forms)
                for column in self.columns}

    def refuse_numbers(self, number: int, row: dict, errors) -> None:
        """Add an error for each number in a ``text_only`` column of Excel row ``number``: Excel has already
        cut the code to 15 significant digits, so no check of its characters can say what is wrong."""
        for column in self.columns:
            value = row.get(column.key)
            if column.text_only and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                errors.add(number, column.key, _(
                    "This cell holds a number, and Excel keeps only 15 significant digits of a number, so a "
                    "long code typed as one loses its last digits. Format the column as text (Format Cells → "
                    "Text), type the code again and upload the file again."))

    def missing_required(self, present: Iterable[str]) -> list[Column]:
        present = set(present)
        return [column for column in self.columns if column.required and column.key not in present]
