"""The ledger's Excel export (issue 3, "The ledger and statistics"): exactly the filtered rows, in the fixed
columns of the official layout; streamed from a temporary file; audited; and, past
SHOUYE_LEDGER_SYNC_MAX_ROWS rows, written in the background with a progress page and a downloadable file."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from shouye.audit.models import AuditEvent
from shouye.hazards import exports
from shouye.hazards.choices import HazardLevel, HazardSource, HazardState
from shouye.hazards.models import Hazard, LedgerExport
from tests.conftest import api_as
from tests.factories import UserFactory

from .conftest import make_hazard

pytestmark = pytest.mark.django_db

S = HazardState
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADERS = ["序号", "企业名称", "统一社会信用代码", "所属街镇", "行业", "隐患描述", "隐患级别", "隐患来源", "发现日期",
           "整改措施", "整改责任人", "整改期限", "整改资金(元)", "状态", "复查日期", "复查人", "是否逾期"]


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=True):
        yield


def signed_in(client, user):
    client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def sheet_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == ["隐患台账"]
    return [tuple(row) for row in workbook["隐患台账"].iter_rows(values_only=True)]


def as_dicts(rows: list[tuple]) -> list[dict]:
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


@pytest.fixture
def ledger(cast):
    inside, building, outside = cast["inside"], cast["building"], cast["outside"]
    reviewer = UserFactory(username="reviewer", display_name="赵复查")
    return {
        "overdue": make_hazard(inside, state=S.RECTIFYING, deadline=date(2026, 6, 1), description="消防通道堵塞",
                               found_at=datetime(2026, 5, 20, 9, tzinfo=SHANGHAI), funds=Decimal("1500.50"),
                               source=HazardSource.SELF_INSPECTION),
        "closed": make_hazard(building, state=S.CLOSED, description="脚手架未设置安全网",
                              found_at=datetime(2026, 3, 2, 23, 30, tzinfo=SHANGHAI), deadline=date(2026, 3, 20),
                              reinspected_at=datetime(2026, 3, 18, 15, tzinfo=SHANGHAI), reinspected_by=reviewer),
        "major": make_hazard(inside, level=HazardLevel.MAJOR, description="储罐区未设置紧急切断装置",
                             found_at=datetime(2026, 6, 10, 8, tzinfo=SHANGHAI)),
        "outside": make_hazard(outside, description="配电箱未上锁", found_at=datetime(2025, 12, 1, tzinfo=SHANGHAI)),
    }


def test_the_export_has_the_fixed_columns_and_exactly_the_filtered_rows(client, cast, ledger):
    response = signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/export/?township=370113107")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    rows = sheet_rows(body(response))
    assert list(rows[0]) == HEADERS
    data = as_dicts(rows)
    assert [row["隐患描述"] for row in data] == ["储罐区未设置紧急切断装置", "消防通道堵塞"]  # newest found first
    assert [row["序号"] for row in data] == [1, 2]
    overdue = data[1]
    inside = cast["inside"]
    assert (overdue["企业名称"], overdue["统一社会信用代码"], overdue["所属街镇"], overdue["行业"]) == \
        (inside.name, inside.credit_code, "马山镇", inside.industry.name)
    assert overdue["发现日期"].date() == date(2026, 5, 20)
    assert overdue["整改期限"].date() == date(2026, 6, 1)
    assert overdue["整改资金(元)"] == 1500.5
    assert (overdue["整改措施"], overdue["整改责任人"]) == ("加装紧急切断", "王五")
    assert overdue["是否逾期"] != data[0]["是否逾期"]


def test_each_row_reads_as_on_the_page(client, cast, ledger):
    from django.utils.translation import override

    data = as_dicts(sheet_rows(body(signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/export/"))))
    assert len(data) == 4
    closed = next(row for row in data if row["隐患描述"] == "脚手架未设置安全网")
    with override("zh-hans"):
        labels = {"state": str(S.CLOSED.label), "level": str(HazardLevel.ORDINARY.label),
                  "source": str(HazardSource.INSPECTION.label), "major": str(HazardLevel.MAJOR.label),
                  "self": str(HazardSource.SELF_INSPECTION.label)}
    assert (closed["状态"], closed["隐患级别"], closed["隐患来源"]) == (labels["state"], labels["level"], labels["source"])
    assert closed["发现日期"].date() == date(2026, 3, 2)  # 23:30 in Shanghai is still 2 March
    assert closed["复查日期"].date() == date(2026, 3, 18) and closed["复查人"] == "赵复查"
    major = next(row for row in data if row["隐患描述"] == "储罐区未设置紧急切断装置")
    assert major["隐患级别"] == labels["major"] and major["整改期限"] is None and major["复查人"] is None
    overdue = next(row for row in data if row["隐患描述"] == "消防通道堵塞")
    assert overdue["隐患来源"] == labels["self"]
    assert {row["是否逾期"] for row in data if row is not overdue} == {major["是否逾期"]}


@pytest.mark.parametrize(("query", "expected"), [
    ("level=major", {"储罐区未设置紧急切断装置"}),
    ("overdue=true", {"消防通道堵塞"}),
    ("state=closed&industry=construction", {"脚手架未设置安全网"}),
    ("found_from=2026-01-01&found_to=2026-05-31", {"消防通道堵塞", "脚手架未设置安全网"}),
    ("source=self_inspection", {"消防通道堵塞"}),
])
def test_the_export_follows_every_filter_of_the_page(client, cast, ledger, query, expected):
    client = signed_in(client, cast["users"]["bureau_staff"])
    exported = {row["隐患描述"] for row in as_dicts(sheet_rows(body(client.get(f"/hazards/export/?{query}"))))}
    page = client.get(f"/hazards/?{query}").content.decode()
    shown = {hazard.description for hazard in ledger.values() if hazard.description in page}
    assert exported == expected == shown


def test_the_export_follows_the_pages_sort(client, cast, ledger):
    data = as_dicts(sheet_rows(body(signed_in(client, cast["users"]["bureau_staff"]).get(
        "/hazards/export/?sort=found"))))
    assert [row["隐患描述"] for row in data] == ["配电箱未上锁", "脚手架未设置安全网", "消防通道堵塞", "储罐区未设置紧急切断装置"]


def test_the_export_stays_within_the_scope(client, cast, ledger):
    data = as_dicts(sheet_rows(body(signed_in(client, cast["users"]["township_officer"]).get("/hazards/export/"))))
    assert {row["企业名称"] for row in data} == {cast["inside"].name}


def test_the_export_is_audited(client, cast, ledger):
    signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/export/?level=major")
    event = AuditEvent.objects.get(verb="hazard.export")
    assert event.actor == cast["users"]["bureau_staff"]
    assert event.changes == {"rows": 1, "filters": {"level": "major"}}


def test_the_export_needs_the_export_permission(client, cast, ledger):
    assert signed_in(client, cast["users"]["enterprise_user"]).get("/hazards/export/").status_code == 403
    assert not AuditEvent.objects.filter(verb="hazard.export").exists()


def test_invalid_filters_are_not_exported(client, cast, ledger):
    response = signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/export/?found_from=someday")
    assert response.status_code == 302 and response["Location"].startswith("/hazards/?")
    assert not AuditEvent.objects.filter(verb="hazard.export").exists()


def test_the_api_export_writes_the_same_workbook(cast, ledger):
    response = api_as(cast["users"]["bureau_staff"]).get("/api/v1/hazards/export/?level=major")
    assert response.status_code == 200
    rows = sheet_rows(body(response))
    assert list(rows[0]) == HEADERS and [row[5] for row in rows[1:]] == ["储罐区未设置紧急切断装置"]


def test_the_export_reads_plain_values_in_chunks_not_model_instances(cast, monkeypatch):
    """Streaming (issue 3: a 100,000-row export within 300 MB): rows come from ``values()`` through an
    iterator, never as Hazard instances, and the workbook is a file on disk."""
    Hazard.objects.bulk_create([
        Hazard(enterprise=cast["inside"], township_id=cast["inside"].township_id,
               industry_id=cast["inside"].industry_id, description=f"隐患{n}", source=HazardSource.INSPECTION,
               found_at=timezone.now()) for n in range(250)])
    built = []
    original = Hazard.__init__

    def counting_init(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Hazard, "__init__", counting_init)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    output, filename = exports.export_ledger(actor=cast["users"]["bureau_staff"],
                                             queryset=Hazard.objects.order_by("id"))
    with output:
        assert not built
        assert filename.endswith(".xlsx") and output.fileno() >= 0
        rows = sheet_rows(output.read())
    assert len(rows) == 251 and rows[-1][0] == 250


# --- the background export -------------------------------------------------------------------------------------


def test_a_large_export_runs_in_the_background_and_ends_with_a_file(client, cast, ledger, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 1
    client = signed_in(client, cast["users"]["bureau_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/hazards/export/?township=370113107&sort=-found")
    job = LedgerExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hazards/exports/{job.pk}/"
    assert job.status == LedgerExport.Status.SUCCEEDED and (job.processed_rows, job.total_rows) == (2, 2)
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in page and f"/hazards/exports/{job.pk}/file/" in page
    assert 'hx-trigger="every' not in page
    download = client.get(f"/hazards/exports/{job.pk}/file/")
    assert download.status_code == 200 and download.streaming
    data = as_dicts(sheet_rows(body(download)))
    assert [row["隐患描述"] for row in data] == ["储罐区未设置紧急切断装置", "消防通道堵塞"]
    assert AuditEvent.objects.filter(verb="hazard.export").count() == 1


def test_a_waiting_export_shows_a_progress_bar_that_polls(client, cast, ledger, settings):
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 2
    client = signed_in(client, cast["users"]["bureau_staff"])
    response = client.get("/hazards/export/")  # the task waits for the commit that never comes in this test
    job = LedgerExport.objects.get()
    assert job.status == LedgerExport.Status.PENDING and job.total_rows == 4
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and 'hx-trigger="every 1s"' in page
    assert f'hx-get="/hazards/exports/{job.pk}/progress/"' in page
    LedgerExport.objects.filter(pk=job.pk).update(status=LedgerExport.Status.RUNNING, processed_rows=1)
    partial = client.get(f"/hazards/exports/{job.pk}/progress/").content.decode()
    assert 'aria-valuenow="25"' in partial and "<html" not in partial
    assert client.get(f"/hazards/exports/{job.pk}/file/").status_code == 404


def test_an_export_job_belongs_to_the_user_who_started_it(client, cast, ledger, settings,
                                                           django_capture_on_commit_callbacks):
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/export/")
    job = LedgerExport.objects.get()
    other = signed_in(client, cast["users"]["bureau_admin"])
    for path in (f"/hazards/exports/{job.pk}/", f"/hazards/exports/{job.pk}/progress/",
                 f"/hazards/exports/{job.pk}/file/"):
        assert other.get(path).status_code == 404


def test_a_job_runs_once(cast, ledger):
    job = LedgerExport.objects.create(created_by=cast["users"]["bureau_staff"], query="level=major", total_rows=1)
    exports.run_ledger_export_task(job.pk)
    exports.run_ledger_export_task(job.pk)
    job.refresh_from_db()
    assert job.status == LedgerExport.Status.SUCCEEDED and job.processed_rows == 1
    assert AuditEvent.objects.filter(verb="hazard.export").count() == 1


def test_a_job_whose_filters_fail_is_marked_failed(client, cast):
    job = LedgerExport.objects.create(created_by=cast["users"]["bureau_staff"], query="found_from=someday",
                                      total_rows=1)
    exports.run_ledger_export_task(job.pk)
    job.refresh_from_db()
    assert job.status == LedgerExport.Status.FAILED and not job.file
    page = signed_in(client, cast["users"]["bureau_staff"]).get(f"/hazards/exports/{job.pk}/").content.decode()
    assert 'data-status="failed"' in page
    assert not AuditEvent.objects.filter(verb="hazard.export").exists()


def test_the_threshold_defaults_to_5000(settings):
    assert exports.sync_max_rows() == 5000
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 10
    assert exports.sync_max_rows() == 10
