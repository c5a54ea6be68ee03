"""Excel import of the enterprise registry (issue 2, "Excel").

An import is all-or-nothing: every row of the file is checked first, with the same model validation the
page and the API use (unsaved model instances and ``full_clean``), against the same reference data and
the importer's jurisdiction. Only when no row has an error are all rows written, in one transaction,
with what :func:`services.create_enterprise` writes for each (one ``enterprise.create`` audit event per
enterprise, appended in batches by ``audit.record_many``) plus one ``enterprise.import`` event for the job
(3,000 rows: about 4.5 s on PostgreSQL). Otherwise nothing is written and every error is reported as (Excel row, column title,
reason), on the page and in a copy of the uploaded file with an error column.

Files with more than ``SHOUYE_IMPORT_SYNC_MAX_ROWS`` rows run in the background (``tasks.run_import``)
and report their progress on the job; smaller ones run at once in the request. Both use
:func:`run_import`, which a management command may also call.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from shouye.audit import services as audit
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import scope_for
from shouye.rules.identifiers import check_credit_code

from . import services
from .choices import LicenceKind, OperatingStatus, PersonRole, Scale, Source
from .models import Enterprise, EnterprisePerson, ImportJob, Industry, Licence, SupervisionGrade, Tag

logger = logging.getLogger(__name__)

#: Rows between two progress updates of a running job.
PROGRESS_EVERY = 50
#: Errors kept on the job for the page; the file with the error column always carries all of them.
MAX_STORED_ERRORS = 1000
#: Existing credit codes are looked up this many at a time.
LOOKUP_BATCH = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, and password-protected .xlsx
_TAG_SEPARATORS = re.compile(r"[、,，;；\n]+")
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: Excel serial numbers of 1950-01-01 and 2100-12-31: a bare number in a date cell is read as a date
#: only inside this range, so that an amount typed by mistake is not taken for a date.
_SERIAL_RANGE = (18264, 73415)
_SIX_PLACES = Decimal("0.000001")
_ERROR_FILL = PatternFill(fill_type="solid", fgColor="FFC7CE")
_ERROR_FONT = Font(color="9C0006")
_REQUIRED_FILL = PatternFill(fill_type="solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    required: bool = False
    hint: str = ""
    text_format: bool = False
    width: int = 16


COLUMNS = [
    Column("name", gettext_lazy("Name"), True, gettext_lazy("The registered name."), width=30),
    Column("credit_code", gettext_lazy("Credit code"), True,
           gettext_lazy("The 18-character unified social credit code (GB 32100-2015)."), True, 22),
    Column("township", gettext_lazy("Township"), True,
           gettext_lazy("A township name or its 9-digit code, from the Instructions sheet.")),
    Column("industry", gettext_lazy("Industry"), True,
           gettext_lazy("An industry name or code, from the Instructions sheet.")),
    Column("legal_representative", gettext_lazy("Legal representative"), True),
    Column("address", gettext_lazy("Address"), width=30),
    Column("longitude", gettext_lazy("Longitude"), hint=gettext_lazy("Decimal degrees, for example 116.75.")),
    Column("latitude", gettext_lazy("Latitude"), hint=gettext_lazy("Decimal degrees, for example 36.50.")),
    Column("scale", gettext_lazy("Scale"), hint=gettext_lazy("One of the scales below; empty means small.")),
    Column("employees", gettext_lazy("Employees"), hint=gettext_lazy("A whole number.")),
    Column("status", gettext_lazy("Operating status"),
           hint=gettext_lazy("One of the statuses below; empty means operating.")),
    Column("supervision_grade", gettext_lazy("Supervision grade"), True,
           gettext_lazy("A, B, C or D, from the Instructions sheet.")),
    Column("tags", gettext_lazy("Tags"),
           hint=gettext_lazy("Tag names or codes from the Instructions sheet, separated by 、 or , or ；.")),
    Column("principal_name", gettext_lazy("Principal")),
    Column("principal_phone", gettext_lazy("Principal's phone"),
           hint=gettext_lazy("A mobile number of 11 digits or a landline such as 0531-87654321."), text_format=True),
    Column("safety_director_name", gettext_lazy("Safety director")),
    Column("safety_director_phone", gettext_lazy("Safety director's phone"),
           hint=gettext_lazy("A mobile number of 11 digits or a landline such as 0531-87654321."), text_format=True),
    Column("safety_officer_name", gettext_lazy("Safety officer")),
    Column("safety_officer_phone", gettext_lazy("Safety officer's phone"),
           hint=gettext_lazy("A mobile number of 11 digits or a landline such as 0531-87654321."), text_format=True),
    Column("safety_officer_id_number", gettext_lazy("Safety officer's ID number"),
           hint=gettext_lazy("The 18-character resident ID number (GB 11643-1999)."), text_format=True, width=22),
    Column("safety_officer_certificate_number", gettext_lazy("Safety officer's certificate number"),
           text_format=True, width=22),
    Column("safety_officer_certificate_expiry", gettext_lazy("Safety officer's certificate expiry"),
           hint=gettext_lazy("A date as YYYY-MM-DD.")),
    Column("licence_kind", gettext_lazy("Licence kind"),
           hint=gettext_lazy("One of the licence kinds below; kind, number and dates are needed when a licence is given."),
           width=24),
    Column("licence_number", gettext_lazy("Licence number"), text_format=True, width=24),
    Column("licence_issuer", gettext_lazy("Licence issuer"), width=20),
    Column("licence_valid_from", gettext_lazy("Licence valid from"), hint=gettext_lazy("A date as YYYY-MM-DD.")),
    Column("licence_valid_to", gettext_lazy("Licence valid to"), hint=gettext_lazy("A date as YYYY-MM-DD.")),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_ORDER = {column.key: index for index, column in enumerate(COLUMNS)}
#: (role, column prefix, fields) of the key people a row may carry.
PERSON_GROUPS = [
    (PersonRole.PRINCIPAL, "principal", ["name", "phone"]),
    (PersonRole.SAFETY_DIRECTOR, "safety_director", ["name", "phone"]),
    (PersonRole.SAFETY_OFFICER, "safety_officer",
     ["name", "phone", "id_number", "certificate_number", "certificate_expiry"]),
]
LICENCE_COLUMN_FIELDS = ["kind", "number", "issuer", "valid_from", "valid_to"]
LICENCE_REQUIRED = ["kind", "number", "valid_from", "valid_to"]
#: Words registries and ledgers use for an operating status, accepted besides the labels: the registration
#: states of the national enterprise credit publicity system (存续、在营、开业 · 注销) and 歇业 of the
#: 市场主体登记管理条例.
STATUS_ALIASES = {
    "在营": OperatingStatus.OPERATING, "存续": OperatingStatus.OPERATING, "开业": OperatingStatus.OPERATING,
    "停产": OperatingStatus.SUSPENDED, "停业": OperatingStatus.SUSPENDED, "歇业": OperatingStatus.SUSPENDED,
    "关闭": OperatingStatus.CLOSED, "关停": OperatingStatus.CLOSED, "注销": OperatingStatus.CLOSED,
}
ERRORS_TITLE = gettext_lazy("Errors")
DATA_SHEET_TITLE = gettext_lazy("Enterprises")


def _in_every_language(text) -> set[str]:
    """The text in every configured language, folded for comparison (a lazy msgid gives each translation)."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(_fold(str(text)))
    return found


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).strip("*＊").casefold()


