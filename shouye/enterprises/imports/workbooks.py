"""The workbooks of the enterprise import: the template with its Instructions sheet, and the file names
of the template and of an uploaded file with its error column."""

from __future__ import annotations

from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shouye.core.importkit import write_template_header
from shouye.core.xlsx import new_workbook, workbook_bytes
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import scope_for

from ..choices import LicenceKind, OperatingStatus, Scale
from ..models import ImportJob, Industry, SupervisionGrade, Tag
from .columns import COLUMNS, DATA_SHEET_TITLE


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
    workbook = new_workbook()
    data = workbook.active
    data.title = str(DATA_SHEET_TITLE)
    guide = workbook.create_sheet(str(_("Instructions")))
    lists = _write_instructions(guide, townships, industries, grades, tags)
    write_template_header(data, COLUMNS, lists)
    data.freeze_panes = "C2"
    return workbook_bytes(workbook)


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
