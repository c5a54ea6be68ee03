"""The personnel ledger's Excel import: a filled template imports as it is; any error imports nothing and names
its row, column and reason."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from shouye.core.identifiers import id_number
from shouye.workareas import imports
from shouye.workareas.models import Worker, WorkerCertificate, WorkerImportJob
from tests.core.test_importkit import workbook_bytes


def _upload(owner, rows):
    header = [str(column.title) for column in imports.COLUMNS]
    content = workbook_bytes([header, *rows], title="人员台账")
    return imports.start_import(actor=owner, upload=SimpleUploadedFile("ledger.xlsx", content), language="zh-hans")


def _row(seq, areas="氯化反应区", **values):
    row = {"name": "王五", "id_number": id_number(seq), "post": "操作工", "phone": "13900001111", "work_areas": areas,
           "kind": "特种作业操作证", "operation_category": "氯化工艺作业", "number": f"T{seq}", "issued_on": "2024-02-01",
           "last_review_on": "", "continuous_years": "2", "authority": "济南市应急管理局", **values}
    return [row[column.key] for column in imports.COLUMNS]


def test_the_template_round_trip(cast, owner, area):
    template = load_workbook(io.BytesIO(imports.template_workbook(owner)))
    assert "氯化反应区" in [row[0] for row in template.worksheets[1].iter_rows(values_only=True)]
    job = _upload(owner, [_row(501), _row(502, areas="")])
    assert job.status == WorkerImportJob.Status.SUCCEEDED, job.errors
    assert Worker.objects.count() == 2 and WorkerCertificate.objects.count() == 2
    assert list(area.workers.values_list("name", flat=True)) == ["王五"]


def test_any_error_imports_nothing(cast, owner, area):
    job = _upload(owner, [_row(601), _row(601), _row(602, areas="不存在的场所"), _row(603), _row(604, issued_on="昨天"),
                          _row(605, post="焊工")])
    assert job.status == WorkerImportJob.Status.FAILED
    assert not Worker.objects.exists()
    found = {(error["row"], error["column"]) for error in job.errors}
    assert (3, "身份证号") in found          # repeated in the file
    assert (4, "高危作业场所") in found      # not an area of the enterprise
    assert (5, "高危作业场所") in found      # the third person in an area of two
    assert (6, "发证日期") in found
    assert (7, "高危作业场所") in found      # a post the area does not admit


def test_only_an_enterprise_user_imports(cast, area):
    with pytest.raises(PermissionDenied):
        _upload(cast["users"]["bureau_staff"], [_row(701)])
    assert not Worker.objects.exists()
