"""Excel import of a stock list on the core import kit (``shouye.core.importkit``, which describes how every
import behaves): all-or-nothing, every error as (row, column, reason), large files in the background.

One row is one item in one warehouse the importer manages: the quantity received as one batch with its expiry
(0: none received), and the minimum stock when given. Each row goes through the checks ``services.stock_in``
and ``services.set_minimum`` make (the warehouse in scope and in use, the item in the catalogue, the quantity,
the expiry, the minimum); across rows, one warehouse and item given twice is refused (one row per line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.audit import services as audit
from shouye.core.exceptions import InvalidTransition
from shouye.core.importkit import (
    XLSX_CONTENT_TYPE,
    BadCell,
    Column,
    Columns,
    ImportErrors,
    ImportKind,
    RowChecker,
    cells,
    in_background,
    write_template_header,
)
from shouye.core.importkit.columns import fold
from shouye.core.xlsx import new_workbook, workbook_bytes

from . import services
from .choices import WarehouseState
from .models import Item, StockImportJob, Warehouse
from .permissions import MANAGE_WAREHOUSE
from .workflow import WAREHOUSE_WORKFLOW

#: The largest quantity a cell may hold (the stock line's 12 digits with 2 decimals).
MAX_QUANTITY = Decimal("9999999999.99")
COLUMNS = Columns([
    Column("warehouse", gettext_lazy("Warehouse"), True,
           gettext_lazy("The name of a warehouse in use that you manage, as on its page."), width=28),
    Column("item", gettext_lazy("Item"), True, gettext_lazy("The name of an item of the catalogue."), width=20),
    Column("quantity", gettext_lazy("Quantity"), True,
           gettext_lazy("The quantity received, as one batch, in the item's unit; 0 when only the minimum is set."),
           ascii_forms=True),
    Column("expires_on", gettext_lazy("Expiry"), hint=gettext_lazy("The batch's expiry, as YYYY-MM-DD; empty when "
                                                                   "it does not expire.")),
    Column("minimum", gettext_lazy("Minimum stock"),
           hint=gettext_lazy("The line's minimum stock; empty leaves it as it is."), ascii_forms=True),
])
DATA_SHEET_TITLE = gettext_lazy("Stock list")
NO_ROWS = gettext_lazy("“%(name)s” has no rows: fill in the first sheet from row 2 on, one item of one warehouse "
                       "per row.")


@dataclass
class StockRow:
    number: int
    warehouse: Warehouse
    item: Item
    quantity: Decimal
    expires_on: date | None
    minimum: Decimal | None


def _amount(values, key, number, errors, *, required: bool) -> Decimal | None:
    try:
        value = cells.decimal(values.get(key))
    except BadCell as exc:
        errors.add(number, key, exc)
        return None
    if value is None:
        if required:
            errors.add(number, key, _("This cell is required."))
        return None
    if value < 0 or value > MAX_QUANTITY:
        errors.add(number, key, _("Give a number from 0 to %(max)s.") % {"max": f"{MAX_QUANTITY:f}"})
        return None
    if value != value.quantize(services.CENT):
        errors.add(number, key, _("Give at most two decimal places."))
        return None
    return value.quantize(services.CENT)


class StockRowChecker(RowChecker):
    def __init__(self, actor):
        self.actor = actor
        self.warehouses: dict[str, list[Warehouse]] = {}
        for warehouse in Warehouse.objects.visible_to(actor).order_by("pk"):
            self.warehouses.setdefault(fold(warehouse.name), []).append(warehouse)
        self.items = {fold(item.name): item for item in Item.objects.all()}
        self.rows: list[StockRow] = []

    def _warehouse(self, number, name, errors) -> Warehouse | None:
        found = self.warehouses.get(fold(name), [])
        if not found:
            errors.add(number, "warehouse", _("“%(name)s” is not a warehouse you see: check the name on the "
                                              "warehouses page.") % {"name": name})
            return None
        if len(found) > 1:
            errors.add(number, "warehouse", _("Several warehouses you see are named “%(name)s”: rename one of "
                                              "them so that each name is unique.") % {"name": name})
            return None
        warehouse = found[0]
        try:
            WAREHOUSE_WORKFLOW.ensure_may(self.actor, warehouse, "stock-in")
        except PermissionDenied:
            errors.add(number, "warehouse", _("You may not receive stock into “%(name)s”.") % {"name": name})
            return None
        except InvalidTransition:
            errors.add(number, "warehouse", _("“%(name)s” is closed: stock cannot be received there.")
                       % {"name": name})
            return None
        return warehouse

    def check(self, number: int, values: dict, errors: ImportErrors) -> StockRow | None:
        before = len(errors.items)
        text = COLUMNS.texts(values)
        warehouse = item = None
        if not text["warehouse"]:
            errors.add(number, "warehouse", _("This cell is required."))
        else:
            warehouse = self._warehouse(number, text["warehouse"], errors)
        if not text["item"]:
            errors.add(number, "item", _("This cell is required."))
        else:
            item = self.items.get(fold(text["item"]))
            if item is None:
                errors.add(number, "item", _("“%(name)s” is not in the catalogue of materials: add it there first "
                                             "or correct the name.") % {"name": text["item"]})
        quantity = _amount(values, "quantity", number, errors, required=True)
        minimum = _amount(values, "minimum", number, errors, required=False)
        try:
            expires_on = cells.date_value(values.get("expires_on"))
        except BadCell as exc:
            errors.add(number, "expires_on", exc)
            expires_on = None
        if quantity == 0 and expires_on is not None:
            errors.add(number, "expires_on", _("An expiry needs a quantity received: give the quantity or empty "
                                               "the expiry."))
        if quantity == 0 and minimum is None and "minimum" not in errors.keys_of(number):
            errors.add(number, "quantity", _("Nothing to import: give a quantity above 0 or a minimum stock."))
        if len(errors.items) > before:
            return None
        row = StockRow(number=number, warehouse=warehouse, item=item, quantity=quantity, expires_on=expires_on,
                       minimum=minimum)
        self.rows.append(row)
        return row

    def check_across(self, errors: ImportErrors) -> None:
        seen: dict[tuple[int, int], int] = {}
        for row in self.rows:
            first = seen.setdefault((row.warehouse.pk, row.item.pk), row.number)
            if first != row.number:
                errors.add(row.number, "item", _("This warehouse and item are also on row %(row)d: one row per "
                                                 "item of a warehouse.") % {"row": first})


def _write_batch(actor, rows: list[StockRow]) -> None:
    services.import_stock(actor=actor, rows=rows)


def _record_import(job: StockImportJob, rows: list[StockRow]) -> None:
    audit.record(actor=job.created_by, verb="resources.stock-import", target=job,
                 changes={"file": job.original_name, "rows": len(rows),
                          "received": str(sum((row.quantity for row in rows), Decimal(0)))})


STOCK_IMPORT = ImportKind(
    model=StockImportJob, columns=COLUMNS, sheet_title=DATA_SHEET_TITLE, no_rows_message=NO_ROWS,
    permissions=(MANAGE_WAREHOUSE,), checker=StockRowChecker, write_batch=_write_batch,
    enqueue=in_background("shouye.resources.tasks.run_import"), on_success=_record_import,
)
jobs_of, start_import = STOCK_IMPORT.jobs_of, STOCK_IMPORT.start


def template_workbook(actor) -> bytes:
    """The template: the data sheet's header and an Instructions sheet with the warehouses the user may stock
    and the catalogue. No example row, so a filled template imports as it is."""
    workbook = new_workbook()
    data = workbook.active
    data.title = str(DATA_SHEET_TITLE)
    guide = workbook.create_sheet(str(_("Instructions")))
    guide.append([str(_("Stock list import template"))])
    guide.append([str(_("Fill in one item of one warehouse per row on the first sheet, from row 2 on. Columns "
                        "marked * are required. The import is all-or-nothing."))])
    guide.append([])
    guide.append([str(_("Columns")), str(_("Required")), str(_("How to fill it in"))])
    for column in COLUMNS:
        guide.append([str(column.title), str(_("yes")) if column.required else "", str(column.hint)])
    guide.append([])
    guide.append([str(_("Warehouses"))])
    first = guide.max_row + 1
    names = (Warehouse.objects.visible_to(actor).filter(state=WarehouseState.OPEN).order_by("name")
             .values_list("name", flat=True))
    for name in names:
        guide.append([name])
    lists = {"warehouse": f"'{guide.title}'!$A${first}:$A${guide.max_row}"} if guide.max_row >= first else {}
    guide.append([])
    guide.append([str(_("Item")), str(_("Unit"))])
    first_item = guide.max_row + 1
    for name, unit in Item.objects.order_by("category", "name").values_list("name", "unit"):
        guide.append([name, unit])
    if guide.max_row >= first_item:
        lists["item"] = f"'{guide.title}'!$A${first_item}:$A${guide.max_row}"
    write_template_header(data, COLUMNS, lists)
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["C"].width = 60
    return workbook_bytes(workbook)


def template_filename() -> str:
    return f"{_('Stock list import template')}.xlsx"


def error_filename(job: StockImportJob) -> str:
    return f"{_('%(name)s with errors') % {'name': PurePath(job.original_name).stem}}.xlsx"


__all__ = ["COLUMNS", "STOCK_IMPORT", "XLSX_CONTENT_TYPE", "error_filename", "jobs_of", "start_import",
           "template_filename", "template_workbook"]