# ---------------------------------------------------------------------------------------------- errors


@dataclass
class ImportErrors:
    """Errors found so far, each tied to an Excel row and a column key (for the error column and the red
    cells); ``row`` is None for a problem with the file as a whole."""

    items: list[tuple[int | None, str, str]] = field(default_factory=list)

    def add(self, row: int | None, key: str, message) -> None:
        self.items.append((row, key, str(message)))

    def add_validation(self, row: int, exc: ValidationError, keys: dict[str, str]) -> None:
        """Add a model ValidationError; ``keys`` maps model field names to column keys."""
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.add(row, keys.get(name, ""), message)

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_dicts(self) -> list[dict]:
        ordered = sorted(self.items, key=lambda e: (e[0] is not None, e[0] or 0, COLUMN_ORDER.get(e[1], -1)))
        return [{"row": row, "column": _column_title(key), "message": message} for row, key, message in ordered]


def _column_title(key: str) -> str:
    column = COLUMNS_BY_KEY.get(key)
    return str(column.title) if column else ""


def _stored(errors: list[dict]) -> list[dict]:
    if len(errors) <= MAX_STORED_ERRORS:
        return errors
    more = len(errors) - MAX_STORED_ERRORS
    return errors[:MAX_STORED_ERRORS] + [{
        "row": None, "column": "",
        "message": _("… and %(count)s more errors: download the file with the error column to see them all.")
        % {"count": more},
    }]


# ------------------------------------------------------------------------------------------ cell values


class _BadCell(Exception):
    """A cell whose value cannot be read as the column needs; the message says why."""


def _text(value) -> str:
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
    return str(value).strip()


