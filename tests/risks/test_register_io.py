"""The register's Excel: the 风险分级管控清单 (Art. 31 columns, measures by category, title row), the 台账, and
the import on the import kit's pages: a filled template imports as it is; any error refuses the whole file with
row, column, reason on the job's page and in a copy of the file with the error column; a large file runs in the
background."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shouye.audit.models import AuditEvent
from shouye.risks import tasks
from shouye.risks.models import ControlMeasure, HazardSource, RiskAssessment, RiskImportJob, RiskPoint
from shouye.risks.services import register as services

from .register_helpers import make_measure, make_point, make_source, plan_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(cast):
    return cast["users"]["enterprise_user"]


def rows_of(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_the_control_list_has_the_article_31_columns_and_measures_by_category(cast, officer, client):
    point = make_point(officer, cast["inside"])
    source = make_source(officer, point, lec=("10", "6", "15"))
    make_measure(officer, source, category="1", subcategory="1-1", description="压力高限报警")
    make_measure(officer, source, category="1", subcategory="1-4", description="SIS紧急切断")
    make_measure(officer, source, category="4", subcategory="4-1", description="洗眼器")
    services.save_special_plan(actor=officer, risk_point=point, **plan_fields())
    client.force_login(cast["users"]["township_officer"])
    rows = rows_of(client.get(reverse("risks:control-list-export", args=[cast["inside"].pk])))
    assert cast["inside"].name in rows[0][0] and "草稿" in rows[0][0]
    assert rows[1][:10] == ["风险点编号", "风险点名称", "类型", "危险源", "风险等级", "管控重点", "管控机构", "管控层级",
                            "责任部门", "责任人员"]
    assert rows[1][10:] == ["工程技术措施", "维护保养措施", "操作行为措施", "应急措施", "专项管控方案"]
    data = rows[2]
    assert data[3] == "呼吸阀堵塞" and data[4] == "重大风险（红）" and data[7] == "公司级（主要负责人）"
    assert data[10] == "压力高限报警\nSIS紧急切断" and data[11] is None and data[13] == "洗眼器"
    assert "罐区实行门禁登记" in data[14]


def test_the_ledger_has_one_row_per_source_with_its_assessment(cast, officer, client):
    point = make_point(officer, cast["inside"])
    make_source(officer, point, lec=("6", "6", "7"))
    make_source(officer, point, name="未评价的")
    client.force_login(officer)
    rows = rows_of(client.get(reverse("risks:source-ledger-export", args=[cast["inside"].pk])))
    assert len(rows) == 4
    assert rows[2][7:11] == ["LEC 法", "L=6 E=6 C=7", 252, "较大风险（橙）"]
    assert rows[3][10] == "未评价"


def _filled_template(client, rows) -> SimpleUploadedFile:
    workbook = load_workbook(io.BytesIO(client.get(reverse("risks:import-template")).content))
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("风险清单.xlsx", buffer.getvalue())


#: 编号, 名称, 类型, 位置, 部门, 责任人, 管控重点, 管控机构, 辨识方法, 步骤/项目, 危险源, 类别, 事故, 方法, L, E, C, S, M,
#: 工程技术, 维护保养, 操作行为, 应急
GOOD = [
    ["A-1", "液氨储罐", "设备设施", "罐区", "生产部", "张三", "泄漏", "储运车间", "SCL", "安全阀", "安全阀失效", "物",
     "超压爆炸", "LEC", 6, 6, 7, None, None, "压力报警；紧急切断", "安全阀年检", "巡检", "应急喷淋\n防毒面具"],
    ["A-1", "液氨储罐", "设备设施", "罐区", "生产部", "张三", "泄漏", "储运车间", "JHA", "装卸", "软管破裂", "人",
     "中毒", "LS", 2, None, None, 3, None, "", "", "持证作业", ""],
    ["B-1", "动火作业", "作业活动", "", "设备部", "李四", "", "", "JHA", "动火", "未分析可燃气体", "管理",
     "火灾", "MES", None, 6, None, 8, 5, "", "", "", "灭火器"],
]


def test_a_filled_template_imports_as_it_is(cast, officer, client):
    client.force_login(officer)
    response = client.post(reverse("risks:import"), {"file": _filled_template(client, GOOD)})
    job = RiskImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("risks:import-job", args=[job.pk])
    assert (job.status, job.created_count) == (RiskImportJob.Status.SUCCEEDED, 3)
    a1 = RiskPoint.objects.get(code="A-1")
    assert a1.enterprise == cast["inside"]
    assert a1.hazard_sources.count() == 2 and a1.grade == "high"  # D = 252
    assert list(a1.hazard_sources.values_list("order", flat=True)) == [1, 2]
    assert RiskPoint.objects.get(code="B-1").grade == "major"  # R = 5×6×8 = 240
    assert ControlMeasure.objects.filter(hazard_source__risk_point=a1).count() == 7
    assert set(ControlMeasure.objects.values_list("subcategory", flat=True)) <= {"1-5", "2-3", "3-4", "4-5"}
    assert RiskAssessment.objects.filter(current=True).count() == 3
    event = AuditEvent.objects.get(verb="risks.import")
    assert (event.changes["points"], event.changes["sources"], event.changes["measures"]) == (2, 3, 8)
    page = client.get(reverse("risks:import-job", args=[job.pk])).content.decode()
    assert "已导入：3 个危险源" in page


def test_any_error_refuses_the_whole_file_with_row_column_and_reason(cast, officer, client):
    make_point(officer, cast["inside"], code="B-1")
    bad = [GOOD[0], GOOD[1][:14] + [9] + GOOD[1][15:], GOOD[2]]
    client.force_login(officer)
    client.post(reverse("risks:import"), {"file": _filled_template(client, bad)})
    job = RiskImportJob.objects.get()
    assert job.status == RiskImportJob.Status.FAILED
    found = {(error["row"], error["column"]) for error in job.errors}
    assert (3, "L") in found  # row 3: L = 9 is not on the matrix's scale
    assert (4, "风险点编号") in found
    page = client.get(reverse("risks:import-job", args=[job.pk])).content.decode()
    assert "本企业已有编号为B-1的风险点" in page and 'data-testid="import-error-file"' in page
    errors = load_workbook(io.BytesIO(b"".join(client.get(reverse("risks:import-error-file", args=[job.pk]))
                                               .streaming_content)))
    assert any("B-1" in str(cell) for row in errors.worksheets[0].iter_rows(values_only=True) for cell in row)
    assert RiskPoint.objects.count() == 1 and not HazardSource.objects.exists()
    assert not AuditEvent.objects.filter(verb="risks.import").exists()


def test_a_large_file_runs_in_the_background_with_progress_and_all_or_nothing(cast, officer, client, settings,
                                                                              monkeypatch,
                                                                              django_capture_on_commit_callbacks):
    """Over SHOUYE_IMPORT_SYNC_MAX_ROWS rows the job is queued; a point spans the batches; the last row's error
    refuses every row before it."""
    settings.SHOUYE_IMPORT_SYNC_MAX_ROWS = 2
    queued = []
    monkeypatch.setattr(tasks.run_import, "delay", lambda *args: queued.append(args))
    many = [GOOD[0]] + [GOOD[0][:10] + [f"安全阀失效{n}"] + GOOD[0][11:] for n in range(60)]
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("risks:import"), {"file": _filled_template(client, many + [GOOD[2][:14] + [None] * 9])})
    job = RiskImportJob.objects.get()
    assert job.status == RiskImportJob.Status.PENDING and queued == [(job.pk, "zh-hans")]
    tasks.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == RiskImportJob.Status.FAILED and not RiskPoint.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("risks:import"), {"file": _filled_template(client, many)})
    job = RiskImportJob.objects.latest("pk")
    tasks.run_import(job.pk)
    tasks.run_import(job.pk)  # delivered twice: runs once
    job.refresh_from_db()
    assert (job.status, job.created_count) == (RiskImportJob.Status.SUCCEEDED, 61)
    point = RiskPoint.objects.get(code="A-1")
    assert point.hazard_sources.count() == 61 and point.grade == "high"
    assert sorted(point.hazard_sources.values_list("order", flat=True)) == list(range(1, 62))
    progress = client.get(reverse("risks:import-job-progress-json", args=[job.pk])).json()
    assert progress["status"] == "succeeded"


def test_only_an_enterprise_user_imports(cast, client):
    client.force_login(cast["users"]["bureau_staff"])
    assert client.get(reverse("risks:import")).status_code == 403
    assert not RiskImportJob.objects.exists()
