"""The editable tables' page (RiskSettings, REGULATIONS.md §3 "make it configurable", §3.3 "per enterprise";
REGULATIONS-2 §A.3a, §A.4): each method's table as rows of inputs — a scale's values with their meanings, the
bands from the most dangerous down (lower bound, colour, meaning) and the table's basis — the control level
per grade, and the district's list of conditions that make a risk major.

The rows are repeated inputs (``lec-bands-minimum`` …, read with ``getlist``): a blank row is dropped, one
blank row always follows the filled ones, and "add a row" / "×" post the form to redraw it without saving
(with script, "×" removes the row on the page). Each table is checked by the rules' own reader
(``shouye.rules.data.risk``, through ``services.settings.TABLE_FIELDS``), so the page refuses exactly what the
rules refuse; its message is put on the row it names ("bands[2].minimum" is the third band)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.rules.data.risk import (
    COLOUR_ORDER,
    GRADE_COLOURS,
    LEC_TABLE,
    MATRIX_TABLE,
    MES_TABLE,
    table_to_data,
)
from shouye.rules.errors import RuleInputError

from .choices import RiskLevel
from .forms import control_level_fields, style
from .services.settings import MAX_CONDITION_LENGTH, MAX_CONDITIONS, SCALE_FIELDS, TABLE_FIELDS

#: The tables in the page's order: (method, settings field, title, the rules' default).
TABLES = (
    ("lec", "lec_table", gettext_lazy("LEC table"), LEC_TABLE),
    ("matrix", "matrix_table", gettext_lazy("Risk matrix table"), MATRIX_TABLE),
    ("mes", "mes_table", gettext_lazy("MES table"), MES_TABLE),
)
#: A band's colour is the grade it gives (REGULATIONS.md §3.3: red major, orange high, yellow moderate, blue low).
COLOUR_CHOICES = [(GRADE_COLOURS[grade], label) for grade, label in RiskLevel.choices]
_ITEM = re.compile(r"^bands\[(\d+)\](?:\.\w+)?$")


@dataclass
class Rows:
    """One list of rows on the page: its inputs' prefix, title, columns (name, label, kind) and rows."""

    key: str
    title: str
    columns: tuple[tuple[str, str, str], ...]
    rows: list[dict]
    errors: list[str] = field(default_factory=list)
    row_errors: dict[int, list[str]] = field(default_factory=dict)

    def add(self, index: int | None, message: str) -> None:
        if index is None:
            self.errors.append(message)
        else:
            self.row_errors.setdefault(index, []).append(_("Row %(row)d: %(message)s")
                                                          % {"row": index + 1, "message": message})

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.row_errors)

    @property
    def messages(self) -> list[str]:
        return [*self.errors, *(m for index in sorted(self.row_errors) for m in self.row_errors[index])]

    @property
    def shown(self) -> list[dict]:
        """The rows to draw: each with its inputs' values and errors, then one blank row to fill."""
        blank = {name: "" for name, _label, _kind in self.columns}
        return [{"index": index, "errors": self.row_errors.get(index, []),
                 "cells": [(name, label, kind, row.get(name, "")) for name, label, kind in self.columns]}
                for index, row in enumerate([*self.rows, blank])]


def _read(data, key: str, columns, removed: str | None) -> list[dict]:
    """The posted rows of ``key``, blank ones and the one "×" removed dropped."""
    lists = {name: data.getlist(f"{key}-{name}") for name, _label, _kind in columns}
    count = max((len(values) for values in lists.values()), default=0)
    rows = []
    for index in range(count):
        row = {name: (values[index] if index < len(values) else "").strip() for name, values in lists.items()}
        if f"{key}.{index}" != removed and any(row.values()):
            rows.append(row)
    return rows


def _scale_columns(method: str) -> tuple:
    kind = "whole" if method == "matrix" else "number"
    return (("value", _("Value"), kind), ("label", _("Meaning"), "text"))