def _date(value) -> date | None:
    """A real Excel date, or text as YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日 or YYYYMMDD."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        return from_excel(value).date()
    text = _text(value)
    match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise _BadCell(_("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2026-03-31.") % {"value": text})


def _decimal(value) -> Decimal | None:
    text = _text(value)
    if text == "":
        return None
    try:
        number = Decimal(str(value) if isinstance(value, float) else text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise _BadCell(_("“%(value)s” is not a number.") % {"value": text})
    try:
        return number.quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return number


def _whole(value) -> int | None:
    text = _text(value)
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise _BadCell(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(number)


# ------------------------------------------------------------------------------------ reference lookups


class References:
    """The reference data a row names, looked up once per import: townships by name or code, industries
    by name or code, grades, tags, and the choices by value or label in any language."""

    def __init__(self):
        townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
        self.townships = {r.code: r for r in townships} | {r.name: r for r in townships}
        industries = list(Industry.objects.select_related("department"))
        self.industries = {i.code.casefold(): i for i in industries} | {i.name.casefold(): i for i in industries}
        grades = list(SupervisionGrade.objects.all())
        self.grade_codes = [g.code for g in grades]
        self.grades = {g.code.casefold(): g for g in grades} | {g.name.casefold(): g for g in grades}
        tags = list(Tag.objects.all())
        self.tags = {t.code.casefold(): t for t in tags} | {t.name.casefold(): t for t in tags}
        self.choices = {"scale": _choice_lookup(Scale),
                        "status": _choice_lookup(OperatingStatus) | {_fold(k): v for k, v in STATUS_ALIASES.items()},
                        "licence_kind": _choice_lookup(LicenceKind)}
        self.choice_labels = {"scale": Scale, "status": OperatingStatus, "licence_kind": LicenceKind}

    def choice(self, key: str, text: str) -> str:
        value = self.choices[key].get(_fold(text))
        if value is None:
            labels = "、".join(str(label) for label in self.choice_labels[key].labels)
            raise _BadCell(_("“%(value)s” is not one of: %(choices)s.") % {"value": text, "choices": labels})
        return value


def _choice_lookup(choices) -> dict[str, str]:
    """TextChoices by value and by label in every language (在营 as well as Operating and operating)."""
    lookup = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        lookup[_fold(value)] = value
        for text in _in_every_language(label):
            lookup[text] = value
    return lookup


# -------------------------------------------------------------------------------------------- reading


@dataclass
class Sheet:
    """The data sheet of an uploaded workbook: its title, where each known column is (0-based), and its
    non-empty data rows as (Excel row number, cell values)."""

    title: str
    positions: dict[str, int]
    rows: list[tuple[int, tuple]]
    errors_position: int | None = None


def _open_workbook(content: bytes, name: str):
    """Load an uploaded file as an xlsx workbook, or raise ValidationError naming the file."""
    if not content:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    if content.startswith(_OLE2_MAGIC):
        raise ValidationError(_(
            "“%(name)s” is an Excel 97–2003 (.xls) workbook or a password-protected file, not an .xlsx "
            "workbook. Open it in Excel or WPS, remove any password, save it as “Excel Workbook (*.xlsx)” "
            "and upload it again.") % {"name": name})
    not_xlsx = ValidationError(_(
        "“%(name)s” is not an Excel workbook (.xlsx). Save it from Excel or WPS as “Excel Workbook "
        "(*.xlsx)” and upload it again.") % {"name": name})
    if not content.startswith(_ZIP_MAGIC):
        raise not_xlsx
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        raise not_xlsx from exc


def _data_sheet(workbook):
    """The sheet named like the template's data sheet, in any language; otherwise the first sheet."""
    titles = _in_every_language(DATA_SHEET_TITLE)
    for sheet in workbook.worksheets:
        if _fold(sheet.title) in titles:
            return sheet
    return workbook.worksheets[0] if workbook.worksheets else None


