"""The monitoring points' Excel import (issue 13): a filled template imports as it is, through the same checks as
the point form (a gas detector left without setpoints takes GB/T 50493-2019 5.5.2's); any error imports nothing
and names its row, column and reason in Chinese; an enterprise imports onto its own gateways only."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shouye.audit.models import AuditEvent
from shouye.major_hazards.models import MajorHazardInstallation
from shouye.monitoring import config_imports
from shouye.monitoring.models import MonitoringPoint, PointImportJob, PointStatus
from tests.core.test_importkit import workbook_bytes

from . import kit

pytestmark = pytest.mark.django_db

SHEET = "监测点"


def _content(rows) -> bytes:
    header = [f"{column.title}*" if column.required else str(column.title) for column in config_imports.COLUMNS]
    return workbook_bytes([header, *rows], title=SHEET)


def _upload(owner, rows):
    return config_imports.start_import(actor=owner, upload=SimpleUploadedFile("points.xlsx", _content(rows)),
                                       language="zh-hans")


def _row(code, gateway="gw-in", **values):
    row = {"gateway": gateway, "code": code, "name": f"测点{code}", "kind": "压力", "unit": "MPa", "range_min": "0",
           "range_max": "2.5", "expected_interval_seconds": "5", "high_high": "2.0", "high": "1.6", "low": "",
           "low_low": "", "dead_band": "0.05", "delay_seconds": "3", "installation": "", "oel_mg_m3": "",
           "idlh_mg_m3": "", **values}
    return [row[column.key] for column in config_imports.COLUMNS]


@pytest.fixture
def tank(cast):
    inside = cast["inside"]
    return MajorHazardInstallation.objects.create(enterprise=inside, township_id=inside.township_id,
                                                  industry_id=inside.industry_id, name="1号储罐区", kind="tank_farm")


@pytest.fixture
def gateways(cast):
    return kit.gateway(cast["inside"], code="gw-in"), kit.gateway(cast["outside"], code="gw-out")


def test_the_template_round_trip(cast, gateways, tank):
    owner = cast["users"]["enterprise_user"]
    template = load_workbook(io.BytesIO(config_imports.template_workbook(owner)))
    assert template.worksheets[0].title == SHEET
    listed = [row[0] for row in template.worksheets[1].iter_rows(values_only=True)]
    assert "gw-in" in listed and "gw-out" not in listed  # the importer's own gateways only
    job = _upload(owner, [
        _row("PT-1", installation="1号储罐区"),
        _row("GD-1", kind="可燃气体", unit="", range_max="100", high_high="", high="", dead_band="", delay_seconds=""),
        _row("TT-1", kind="temperature", unit="℃", range_min="-20", range_max="150", high_high="", high="80",
             low="-10", expected_interval_seconds=""),
    ])
    assert job.status == PointImportJob.Status.SUCCEEDED, job.errors
    points = {point.code: point for point in MonitoringPoint.objects.all()}
    assert set(points) == {"PT-1", "GD-1", "TT-1"}
    pressure, gas, temperature = points["PT-1"], points["GD-1"], points["TT-1"]
    assert (pressure.installation, pressure.high, pressure.high_high, pressure.dead_band, pressure.delay_seconds,
            pressure.expected_interval_seconds) == (tank, 1.6, 2.0, 0.05, 3, 5)
    assert (gas.unit, gas.high, gas.high_high, gas.kind) == ("%LEL", 25, 50, "combustible")  # GB/T 50493 5.5.2
    assert (temperature.low, temperature.expected_interval_seconds) == (-10, 10)
    assert {point.enterprise_id for point in points.values()} == {cast["inside"].pk}
    assert PointStatus.objects.count() == 3
    created = AuditEvent.objects.filter(verb="monitoring.point.create")
    assert created.count() == 3
    assert created.get(target_id=str(gas.pk)).note == "GB/T 50493-2019 5.5.2"
    assert AuditEvent.objects.filter(verb="monitoring.point.import", target_id=str(job.pk)).exists()


def test_any_error_imports_nothing_and_names_row_column_and_reason(cast, gateways):
    kit.point(gateways[0], code="PT-OLD")
    job = _upload(cast["users"]["enterprise_user"], [
        _row("PT-1"),
        _row("PT-2", gateway="gw-out"),                 # another enterprise's gateway
        _row("PT-3", kind="湿度"),                       # not a kind
        _row("PT-4", high="2.2"),                       # H above HH
        _row("PT-1"),                                   # repeated in the file
        _row("PT-OLD"),                                 # registered already
        _row("PT-7", range_min="零"),                   # not a number
        _row("PT-8", kind="有毒有害气体", unit="", high="", high_high="", range_max="100"),  # no OEL for the standard
        _row("PT-9", installation="不存在的罐区"),
        _row("", name=""),
    ])
    assert job.status == PointImportJob.Status.FAILED
    assert not MonitoringPoint.objects.exclude(code="PT-OLD").exists()
    found = {(error["row"], error["column"]): error["message"] for error in job.errors}
    assert "不是您的网关" in found[(3, "网关编码")]
    assert "不在可选值之列" in found[(4, "种类")]
    assert "高高报设定值必须高于高报设定值" in found[(5, "高高报值")]
    assert "第 2 行" in found[(6, "监测点编码")]
    assert found[(7, "监测点编码")] == "该网关下已有使用此编码的监测点。"
    assert "不是数字" in found[(8, "量程下限")]
    assert "职业接触限值" in found[(9, "职业接触限值（mg/m³）")]
    assert "不是" in found[(10, "重大危险源")]
    assert (11, "监测点编码") in found and (11, "名称") in found
    assert not job.created_count and job.error_file


def test_only_those_who_keep_points_import_and_the_bureau_imports_for_any_enterprise(cast, gateways):
    with pytest.raises(PermissionDenied):
        _upload(cast["users"]["township_officer"], [_row("PT-1")])
    job = _upload(cast["users"]["bureau_admin"], [_row("PT-1"), _row("PT-2", gateway="gw-out")])
    assert job.status == PointImportJob.Status.SUCCEEDED, job.errors
    assert dict(MonitoringPoint.objects.values_list("code", "enterprise_id")) == {
        "PT-1": cast["inside"].pk, "PT-2": cast["outside"].pk}


def test_the_import_through_the_pages(cast, gateways):
    client = Client()
    client.force_login(cast["users"]["enterprise_user"])
    points = client.get(reverse("monitoring:points")).content.decode()
    assert reverse("monitoring:import") in points
    assert client.get(reverse("monitoring:import")).status_code == 200
    assert client.get(reverse("monitoring:import-template")).status_code == 200
    bad = client.post(reverse("monitoring:import"), {
        "file": SimpleUploadedFile("坏文件.xlsx", _content([_row("PT-1", gateway="gw-out")]))})
    job = PointImportJob.objects.get()
    assert bad.status_code == 302 and bad["Location"] == reverse("monitoring:import-job", args=[job.pk])
    page = client.get(bad["Location"]).content.decode()
    assert "“gw-out”不是您的网关" in page and not MonitoringPoint.objects.exists()
    assert client.get(reverse("monitoring:import-error-file", args=[job.pk])).status_code == 200
    good = client.post(reverse("monitoring:import"), {"file": SimpleUploadedFile("好文件.xlsx",
                                                                                  _content([_row("PT-1")]))})
    assert good.status_code == 302
    progress = client.get(reverse("monitoring:import-job-progress-json", args=[PointImportJob.objects.latest(
        "pk").pk])).json()
    assert progress["status"] == "succeeded" and progress["created_count"] == 1
    assert MonitoringPoint.objects.get().code == "PT-1"
    # Another user does not see the job.
    other = Client()
    other.force_login(cast["users"]["bureau_admin"])
    assert other.get(reverse("monitoring:import-job", args=[job.pk])).status_code == 404


def test_the_names_of_the_design_standard_are_read_as_the_catalogues_kinds(cast, gateways):
    """GB/T 50493-2019 says 有毒气体 where the catalogue says 有毒有害气体; lists also write 氧含量 for oxygen."""
    job = _upload(cast["users"]["enterprise_user"], [
        _row("TX-1", kind="有毒气体", unit="mg/m³", range_max="100", high_high="40", high="20"),
        _row("OX-1", kind="氧含量", unit="%VOL", range_max="30", high_high="", high="23.5", low="19.5"),
    ])
    assert job.status == PointImportJob.Status.SUCCEEDED, job.errors
    assert dict(MonitoringPoint.objects.values_list("code", "kind")) == {"TX-1": "toxic", "OX-1": "oxygen"}
