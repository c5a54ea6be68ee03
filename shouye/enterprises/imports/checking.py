"""Checking the rows of an enterprise import: each row with the model validation the page and the API use
(unsaved model instances and ``full_clean``), against the reference data and the importer's jurisdiction;
then the credit codes across rows and against the registry."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shouye.core.importkit import BadCell, ImportErrors, RowChecker, cells
from shouye.core.importkit.columns import fold, in_every_language
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import scope_for
from shouye.rules.identifiers import check_credit_code

from ..choices import LicenceKind, OperatingStatus, Scale, Source
from ..models import Enterprise, EnterprisePerson, Industry, Licence, SupervisionGrade, Tag
from .columns import COLUMNS, LICENCE_COLUMN_FIELDS, LICENCE_REQUIRED, PERSON_GROUPS, STATUS_ALIASES

#: Existing credit codes are looked up this many at a time.
LOOKUP_BATCH = 500
_TAG_SEPARATORS = re.compile(r"[、,，;；\n]+")


class References:
    """The reference data a row names, looked up once per import: townships by name or code, industries
    by name or code, grades, tags, and the choices by value or label in any language; each as
    :func:`~shouye.core.importkit.columns.fold` compares them, so a code typed in full-width characters
    (３７０１１３１０７, ｍｈｉ) is found too."""

    def __init__(self):
        townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
        self.townships = {fold(r.code): r for r in townships} | {fold(r.name): r for r in townships}
        industries = list(Industry.objects.select_related("department"))
        self.industries = {fold(i.code): i for i in industries} | {fold(i.name): i for i in industries}
        grades = list(SupervisionGrade.objects.all())
        self.grade_codes = [g.code for g in grades]
        self.grades = {fold(g.code): g for g in grades} | {fold(g.name): g for g in grades}
        tags = list(Tag.objects.all())
        self.tags = {fold(t.code): t for t in tags} | {fold(t.name): t for t in tags}
        self.choices = {"scale": _choice_lookup(Scale),
                        "status": _choice_lookup(OperatingStatus) | {fold(k): v for k, v in STATUS_ALIASES.items()},
                        "licence_kind": _choice_lookup(LicenceKind)}
        self.choice_labels = {"scale": Scale, "status": OperatingStatus, "licence_kind": LicenceKind}

    def choice(self, key: str, text: str) -> str:
        value = self.choices[key].get(fold(text))
        if value is None:
            labels = "、".join(str(label) for label in self.choice_labels[key].labels)
            raise BadCell(_("“%(value)s” is not one of: %(choices)s.") % {"value": text, "choices": labels})
        return value


def _choice_lookup(choices) -> dict[str, str]:
    """TextChoices by value and by label in every language (在营 as well as Operating and operating)."""
    lookup = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        lookup[fold(value)] = value
        for text in in_every_language(label):
            lookup[text] = value
    return lookup


@dataclass
class ValidRow:
    """One checked row, ready for the batch writer."""

    number: int
    data: dict
    people: list[dict]
    licences: list[dict]
    tags: list


class EnterpriseRowChecker(RowChecker):
    """Checks one row at a time; the checks across rows (repeated and registered credit codes) run after."""

    def __init__(self, actor, references: References | None = None):
        self.refs = references or References()
        self.scope = scope_for(actor)
        #: (Excel row, credit code) of every row whose code is well formed, for the checks across rows
        self.codes: list[tuple[int, str]] = []

    def check(self, number: int, values: dict, errors: ImportErrors) -> ValidRow | None:
        refused = errors.keys_of(number)
        row = self._check(number, values, errors, refused)
        code = cells.text(values.get("credit_code"), ascii_forms=True).upper()
        if "credit_code" not in refused and code and check_credit_code(code).valid:
            self.codes.append((number, code))
        return row

    def check_across(self, errors: ImportErrors) -> None:
        check_credit_codes(self.codes, errors)

    def recheck(self, rows: list[ValidRow], errors: ImportErrors) -> None:
        """The codes registered between the check and the write."""
        check_credit_codes([(row.number, row.data["credit_code"]) for row in rows], errors)

    def _check(self, number: int, row: dict, errors: ImportErrors, refused: set[str]) -> ValidRow | None:
        """The row's own checks; ``refused`` are its columns the kit has already refused."""
        before = len(errors.items)
        failed: set[str] = set(refused)

        def fail(key: str, message) -> None:
            failed.add(key)
            errors.add(number, key, message)

        text = COLUMNS.texts(row)
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
                data[key] = cells.decimal(row.get(key))
            except BadCell as exc:
                fail(key, exc)
        try:
            employees = cells.whole(row.get("employees"))
        except BadCell as exc:
            fail("employees", exc)
        else:
            if employees is not None:
                data["employees"] = employees
        for key in ("scale", "status"):
            if text[key]:
                try:
                    data[key] = self.refs.choice(key, text[key])
                except BadCell as exc:
                    fail(key, exc)
        tags = self._tags(text["tags"], fail)

        enterprise = Enterprise(source=Source.IMPORT, **{k: v for k, v in data.items() if v is not None})
        try:
            enterprise.full_clean(exclude=sorted(failed | {"township", "industry", "supervision_grade",
                                                           "credit_code"}),
                                  validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.add_validation(number, exc, {name: name for name in COLUMNS.by_key})
        people = self._people(number, row, text, errors, fail, failed)
        licences = self._licences(number, row, text, errors, fail, failed)
        if refused or len(errors.items) > before:
            return None
        return ValidRow(number=number, data=data, people=people, licences=licences, tags=tags)

    def _references(self, text, data, fail, failed) -> None:
        refs = self.refs
        lookups = (
            ("township", lambda v: refs.townships.get(fold(v)),
             _("Unknown township “%(value)s”: use a name or 9-digit code from the Instructions sheet.")),
            ("industry", lambda v: refs.industries.get(fold(v)),
             _("Unknown industry “%(value)s”: use a name or code from the Instructions sheet.")),
            ("supervision_grade", lambda v: refs.grades.get(fold(v)),
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
            tag = self.refs.tags.get(fold(name))
            if tag is None:
                fail("tags", _("Unknown tag “%(value)s”: use a name or code from the Instructions sheet.")
                     % {"value": name})
            elif tag not in tags:
                tags.append(tag)
        return tags

    def _people(self, number, values, text, errors, fail, failed) -> list[dict]:
        people = []
        for role, prefix, fields in PERSON_GROUPS:
            keys = {f: f"{prefix}_{f}" for f in fields}
            if all(text[key] == "" for key in keys.values()):
                continue
            row = {"role": role}
            for name, key in keys.items():
                if name == "certificate_expiry":
                    try:
                        row[name] = cells.date_value(values.get(key))
                    except BadCell as exc:
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

    def _licences(self, number, values, text, errors, fail, failed) -> list[dict]:
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
            except BadCell as exc:
                fail(keys["kind"], exc)
        for name in ("valid_from", "valid_to"):
            if keys[name] in failed:
                continue
            try:
                row[name] = cells.date_value(values.get(keys[name]))
            except BadCell as exc:
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