def read_sheet(content: bytes, name: str, errors: ImportErrors) -> Sheet | None:
    """The data sheet with its header mapped to columns; file-level problems go to ``errors``."""
    try:
        workbook = _open_workbook(content, name)
    except ValidationError as exc:
        errors.add(None, "", exc.messages[0])
        return None
    try:
        sheet = _data_sheet(workbook)
        rows = sheet.iter_rows(min_row=1, values_only=True) if sheet is not None else iter(())
        header = next(rows, None)
        if header is None or all(_text(v) == "" for v in header):
            errors.add(None, "", _("The first sheet of “%(name)s” is empty: download the template, fill it in "
                                   "and upload it again.") % {"name": name})
            return None
        titles = {}
        for column in COLUMNS:
            for text in _in_every_language(column.title) | {_fold(column.key)}:
                titles.setdefault(text, column.key)
        error_titles = _in_every_language(ERRORS_TITLE)
        positions, errors_position = {}, None
        for index, value in enumerate(header):
            folded = _fold(_text(value))
            if folded in titles and titles[folded] not in positions:
                positions[titles[folded]] = index
            elif errors_position is None and any(folded.startswith(t) for t in error_titles):
                errors_position = index
        for column in COLUMNS:
            if column.required and column.key not in positions:
                errors.add(1, column.key, _("This required column is missing from the header row."))
        data = [(number, values) for number, values in enumerate(rows, start=2)
                if any(_text(v) != "" for v in values)]
        if not data:
            errors.add(None, "", _("“%(name)s” has no enterprise rows: fill in the first sheet from row 2 on.")
                       % {"name": name})
        return Sheet(title=sheet.title, positions=positions, rows=data, errors_position=errors_position)
    finally:
        workbook.close()


def row_count_hint(content: bytes) -> int | None:
    """Data rows the file claims to have (from its dimension record, without reading it), to choose between
    running now and in the background. 0 for a file that cannot be read (it fails fast, in the request);
    None when the workbook does not say."""
    try:
        workbook = _open_workbook(content, "")
    except ValidationError:
        return 0
    try:
        sheet = _data_sheet(workbook)
        if sheet is None:
            return 0
        try:
            max_row = sheet.max_row
        except Exception:  # a malformed dimension record: let the background job read the rows
            return None
        return None if max_row is None else max(max_row - 1, 0)
    finally:
        workbook.close()


# ----------------------------------------------------------------------------------------- validation


@dataclass
class ValidRow:
    """One checked row, ready for ``services.create_enterprise``."""

    number: int
    data: dict
    people: list[dict]
    licences: list[dict]
    tags: list