BAND_COLUMNS = (("minimum", gettext_lazy("From (lower bound, included)"), "number"),
                ("colour", gettext_lazy("Grade"), "colour"), ("label", gettext_lazy("Meaning"), "text"))
CONDITION_COLUMNS = (("text", gettext_lazy("Condition"), "text"),)


def _number_text(value) -> str:
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


class TableEditor:
    """One method's table as rows: its scales, its bands and its basis; an enterprise's table is its own only
    when ``own`` is ticked (else the district's applies)."""

    def __init__(self, method: str, settings_field: str, title, *, data: dict, own: bool | None,
                 posted=None, removed: str | None = None):
        self.method, self.field, self.title, self.own = method, settings_field, title, own
        self.basis_error = ""
        labels = SCALE_FIELDS[method]
        columns = _scale_columns(method)
        if posted is not None:
            self.scales = [Rows(f"{method}-{scale}", label, columns, _read(posted, f"{method}-{scale}", columns, removed))
                           for scale, label in labels.items()]
            self.bands = Rows(f"{method}-bands", _("Bands, the most dangerous first"), BAND_COLUMNS,
                              _read(posted, f"{method}-bands", BAND_COLUMNS, removed))
            self.basis = posted.get(f"{method}-basis", "").strip()
            if own is not None:
                self.own = posted.get(f"{method}-own") == "on"
        else:
            self.scales = [Rows(f"{method}-{scale}", label, columns,
                                [{"value": key, "label": text} for key, text in data.get(scale, {}).items()])
                           for scale, label in labels.items()]
            self.bands = Rows(f"{method}-bands", _("Bands, the most dangerous first"), BAND_COLUMNS,
                              [{"minimum": _number_text(band["minimum"]), "colour": band["colour"],
                                "label": band["label"]} for band in data.get("bands", [])])
            self.basis = data.get("basis", "")

    @property
    def sections(self) -> list[Rows]:
        return [*self.scales, self.bands]

    @property
    def has_errors(self) -> bool:
        return bool(self.basis_error) or any(rows.has_errors for rows in self.sections)

    def _section(self, path: str) -> tuple[Rows | None, int | None]:
        """The rows and the row a rules' field path names: "bands[2].minimum", "l_values.7", "l_values"."""
        match = _ITEM.match(path)
        if match:
            return self.bands, int(match.group(1))
        if path == "bands":
            return self.bands, None
        for rows in self.scales:
            scale = rows.key.removeprefix(f"{self.method}-")
            if path == scale:
                return rows, None
            if path.startswith(f"{scale}."):
                value = path.removeprefix(f"{scale}.")
                index = next((i for i, row in enumerate(rows.rows) if row["value"] == value), None)
                return rows, index
        return None, None

    def data(self) -> dict | None:
        """The table as the rules' JSON, checked by the rules' reader; None (with the errors on the rows) when
        it is refused. An enterprise's table not its own is {} (the district's)."""
        if self.own is False:
            return {}
        data: dict = {}
        for rows in self.scales:
            seen: dict[str, int] = {}
            for index, row in enumerate(rows.rows):
                if row["value"] in seen:
                    rows.add(index, _("the value %(value)s is also on row %(row)d.")
                             % {"value": row["value"], "row": seen[row["value"]] + 1})
                seen.setdefault(row["value"], index)
            data[rows.key.removeprefix(f"{self.method}-")] = {row["value"]: row["label"] for row in rows.rows}
        bands = []
        for index, row in enumerate(self.bands.rows):
            try:
                minimum = Decimal(row["minimum"])
            except InvalidOperation:
                self.bands.add(index, _("give the lower bound as a number."))
                continue
            if row["colour"] not in COLOUR_ORDER:
                self.bands.add(index, _("choose the grade."))
                continue
            bands.append({"minimum": minimum, "level": index + 1, "colour": row["colour"], "label": row["label"]})
        data["bands"] = bands
        if self.basis:
            data["basis"] = self.basis
        if self.has_errors:
            return None
        try:
            TABLE_FIELDS[self.field][0](data)
        except RuleInputError as exc:
            if exc.field == "basis":
                self.basis_error = exc.message
            else:
                rows, index = self._section(exc.field)
                (rows or self.bands).add(index, exc.message)
            return None
        return data


