"""The stock list's Excel import (issue 14): a filled template imports as it is (batches with their expiry, the
minimum stock, each row audited); any error imports nothing and names its row, column and reason in Chinese."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from shouye.audit.models import AuditEvent
from shouye.resources import imports, services
from shouye.resources.models import StockBatch, StockImportJob, StockLine, StockMovement
from tests.core.test_importkit import workbook_bytes
from tests.resources.test_api_pages import page_as

pytestmark = pytest.mark.django_db


def _upload(actor, rows):
    header = [str(column.title) for column in imports.COLUMNS]
    content = workbook_bytes([header, *rows], title="库存清单")
    return imports.start_import(actor=actor, upload=SimpleUploadedFile("stock.xlsx", content), language="zh-hans")


def _row(warehouse="区储备库", item="沙袋", quantity="50", expires_on="2027-05-01", minimum=""):
    return [warehouse, item, quantity, expires_on, minimum]


@pytest.fixture
def tents(cast):
    return services.create_item(actor=cast["users"]["bureau_admin"], name="帐篷", category="生活保障", unit="顶")


def _snapshot():
    return (list(StockLine.objects.order_by("pk").values_list("pk", "quantity", "minimum", "expires_on")),
            StockBatch.objects.count(), StockMovement.objects.count())


def test_the_template_round_trip(staff, warehouse, item, tents):
    template = load_workbook(io.BytesIO(imports.template_workbook(staff)))
    listed = [row[0] for row in template.worksheets[1].iter_rows(values_only=True)]
    assert "区储备库" in listed and "帐篷" in listed
    assert [cell.value for cell in template.worksheets[0][1]][:3] == ["仓库*", "物资*", "数量*"]
    job = _upload(staff, [_row(), _row(item="帐篷", quantity="１２", expires_on="2026/12/31", minimum="20")])
    assert job.status == StockImportJob.Status.SUCCEEDED, job.errors
    assert job.created_count == 2
    sandbags = StockLine.objects.get(warehouse=warehouse, item=item)
    assert sandbags.quantity == Decimal(150) and sandbags.expires_on == date(2027, 5, 1)
    tent_line = StockLine.objects.get(warehouse=warehouse, item=tents)
    assert (tent_line.quantity, tent_line.minimum, tent_line.expires_on) == (Decimal(12), Decimal(20),
                                                                            date(2026, 12, 31))
    assert AuditEvent.objects.filter(verb="resources.stock-in", changes__import=True).count() == 2
    assert AuditEvent.objects.filter(verb="resources.stock-import", target_id=str(job.pk)).exists()


def test_a_row_may_set_only_the_minimum(staff, warehouse, item):
    job = _upload(staff, [["区储备库", "沙袋", 0, None, 80]])
    assert job.status == StockImportJob.Status.SUCCEEDED, job.errors
    line = StockLine.objects.get(warehouse=warehouse, item=item)
    assert (line.quantity, line.minimum) == (Decimal(100), Decimal(80))
    assert AuditEvent.objects.filter(verb="resources.set-minimum").exists()


def test_bad_cells_import_nothing_and_say_why(cast, staff, warehouse, item):
    closed = services.create_warehouse(actor=staff, name="停用库", latitude=36.5, longitude=116.7)
    services.close_warehouse(actor=staff, warehouse=closed, note="搬迁")
    before = _snapshot()
    job = _upload(staff, [_row(), _row(), _row(warehouse="不存在的库"), _row(item="不存在的物资"),
                          _row(quantity="很多"), _row(quantity="-3"), _row(expires_on="明年"), _row(warehouse="停用库"),
                          _row(quantity="0", expires_on="2027-01-01"), _row(quantity="0", expires_on=""),
                          _row(quantity="1.234")])
    assert job.status == StockImportJob.Status.FAILED
    assert _snapshot() == before
    found = {(error["row"], error["column"]) for error in job.errors}
    assert {(3, "物资"), (4, "仓库"), (5, "物资"), (6, "数量"), (7, "数量"), (8, "有效期至"), (9, "仓库"),
            (10, "有效期至"), (11, "数量"), (12, "数量")} <= found
    assert (2, "仓库") not in found and (2, "物资") not in found
    messages = " ".join(error["message"] for error in job.errors)
    assert "不是您可见的仓库" in messages and "已停用" in messages and "物资目录中没有" in messages
    assert job.error_file


def test_a_refused_file_changes_nothing(cast, staff, warehouse):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        _upload(cast["users"]["leader"], [_row()])
    job = imports.start_import(actor=staff, upload=SimpleUploadedFile("stock.xlsx", b"not a workbook"),
                               language="zh-hans")
    assert job.status == StockImportJob.Status.FAILED and job.errors
    assert _snapshot() == before


def test_scope_decides_which_warehouses_a_row_may_name(cast, staff, warehouse):
    """The township officer sees no district warehouse: a row naming one is refused like an unknown name."""
    job = _upload(cast["users"]["township_officer"], [_row()])
    assert job.status == StockImportJob.Status.FAILED
    assert {(error["row"], error["column"]) for error in job.errors} == {(2, "仓库")}


def test_the_pages(staff, warehouse):
    client = page_as(staff)
    assert client.get("/resources/warehouses/import/").status_code == 200
    template = client.get("/resources/warehouses/import/template/")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    content = workbook_bytes([[str(c.title) for c in imports.COLUMNS], _row()], title="库存清单")
    answer = client.post("/resources/warehouses/import/", {"file": SimpleUploadedFile("stock.xlsx", content)})
    job = StockImportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/resources/warehouses/import/{job.pk}/")
    assert job.status == StockImportJob.Status.SUCCEEDED