class RowChecker:
    """Checks one row at a time; the checks across rows (repeated and registered credit codes) run after."""

    def __init__(self, actor, references: References):
        self.refs = references
        self.scope = scope_for(actor)

    def check(self, number: int, cells: dict, errors: ImportErrors) -> ValidRow | None:
        before = len(errors.items)
        failed: set[str] = set()

        def fail(key: str, message) -> None:
            failed.add(key)
            errors.add(number, key, message)

        text = {key: _text(cells.get(key)) for key in COLUMNS_BY_KEY}
        for column in COLUMNS:
            if column.required and text[column.key] == "":
                fail(column.key, _("This cell is required."))

        data = {"name": text["name"], "legal_representative": text["legal_representative"],
                "address": text["address"], "credit_code": text["credit_code"].upper()}
        if "credit_code" not in failed:
            result = check_credit_code(data["credit_code"])
            if not result.valid:
                fail("credit_code", result.reason)
        self._references(text, data, fail, failed)
        for key in ("longitude", "latitude"):
            try:
                data[key] = _decimal(cells.get(key))
            except _BadCell as exc:
                fail(key, exc)
        try:
            employees = _whole(cells.get("employees"))
        except _BadCell as exc:
            fail("employees", exc)
        else:
            if employees is not None:
                data["employees"] = employees
        for key in ("scale", "status"):
            if text[key]:
                try:
                    data[key] = self.refs.choice(key, text[key])
                except _BadCell as exc:
                    fail(key, exc)
        tags = self._tags(text["tags"], fail)

        enterprise = Enterprise(source=Source.IMPORT, **{k: v for k, v in data.items() if v is not None})
        try:
            enterprise.full_clean(exclude=sorted(failed | {"township", "industry", "supervision_grade",
                                                           "credit_code"}),
                                  validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.add_validation(number, exc, {name: name for name in COLUMNS_BY_KEY})
        people = self._people(number, cells, text, errors, fail, failed)
        licences = self._licences(number, cells, text, errors, fail, failed)
        if len(errors.items) > before:
            return None
        return ValidRow(number=number, data=data, people=people, licences=licences, tags=tags)

    def _references(self, text, data, fail, failed) -> None:
        refs = self.refs
        lookups = (
            ("township", lambda v: refs.townships.get(v),
             _("Unknown township “%(value)s”: use a name or 9-digit code from the Instructions sheet.")),
            ("industry", lambda v: refs.industries.get(v.casefold()),
             _("Unknown industry “%(value)s”: use a name or code from the Instructions sheet.")),
            ("supervision_grade", lambda v: refs.grades.get(v.casefold()),
             _("Unknown supervision grade “%(value)s”: use one of %(codes)s.")),
        )
        for key, find, message in lookups:
            if key in failed:
                continue
            found = find(text[key])
            if found is None:
                fail(key, message % {"value": text[key], "codes": "、".join(refs.grade_codes)})
            else:
                data[key] = found
        township, industry = data.get("township"), data.get("industry")
        if township is not None and industry is not None \
                and not self.scope.admits(region_id=township.id, industry_id=industry.id):
            outside_township = bool(self.scope.region_ids) and township.id not in self.scope.region_ids
            fail("township" if outside_township or not self.scope.industry_ids else "industry",
                 _("You can only register enterprises within your jurisdiction."))

    def _tags(self, value: str, fail) -> list:
        tags = []
        for name in (part.strip() for part in _TAG_SEPARATORS.split(value)):
            if not name:
                continue
            tag = self.refs.tags.get(name.casefold())
            if tag is None:
                fail("tags", _("Unknown tag “%(value)s”: use a name or code from the Instructions sheet.")
                     % {"value": name})
            elif tag not in tags:
                tags.append(tag)
        return tags

    def _people(self, number, cells, text, errors, fail, failed) -> list[dict]:
        people = []
        for role, prefix, fields in PERSON_GROUPS:
            keys = {f: f"{prefix}_{f}" for f in fields}
            if all(text[key] == "" for key in keys.values()):
                continue
            row = {"role": role}
            for name, key in keys.items():
                if name == "certificate_expiry":
                    try:
                        row[name] = _date(cells.get(key))
                    except _BadCell as exc:
                        fail(key, exc)
                else:
                    row[name] = text[key]
            if row.get("name") == "":
                fail(keys["name"], _("Enter the person's name: other cells of this person are filled."))
            excluded = ["enterprise"] + [f for f, key in keys.items() if key in failed]
            try:
                EnterprisePerson(**row).full_clean(exclude=excluded, validate_unique=False,
                                                   validate_constraints=False)
            except ValidationError as exc:
                errors.add_validation(number, exc, keys)
            people.append(row)
        return people

    def _licences(self, number, cells, text, errors, fail, failed) -> list[dict]:
        keys = {f: f"licence_{f}" for f in LICENCE_COLUMN_FIELDS}
        if all(text[key] == "" for key in keys.values()):
            return []
        row = {"issuer": text[keys["issuer"]], "number": text[keys["number"]]}
        for name in LICENCE_REQUIRED:
            if text[keys[name]] == "":
                fail(keys[name], _("Required when the row has a licence."))
        if text[keys["kind"]]:
            try:
                row["kind"] = self.refs.choice("licence_kind", text[keys["kind"]])
            except _BadCell as exc:
                fail(keys["kind"], exc)
        for name in ("valid_from", "valid_to"):
            if keys[name] in failed:
                continue
            try:
                row[name] = _date(cells.get(keys[name]))
            except _BadCell as exc:
                fail(keys[name], exc)
        if row.get("valid_from") and row.get("valid_to") and row["valid_to"] < row["valid_from"]:
            fail(keys["valid_to"], _("The licence ends before it starts (valid from %(date)s).")
                 % {"date": row["valid_from"].isoformat()})
        excluded = ["enterprise"] + [f for f, key in keys.items() if key in failed]
        try:
            Licence(**row).full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.add_validation(number, exc, keys)
        return [row]


def check_credit_codes(rows: list[tuple[int, str]], errors: ImportErrors) -> None:
    """Credit codes repeated within the file (each row names the others) and codes already registered.

    Looks at every enterprise in the database, not only those the importer sees, because the code is unique
    across the registry; the message says only that the code is taken, never by whom."""
    by_code = defaultdict(list)
    for number, code in rows:
        by_code[code].append(number)
    for numbers in by_code.values():
        if len(numbers) > 1:
            listed = ", ".join(str(n) for n in numbers)
            for number in numbers:
                errors.add(number, "credit_code",
                           _("The credit code is repeated in this file (rows %(rows)s).") % {"rows": listed})
    codes = list(by_code)
    registered = set()
    for start in range(0, len(codes), LOOKUP_BATCH):
        batch = codes[start:start + LOOKUP_BATCH]
        registered.update(Enterprise.objects.filter(credit_code__in=batch).values_list("credit_code", flat=True))
    for code in sorted(registered):
        for number in by_code[code]:
            errors.add(number, "credit_code", _("This credit code is already registered."))


# ------------------------------------------------------------------------------------------- progress


class Progress:
    """Writes ``processed_rows`` where someone polling the job page can see it, every PROGRESS_EVERY rows.

    While rows are checked no transaction is open, so a plain UPDATE is committed at once. The rows are
    written inside one long transaction (all-or-nothing), where an UPDATE through the same connection would
    stay invisible until the end. On PostgreSQL the count therefore goes through a second connection in
    autocommit mode. The main transaction does not touch the job row until its very end, and the second
    connection skips the row if a caller's own transaction holds it, so the two never wait on each other.
    SQLite has a single writer: while the import's transaction holds it no other connection can write (not
    even the polling request's session), so there the count goes through the same connection and shows when
    the write commits; the bar shows the checking progress meanwhile.
    """

    def __init__(self, job: ImportJob):
        self.job = job
        self.last = -PROGRESS_EVERY
        self._side = None

    def report(self, processed: int, *, force: bool = False) -> None:
        if not force and processed - self.last < PROGRESS_EVERY:
            return
        self.last = processed
        self.job.processed_rows = processed
        if connection.in_atomic_block and connection.vendor == "postgresql":
            if self._side is None:
                main = transaction.get_connection()
                self._side = type(main)(dict(main.settings_dict), alias=main.alias)
            table = ImportJob._meta.db_table
            with self._side.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET processed_rows = %s WHERE id = "
                               f"(SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                               [processed, self.job.pk])
        else:
            ImportJob.objects.filter(pk=self.job.pk).update(processed_rows=processed)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


# ---------------------------------------------------------------------------------------------- jobs


def jobs_of(actor):
    """The imports an actor may look at: its own."""
    return ImportJob.objects.filter(created_by=actor)


def _ensure_can_import(actor) -> None:
    if not (actor.has_perm("enterprises.import_enterprise") and actor.has_perm("enterprises.add_enterprise")):
        raise PermissionDenied(_("You do not have permission to do this."))


def start_import(*, actor, upload, language: str | None = None) -> ImportJob:
    """Store the uploaded file as a job and run it: at once when it has at most SHOUYE_IMPORT_SYNC_MAX_ROWS
    rows, otherwise in the background once the job is committed."""
    _ensure_can_import(actor)
    name = PurePath(upload.name or "upload.xlsx").name[:200]
    limit = settings.SHOUYE_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("“%(name)s” is %(size).1f MB; the largest file accepted is %(max).1f MB.")
                              % {"name": name, "size": upload.size / 2**20, "max": limit / 2**20})
    content = upload.read()
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    job = ImportJob(created_by=actor, original_name=name)
    job.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(content), save=False)
    job.save()
    rows = row_count_hint(content)
    if rows is not None and rows <= settings.SHOUYE_IMPORT_SYNC_MAX_ROWS:
        return run_import(job, language=language)
    from .tasks import run_import as task

    transaction.on_commit(lambda: task.delay(job.pk, language))
    return job