class TablesPage:
    """The district's (bureau administrator) or an enterprise's tables, control levels and (district only)
    forced-major conditions, with their errors; ``values()`` are the service's arguments."""

    def __init__(self, data=None, *, row, district: bool, fallback: dict):
        """``row`` is the stored RiskSettings (or None); ``fallback`` the tables an enterprise starts from when
        it has none of its own (the district's in force)."""
        self.district = district
        self.posted = data
        removed = data.get("remove_row") if data is not None else None
        self.redraw = data is not None and ("add_row" in data or "remove_row" in data)
        self.editors = []
        for method, settings_field, title, default in TABLES:
            stored = getattr(row, settings_field) if row else {}
            own = None if district else bool(stored)
            start = stored or (fallback.get(settings_field) if not district else None) or table_to_data(default)
            self.editors.append(TableEditor(method, settings_field, title, data=start, own=own, posted=data,
                                            removed=removed))
        levels = (row.control_levels if row else None) or {}
        self.levels = forms.Form(data, initial={f"level_{grade}": levels.get(grade, "") for grade in RiskLevel.values})
        self.levels.fields.update(control_level_fields(required=district))
        style(self.levels)
        self.conditions = None
        if district:
            posted = _read(data, "conditions", CONDITION_COLUMNS, removed) if data is not None else None
            self.conditions = Rows("conditions", _("Conditions that make a risk major"), CONDITION_COLUMNS,
                                   posted if posted is not None else
                                   [{"text": text} for text in (row.forced_major_conditions if row else [])])
        self.errors: list[str] = []
        self._values: dict | None = None

    def _check_conditions(self) -> list[str] | None:
        rows = self.conditions
        texts = [row["text"] for row in rows.rows]
        if len(texts) > MAX_CONDITIONS:
            rows.add(None, _("At most %(count)d conditions.") % {"count": MAX_CONDITIONS})
        seen: dict[str, int] = {}
        for index, text in enumerate(texts):
            if len(text) > MAX_CONDITION_LENGTH:
                rows.add(index, _("at most %(count)d characters.") % {"count": MAX_CONDITION_LENGTH})
            if text in seen:
                rows.add(index, _("the same condition is on row %(row)d.") % {"row": seen[text] + 1})
            seen.setdefault(text, index)
        return None if rows.has_errors else texts

    def is_valid(self) -> bool:
        if self.posted is None or self.redraw:
            return False
        values = {editor.field: editor.data() for editor in self.editors}
        if self.levels.is_valid():
            chosen = {grade: self.levels.cleaned_data.get(f"level_{grade}") for grade in RiskLevel.values}
            values["control_levels"] = chosen if any(chosen.values()) else {}
        if self.conditions is not None:
            values["forced_major_conditions"] = self._check_conditions()
        if self.levels.errors or any(value is None for value in values.values()):
            self.errors.append(_("Nothing was saved: fix the rows marked below."))
            return False
        self._values = values
        return True

    def values(self) -> dict:
        return dict(self._values)

    def refuse(self, exc: ValidationError) -> None:
        """A refusal of the service (it checks the same tables again) on the table it names."""
        by_field = {editor.field: editor for editor in self.editors}
        for name, messages in exc.message_dict.items():
            editor = by_field.get(name)
            for message in messages:
                if editor is not None:
                    editor.bands.add(None, message)
                elif name == "forced_major_conditions" and self.conditions is not None:
                    self.conditions.add(None, message)
                else:
                    self.errors.append(message)
        self.errors.append(_("Nothing was saved: fix the rows marked below."))

    @property
    def sections_with_errors(self) -> list[str]:
        """The top of the page names every table or list with an error."""
        names = [str(editor.title) for editor in self.editors if editor.has_errors]
        if self.conditions is not None and self.conditions.has_errors:
            names.append(str(self.conditions.title))
        return names