def run_import(job: ImportJob, *, language: str | None = None) -> ImportJob:
    """Check every row, then write all of them or none. Runs once per job: a second call (a task delivered
    twice) finds the job already claimed and does nothing."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.VALIDATING)
    job.refresh_from_db()
    if not claimed:
        return job
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            _run(job)
        except Exception:
            logger.exception("import job %s stopped", job.pk)
            errors = ImportErrors()
            errors.add(None, "", _("The import stopped on an unexpected error and nothing was imported. "
                                   "Please tell the system administrator."))
            _fail(job, errors)
    return job


def _run(job: ImportJob) -> None:
    actor = job.created_by
    errors = ImportErrors()
    try:
        _ensure_can_import(actor)
    except PermissionDenied as exc:
        errors.add(None, "", str(exc))
        _fail(job, errors)
        return
    with job.file.open("rb") as handle:
        content = handle.read()
    sheet = read_sheet(content, job.original_name, errors)
    if sheet is None or errors:
        _fail(job, errors, content, sheet)
        return
    job.total_rows = len(sheet.rows)
    ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows, processed_rows=0)
    checker = RowChecker(actor, References())
    valid, codes = [], []
    with Progress(job) as progress:
        for index, (number, values) in enumerate(sheet.rows, start=1):
            cells = {key: values[pos] if pos < len(values) else None for key, pos in sheet.positions.items()}
            row = checker.check(number, cells, errors)
            if row is not None:
                valid.append(row)
            code = _text(cells.get("credit_code")).upper()
            if code and check_credit_code(code).valid:
                codes.append((number, code))
            progress.report(index)
        progress.report(len(sheet.rows), force=True)
    check_credit_codes(codes, errors)
    if errors:
        _fail(job, errors, content, sheet)
        return
    _write(job, valid, content, sheet)


def _create_batch(actor, rows: list[ValidRow]) -> None:
    """What ``services.create_enterprise`` does for each row, in a few statements per batch instead of about
    twenty per row: the rows were already put through the same model validation, placement check and
    permission check, so here they are only inserted, each with its own ``enterprise.create`` audit event
    carrying the same changes the service records (a test compares the two), all appended at once."""
    enterprises = Enterprise.objects.bulk_create([
        Enterprise(source=Source.IMPORT, **{f: row.data[f] for f in services.EDITABLE_FIELDS if f in row.data})
        for row in rows])
    through = Enterprise.tags.through
    people, licences, links = [], [], []
    for enterprise, row in zip(enterprises, rows, strict=True):
        people += [EnterprisePerson(enterprise=enterprise, **person) for person in row.people]
        licences += [Licence(enterprise=enterprise, **licence) for licence in row.licences]
        links += [through(enterprise_id=enterprise.pk, tag_id=tag.pk) for tag in row.tags]
    EnterprisePerson.objects.bulk_create(people)
    Licence.objects.bulk_create(licences)
    through.objects.bulk_create(links)
    audit.record_many(actor=actor, events=[
        ("enterprise.create", enterprise, {"fields": services._snapshot(enterprise), "people": len(row.people),
                                           "licences": len(row.licences),
                                           "tags": sorted(tag.code for tag in row.tags)}, "")
        for enterprise, row in zip(enterprises, rows, strict=True)])


def _write(job: ImportJob, rows: list[ValidRow], content: bytes, sheet: Sheet) -> None:
    """All rows in one transaction, then the job's own audit event in the same transaction."""
    actor = job.created_by
    job.status = ImportJob.Status.IMPORTING
    ImportJob.objects.filter(pk=job.pk).update(status=job.status, processed_rows=0)
    try:
        with transaction.atomic():
            with Progress(job) as progress:
                for start in range(0, len(rows), PROGRESS_EVERY):
                    _create_batch(actor, rows[start:start + PROGRESS_EVERY])
                    progress.report(min(start + PROGRESS_EVERY, len(rows)))
            job.status = ImportJob.Status.SUCCEEDED
            job.processed_rows = job.created_count = len(rows)
            job.errors = []
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "processed_rows", "created_count", "errors", "finished_at"])
            audit.record(actor=actor, verb="enterprise.import", target=job,
                         changes={"file": job.original_name, "rows": len(rows), "created": len(rows)})
    except IntegrityError:
        # Another user registered one of the codes between the check and the write.
        errors = ImportErrors()
        check_credit_codes([(row.number, row.data["credit_code"]) for row in rows], errors)
        if not errors:
            raise
        _fail(job, errors, content, sheet)


def _fail(job: ImportJob, errors: ImportErrors, content: bytes | None = None, sheet: Sheet | None = None) -> None:
    """Record the refusal: nothing was imported; the errors go on the job and into the error file."""
    listed = errors.as_dicts()
    job.status = ImportJob.Status.FAILED
    job.errors = _stored(listed)
    job.created_count = 0
    job.finished_at = timezone.now()
    fields = ["status", "errors", "created_count", "finished_at"]
    if content is not None and sheet is not None:
        try:
            annotated = error_workbook(content, sheet, errors)
        except Exception:  # the errors stay on the page even when the workbook cannot be rewritten
            logger.exception("import job %s: no file with the error column", job.pk)
        else:
            job.error_file.save(f"{uuid.uuid4().hex}-errors.xlsx", ContentFile(annotated), save=False)
            fields.append("error_file")
    job.save(update_fields=fields)


# ---------------------------------------------------------------------------------------------- files


def error_workbook(content: bytes, sheet: Sheet, errors: ImportErrors) -> bytes:
    """The uploaded workbook with an error column on its data sheet (every reason of the row, by column) and
    the bad cells filled red."""
    workbook = load_workbook(io.BytesIO(content))
    worksheet = workbook[sheet.title]
    column = (sheet.errors_position + 1) if sheet.errors_position is not None else worksheet.max_column + 1
    by_row = defaultdict(list)
    for row, key, message in errors.items:
        by_row[row].append((key, message))
    if sheet.errors_position is not None:
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.value = None
    header = worksheet.cell(row=1, column=column)
    header.value = "\n".join([str(ERRORS_TITLE)] + [f"{_column_title(k)}: {m}" for k, m in by_row.get(1, [])])
    header.font = Font(bold=True, color="9C0006")
    header.fill = _ERROR_FILL
    worksheet.column_dimensions[get_column_letter(column)].width = 60
    for row, messages in by_row.items():
        if row is None:
            continue
        if row != 1:
            cell = worksheet.cell(row=row, column=column)
            cell.value = "\n".join(f"{_column_title(k)}: {m}" if k else m for k, m in messages)
            cell.font = _ERROR_FONT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for key, _message in messages:
            if key in sheet.positions:
                worksheet.cell(row=row, column=sheet.positions[key] + 1).fill = _ERROR_FILL
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _placeable(actor):
    """Townships and industries the actor may register enterprises in (the same choice the form offers)."""
    scope = scope_for(actor)
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")
    industries = Industry.objects.select_related("department")
    if not scope.everything and not scope.enterprise_ids:
        if scope.region_ids:
            townships = townships.filter(pk__in=scope.region_ids)
        if scope.industry_ids:
            industries = industries.filter(pk__in=scope.industry_ids)
    return list(townships), list(industries)


def template_workbook(actor) -> bytes:
    """The import template: the data sheet with the column titles (required ones marked * and shaded,
    each explained in a cell comment), and an Instructions sheet listing what the coded columns accept.
    It holds no example row, so a filled template imports as it is."""
    townships, industries = _placeable(actor)
    grades = list(SupervisionGrade.objects.all())
    tags = list(Tag.objects.all())
    workbook = Workbook()
    data = workbook.active
    data.title = str(DATA_SHEET_TITLE)
    guide = workbook.create_sheet(str(_("Instructions")))
    lists = _write_instructions(guide, townships, industries, grades, tags)
    for index, column in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=index, value=f"{column.title}*" if column.required else str(column.title))
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = _REQUIRED_FILL
        if column.hint:
            cell.comment = Comment(str(column.hint), str(_("Shouye")), width=240, height=90)
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = column.width
        if column.text_format:
            data.column_dimensions[letter].number_format = "@"
        if column.key in lists:
            validation = DataValidation(type="list", formula1=lists[column.key], allow_blank=True,
                                        showErrorMessage=False)
            validation.add(f"{letter}2:{letter}5000")
            data.add_data_validation(validation)
    data.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_instructions(sheet, townships, industries, grades, tags) -> dict[str, str]:
    """Fill the Instructions sheet; returns, per column key, the range a drop-down list takes its values
    from."""
    bold = Font(bold=True)
    sheet.append([str(_("Enterprise import template"))])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        _("Fill in one enterprise per row on the first sheet, from row 2 on. Columns marked * are required."),
        _("The import is all-or-nothing: when any row has an error nothing is imported, and every error is "
          "listed by row and column, on the page and in a copy of your file."),
        _("Write dates as YYYY-MM-DD. A township may be given by name or by its 9-digit code, an industry by "
          "name or by code."),
        _("Each row may carry one principal, one safety director, one safety officer and one licence."),
    ):
        sheet.append([str(line)])
    lists = {}

    def section(title, header, rows, list_key=None, list_column=0):
        sheet.append([])
        sheet.append([str(title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([str(h) for h in header])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        first = sheet.max_row + 1
        for row in rows:
            sheet.append([v if isinstance(v, int) or v is None else str(v) for v in row])
        if list_key and rows:
            letter = get_column_letter(list_column + 1)
            lists[list_key] = f"'{sheet.title}'!${letter}${first}:${letter}${sheet.max_row}"

    section(_("Columns"), [_("Column"), _("Required"), _("How to fill it in")],
            [(c.title, _("yes") if c.required else "", c.hint) for c in COLUMNS])
    section(_("Townships"), [_("Name"), _("Code")], [(t.name, t.code) for t in townships], "township")
    section(_("Industries"), [_("Name"), _("Code"), _("Supervising department")],
            [(i.name, i.code, i.department.name) for i in industries], "industry")
    section(_("Supervision grades"), [_("Grade"), _("Name"), _("Meaning"), _("Inspections per year")],
            [(g.code, g.name, g.meaning, g.inspections_per_year) for g in grades], "supervision_grade")
    section(_("Tags"), [_("Name"), _("Code")], [(t.name, t.code) for t in tags])
    section(_("Operating statuses"), [_("Label"), _("Value")],
            [(label, value) for value, label in OperatingStatus.choices], "status")
    section(_("Scales"), [_("Label"), _("Value")], [(label, value) for value, label in Scale.choices], "scale")
    section(_("Licence kinds"), [_("Label"), _("Value")],
            [(label, value) for value, label in LicenceKind.choices], "licence_kind")
    for letter, width in zip("ABCD", (34, 16, 60, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    return lists


def template_filename() -> str:
    return f"{_('Enterprise import template')}.xlsx"


def error_filename(job: ImportJob) -> str:
    return f"{_('%(name)s with errors') % {'name': PurePath(job.original_name).stem}}.xlsx"
