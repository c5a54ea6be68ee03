"""The Excel import, through the pages as the cast uses them: template, upload, the job page with its
errors and progress, the file with the error column; all-or-nothing on every error case of issue 2."""

import io
from datetime import date, datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from shouye.accounts.models import User
from shouye.audit.models import AuditEvent
from shouye.core.identifiers import credit_code, id_number
from shouye.enterprises import imports, services, tasks
from shouye.enterprises.choices import LicenceKind, OperatingStatus, PersonRole, Scale, Source
from shouye.enterprises.models import Enterprise, ImportJob
from shouye.rules.identifiers import CREDIT_CODE_CHARSET
from tests.core.test_importkit import with_dimension
from tests.core.test_importkit import workbook_bytes as kit_workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_next_seq = iter(range(70_000_000, 80_000_000))


def title(key: str) -> str:
    with translation.override("zh-hans"):
        return str(imports.COLUMNS_BY_KEY[key].title)


def label(choice) -> str:
    with translation.override("zh-hans"):
        return str(choice.label)


def enterprise_row(**values) -> dict:
    row = {"name": f"导入测试企业{next(_next_seq)}有限公司", "credit_code": credit_code(next(_next_seq)),
           "township": "马山镇", "industry": "危险化学品", "legal_representative": "王五",
           "supervision_grade": "B"}
    row.update(values)
    return row


def fill(template: bytes, rows: list[dict]) -> bytes:
    """Type rows into the template's first sheet under the column titles, as a user would."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    where = {str(cell.value).rstrip("*"): cell.column for cell in sheet[1]}
    for offset, row in enumerate(rows, start=2):
        for key, value in row.items():
            sheet.cell(row=offset, column=where[title(key)], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(header: list[str], rows: list[list]) -> bytes:
    return kit_workbook_bytes([header, *rows])


def upload(client, content: bytes, name: str = "企业导入.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("enterprises:import"), {"file": file})


def latest_job(user) -> ImportJob:
    return ImportJob.objects.filter(created_by=user).latest("id")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's passwords need no strength here: a fast hasher keeps these page tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(cast, client):
    client.force_login(cast["users"]["bureau_staff"])
    return cast["users"]["bureau_staff"]


@pytest.fixture
def template(client, staff) -> bytes:
    return client.get(reverse("enterprises:import-template")).content


@pytest.fixture
def unchanged():
    """Counts of enterprises and audit events before; call it after to assert nothing was written."""
    before = (Enterprise.objects.count(), AuditEvent.objects.count())
    return lambda: (Enterprise.objects.count(), AuditEvent.objects.count()) == before


def refused(client, content: bytes, name: str = "企业导入.xlsx") -> tuple[ImportJob, str]:
    response = upload(client, content, name)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    job = ImportJob.objects.latest("id")
    assert job.status == ImportJob.Status.FAILED
    html = page.content.decode()
    assert 'data-testid="import-errors"' in html
    for error in job.errors:
        assert escape(error["message"]) in html
    return job, html


# ------------------------------------------------------------------------------------------ template


def test_template_has_titles_and_instructions_and_no_example_row(client, staff):
    response = client.get(reverse("enterprises:import-template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    assert data.max_row == 1
    titles = [cell.value for cell in data[1]]
    assert titles[0] == title("name") + "*"
    assert titles[1] == title("credit_code") + "*"
    assert title("licence_valid_to") in titles
    assert len(titles) == len(imports.COLUMNS)
    with translation.override("zh-hans"):
        assert guide.title == translation.gettext("Instructions")
    listed = {tuple(row[:2]) for row in guide.iter_rows(values_only=True)}
    assert ("马山镇", "370113107") in listed
    assert ("危险化学品", "hazardous_chemicals") in listed
    assert ("重大危险源", "mhi") in listed
    assert (label(OperatingStatus.SUSPENDED), "suspended") in listed
    assert (label(LicenceKind.SAFETY_PRODUCTION), "safety_production") in listed
    assert any(row[0] == "D" for row in guide.iter_rows(values_only=True))


def test_template_downloads_and_reimports_with_every_column(client, staff, template):
    full = enterprise_row(
        township="370113008", industry="construction", address="长清区测试路8号", longitude=116.7512345,
        latitude="36.55", scale=label(Scale.MEDIUM), employees=120, status=label(OperatingStatus.SUSPENDED),
        supervision_grade="c", tags="重大危险源、粉尘涉爆，confined_space", principal_name="赵一",
        principal_phone=13912345678, safety_director_name="钱二", safety_director_phone="0531-87654321",
        safety_officer_name="孙三", safety_officer_phone="13812345678", safety_officer_id_number=id_number(7),
        safety_officer_certificate_number="鲁安2024-001", safety_officer_certificate_expiry="2027/06/30",
        licence_kind=label(LicenceKind.SAFETY_PRODUCTION), licence_number="(鲁)WH安许证字[2025]000001",
        licence_issuer="济南市应急管理局", licence_valid_from=datetime(2025, 1, 1),
        licence_valid_to="2028-01-01",
    )
    plain = enterprise_row(status="closed", scale="micro")
    events_before = AuditEvent.objects.count()

    response = upload(client, fill(template, [full, plain]))

    job = latest_job(staff)
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:import-job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in page
    assert reverse("enterprises:list") in page
    assert (job.status, job.created_count, job.total_rows, job.percent) == (ImportJob.Status.SUCCEEDED, 2, 2, 100)
    imported = Enterprise.objects.get(credit_code=full["credit_code"])
    assert imported.source == Source.IMPORT
    assert imported.township.code == "370113008"
    assert imported.industry.code == "construction"
    assert imported.supervision_grade.code == "C"
    assert (imported.status, imported.scale, imported.employees) == ("suspended", "medium", 120)
    assert str(imported.longitude) == "116.751235"
    assert sorted(t.code for t in imported.tags.all()) == ["combustible_dust", "confined_space", "mhi"]
    people = {p.role: p for p in imported.people.all()}
    assert people[PersonRole.PRINCIPAL].phone == "13912345678"
    assert people[PersonRole.SAFETY_OFFICER].certificate_expiry == date(2027, 6, 30)
    assert people[PersonRole.SAFETY_OFFICER].id_number == full["safety_officer_id_number"]
    licence = imported.licences.get()
    assert (licence.kind, licence.valid_from, licence.valid_to) == ("safety_production", date(2025, 1, 1),
                                                                    date(2028, 1, 1))
    other = Enterprise.objects.get(credit_code=plain["credit_code"])
    assert (other.status, other.scale, other.people.count(), other.licences.count()) == ("closed", "micro", 0, 0)
    verbs = list(AuditEvent.objects.order_by("id")[events_before:].values_list("verb", flat=True))
    assert verbs == ["enterprise.create", "enterprise.create", "enterprise.import"]


def test_each_imported_enterprise_has_the_audit_event_the_service_writes(client, staff, template):
    """The import inserts in batches; its enterprise.create events must say what create_enterprise says."""
    row = enterprise_row(tags="粉尘涉爆、重大危险源", principal_name="赵一", principal_phone="13912345678",
                         safety_officer_name="孙三", licence_kind="mining", licence_number="C1",
                         licence_valid_from="2025-01-01", licence_valid_to="2027-01-01", longitude="116.5",
                         employees=8, status="suspended")
    upload(client, fill(template, [row]))
    imported = Enterprise.objects.get(credit_code=row["credit_code"])
    same = services.create_enterprise(
        actor=staff, source=Source.IMPORT,
        data={f: getattr(imported, f) for f in services.EDITABLE_FIELDS} | {
            "credit_code": credit_code(next(_next_seq)), "name": "对照企业有限公司"},
        people=[{f: getattr(p, f) for f in services.PERSON_FIELDS} for p in imported.people.all()],
        licences=[{f: getattr(lic, f) for f in services.LICENCE_FIELDS} for lic in imported.licences.all()],
        tags=list(imported.tags.all()))

    def changes(enterprise):
        event = AuditEvent.objects.get(verb="enterprise.create", target_id=str(enterprise.pk))
        fields = {k: v for k, v in event.changes["fields"].items() if k not in ("name", "credit_code")}
        return event.target_type, event.target_repr == enterprise.name, {**event.changes, "fields": fields}

    assert changes(imported) == changes(same)
    assert imported.source == same.source == Source.IMPORT


def test_english_labels_registry_words_and_dates_in_other_formats_are_accepted(client, staff, template):
    rows = [enterprise_row(status="Suspended", scale="Large", licence_kind="Mining licence", licence_number="C1",
                           licence_valid_from="2025.3.1", licence_valid_to="2026年3月1日"),
            enterprise_row(status="在营", licence_kind="other", licence_number="C2",
                           licence_valid_from=20250301, licence_valid_to=46000),
            enterprise_row(status="停产"), enterprise_row(status="关闭")]
    upload(client, fill(template, rows))
    imported = [Enterprise.objects.get(credit_code=row["credit_code"]) for row in rows]
    assert (imported[0].status, imported[0].scale) == ("suspended", "large")
    assert imported[0].licences.get().valid_to == date(2026, 3, 1)
    assert imported[1].licences.get().valid_from == date(2025, 3, 1)
    assert imported[1].licences.get().valid_to == date(2025, 12, 9)
    assert [e.status for e in imported[1:]] == ["operating", "suspended", "closed"]


def full_width(text: str) -> str:
    """The text as typed with a Chinese input method in full-width mode."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_codes_and_numbers_typed_in_full_width_are_read_as_ordinary_ones(client, staff, template):
    row = enterprise_row(supervision_grade="Ｂ", employees="１２０", longitude="１１６．７５", principal_name="赵一",
                         safety_officer_name="孙三", safety_officer_id_number=full_width(id_number(8)),
                         safety_officer_phone=full_width("0531-87654321"),
                         safety_officer_certificate_expiry="２０２７－０６－３０")
    typed = dict(row, credit_code=full_width(row["credit_code"]), principal_phone="１３９１２３４５６７８")
    upload(client, fill(template, [typed]))
    assert latest_job(staff).status == ImportJob.Status.SUCCEEDED, latest_job(staff).errors
    imported = Enterprise.objects.get(credit_code=row["credit_code"])
    assert (imported.employees, str(imported.longitude), imported.supervision_grade.code) == (120, "116.750000", "B")
    people = {p.role: p for p in imported.people.all()}
    assert people[PersonRole.PRINCIPAL].phone == "13912345678"
    officer = people[PersonRole.SAFETY_OFFICER]
    assert (officer.id_number, officer.phone, officer.certificate_expiry) == \
        (id_number(8), "0531-87654321", date(2027, 6, 30))


def test_reference_codes_and_choices_typed_in_full_width_are_found(client, staff, template):
    row = enterprise_row(township=full_width("370113008"), industry=full_width("construction"),
                         tags=f"{full_width('mhi')}、{full_width('confined_space')}", status=full_width("suspended"),
                         scale=full_width("medium"), supervision_grade=full_width("c"),
                         licence_kind=full_width("mining"), licence_number=full_width("C-1"),
                         licence_valid_from="２０２５－０１－０１", licence_valid_to="２０２８－０１－０１")
    upload(client, fill(template, [row]))
    assert latest_job(staff).status == ImportJob.Status.SUCCEEDED, latest_job(staff).errors
    imported = Enterprise.objects.get(credit_code=row["credit_code"])
    assert (imported.township.code, imported.industry.code, imported.supervision_grade.code) == \
        ("370113008", "construction", "C")
    assert (imported.status, imported.scale) == ("suspended", "medium")
    assert sorted(t.code for t in imported.tags.all()) == ["confined_space", "mhi"]
    assert (imported.licences.get().kind, imported.licences.get().number) == ("mining", "C-1")


def test_a_code_stored_as_a_number_asks_for_the_column_formatted_as_text(client, staff, template, unchanged):
    """Excel keeps 15 significant digits of a number: an 18-character code typed into a General column shows
    as 9.13701E+17 and has lost its last digits. The message says what to do, not which check character
    the spoiled code would need."""
    all_digits = next(code for code in (credit_code(n) for n in range(10**6, 10**6 + 500)) if code.isdigit())
    rows = [enterprise_row(credit_code=float(all_digits)), enterprise_row(credit_code=int(all_digits)),
            enterprise_row(principal_name="赵一", safety_officer_name="孙三",
                           safety_officer_id_number=int(id_number(9)[:17] + "0")),
            enterprise_row()]
    job, html = refused(client, fill(template, rows))
    with translation.override("zh-hans"):
        message = translation.gettext(
            "This cell holds a number, and Excel keeps only 15 significant digits of a number, so a long code "
            "typed as one loses its last digits. Format the column as text (Format Cells → Text), type the "
            "code again and upload the file again.")
    assert job.errors == [{"row": 2, "column": title("credit_code"), "message": message},
                          {"row": 3, "column": title("credit_code"), "message": message},
                          {"row": 4, "column": title("safety_officer_id_number"), "message": message}]
    assert "文本" in message
    assert unchanged()


def test_rows_and_columns_beyond_the_size_the_workbook_declares_are_imported(client, staff, template):
    rows = [enterprise_row() for _ in range(3)]
    upload(client, with_dimension(fill(template, rows), "A1:B2"))
    assert latest_job(staff).status == ImportJob.Status.SUCCEEDED, latest_job(staff).errors
    assert Enterprise.objects.filter(credit_code__in=[r["credit_code"] for r in rows]).count() == 3


def test_a_small_file_declaring_a_huge_size_runs_in_the_request(client, staff, template, settings, monkeypatch):
    settings.SHOUYE_IMPORT_SYNC_MAX_ROWS = 5
    monkeypatch.setattr(tasks.run_import, "delay", lambda *args: pytest.fail("queued"))
    rows = [enterprise_row() for _ in range(2)]
    upload(client, with_dimension(fill(template, rows), "A1:XFD1048576"))
    assert (latest_job(staff).status, latest_job(staff).created_count) == (ImportJob.Status.SUCCEEDED, 2)


# --------------------------------------------------------------------------------- the cases of issue 2


def test_wrong_check_character_names_the_expected_one(client, staff, template, unchanged):
    good = credit_code(next(_next_seq))
    wrong = good[:17] + next(c for c in CREDIT_CODE_CHARSET if c != good[17])
    job, html = refused(client, fill(template, [enterprise_row(), enterprise_row(credit_code=wrong)]))
    assert job.errors == [{"row": 3, "column": title("credit_code"),
                           "message": f"第18位校验码应为“{good[17]}”，当前为“{wrong[17]}”"}]
    assert unchanged()


def test_duplicate_in_file_names_both_rows(client, staff, template, unchanged):
    code = credit_code(next(_next_seq))
    job, html = refused(client, fill(template, [enterprise_row(credit_code=code), enterprise_row(),
                                                enterprise_row(credit_code=code.lower())]))
    with translation.override("zh-hans"):
        message = translation.gettext("The credit code is repeated in this file (rows %(rows)s).") % {"rows": "2, 4"}
    assert job.errors == [{"row": 2, "column": title("credit_code"), "message": message},
                          {"row": 4, "column": title("credit_code"), "message": message}]
    assert unchanged()


def test_duplicate_in_database_reveals_nothing_outside_scope(client, cast, template, unchanged):
    officer = cast["users"]["township_officer"]
    client.force_login(officer)
    outside = cast["outside"]
    job, html = refused(client, fill(template, [enterprise_row(credit_code=outside.credit_code)]))
    with translation.override("zh-hans"):
        message = translation.gettext("This credit code is already registered.")
    assert job.errors == [{"row": 2, "column": title("credit_code"), "message": message}]
    assert outside.name not in html
    assert outside.township.name not in html
    assert unchanged()


def test_unknown_township(client, staff, template, unchanged):
    job, html = refused(client, fill(template, [enterprise_row(township="火星镇")]))
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, title("township"))]
    assert "火星镇" in job.errors[0]["message"]
    assert unchanged()


def test_empty_required_cell(client, staff, template, unchanged):
    job, html = refused(client, fill(template, [enterprise_row(), enterprise_row(legal_representative=" ")]))
    with translation.override("zh-hans"):
        message = translation.gettext("This cell is required.")
    assert job.errors == [{"row": 3, "column": title("legal_representative"), "message": message}]
    assert unchanged()


@pytest.mark.parametrize("content, name", [
    (b"name,credit_code\n\xe6\xb5\x8b\xe8\xaf\x95,91370113MA3C4XYZ1Q\n", "企业名单.xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版企业名单.xlsx"),
    (b"PK\x03\x04not really a zip", "损坏的文件.xlsx"),
    (b"", "空文件.xlsx"),
])
def test_not_an_xlsx_at_all(client, staff, unchanged, content, name):
    job, html = refused(client, content, name)
    assert len(job.errors) == 1
    assert job.errors[0]["row"] is None
    assert name in job.errors[0]["message"]
    assert not job.error_file
    assert unchanged()


def test_empty_workbook_and_missing_columns(client, staff, unchanged):
    empty = workbook_bytes([], [])
    job, _html = refused(client, empty, "空表.xlsx")
    assert job.errors[0]["row"] is None and "空表.xlsx" in job.errors[0]["message"]

    header_only = workbook_bytes([title("name"), title("credit_code")], [])
    job, _html = refused(client, header_only)
    missing = {e["column"] for e in job.errors if e["row"] == 1}
    assert missing == {title("township"), title("industry"), title("legal_representative"),
                       title("supervision_grade")}
    assert any(e["row"] is None for e in job.errors)
    assert unchanged()


def test_every_kind_of_cell_error_is_reported_at_its_cell(client, staff, template, unchanged):
    row = enterprise_row(longitude="东经116度", employees="12.5", status="营业中", supervision_grade="E",
                         tags="重大危险源、不存在的标签", principal_phone="12345", safety_officer_name="孙三",
                         safety_officer_id_number="370113198001011234",
                         safety_officer_certificate_expiry="2027-02-30", licence_kind="safety_production",
                         licence_number="X-1", licence_valid_from="2025-06-01", licence_valid_to="2025-01-01")
    no_name = enterprise_row(safety_director_phone="13812345678", licence_issuer="济南市应急管理局")
    job, _html = refused(client, fill(template, [row, no_name]))
    got = {(e["row"], e["column"]) for e in job.errors}
    assert got == {
        (2, title("longitude")), (2, title("employees")), (2, title("status")), (2, title("supervision_grade")),
        (2, title("tags")), (2, title("principal_name")), (2, title("principal_phone")),
        (2, title("safety_officer_id_number")), (2, title("safety_officer_certificate_expiry")),
        (2, title("licence_valid_to")),
        (3, title("safety_director_name")), (3, title("licence_kind")), (3, title("licence_number")),
        (3, title("licence_valid_from")), (3, title("licence_valid_to")),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "2027-02-30" in messages[(2, title("safety_officer_certificate_expiry"))]
    assert "校验码" in messages[(2, title("safety_officer_id_number"))]
    assert "2025-06-01" in messages[(2, title("licence_valid_to"))]
    assert unchanged()


def test_error_file_has_the_error_column_and_red_cells(client, staff, template):
    job, _html = refused(client, fill(template, [enterprise_row(), enterprise_row(township="火星镇"),
                                                 enterprise_row(name="")]))
    response = client.get(reverse("enterprises:import-error-file", args=[job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    with translation.override("zh-hans"):
        assert header[-1] == translation.gettext("Errors")
    errors_column = len(header)
    township_column = header.index(title("township") + "*") + 1
    assert sheet.cell(row=2, column=errors_column).value is None
    assert "火星镇" in sheet.cell(row=3, column=errors_column).value
    assert title("name") in sheet.cell(row=4, column=errors_column).value
    assert sheet.cell(row=3, column=township_column).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=2, column=township_column).fill.fill_type is None

    fixed = fill(b"".join(client.get(reverse("enterprises:import-error-file", args=[job.pk])).streaming_content),
                 [enterprise_row(), enterprise_row(), enterprise_row()])
    upload(client, fixed)
    assert latest_job(staff).status == ImportJob.Status.SUCCEEDED


# ------------------------------------------------------------------------------------ scope and access


def test_township_officer_cannot_import_into_another_township(client, cast, template, unchanged):
    client.force_login(cast["users"]["township_officer"])
    job, _html = refused(client, fill(template, [enterprise_row(), enterprise_row(township="孝里街道")]))
    with translation.override("zh-hans"):
        message = translation.gettext("You can only register enterprises within your jurisdiction.")
    assert job.errors == [{"row": 3, "column": title("township"), "message": message}]
    assert unchanged()

    upload(client, fill(template, [enterprise_row(township="370113107")]))
    assert latest_job(cast["users"]["township_officer"]).status == ImportJob.Status.SUCCEEDED


def test_department_officer_imports_only_its_industries(client, cast):
    client.force_login(cast["users"]["department_officer"])
    template = client.get(reverse("enterprises:import-template")).content
    guide = load_workbook(io.BytesIO(template)).worksheets[1]
    codes = {row[1] for row in guide.iter_rows(values_only=True)}
    assert "construction" in codes and "hazardous_chemicals" not in codes
    job, _html = refused(client, fill(template, [enterprise_row(industry="危险化学品")]))
    assert [e["column"] for e in job.errors] == [title("industry")]


@pytest.mark.parametrize("role", ["leader", "expert", "enterprise_user", "nobody"])
def test_import_needs_the_import_permission(client, cast, role):
    client.force_login(cast["users"][role])
    assert client.get(reverse("enterprises:import")).status_code == 403
    assert client.get(reverse("enterprises:import-template")).status_code == 403
    assert upload(client, b"").status_code == 403


def test_a_job_is_visible_only_to_its_creator(client, cast, template):
    client.force_login(cast["users"]["bureau_staff"])
    upload(client, fill(template, [enterprise_row(township="火星镇")]))
    job = latest_job(cast["users"]["bureau_staff"])
    client.force_login(cast["users"]["bureau_admin"])
    for name in ("import-job", "import-job-progress", "import-error-file"):
        assert client.get(reverse(f"enterprises:{name}", args=[job.pk])).status_code == 404
    assert job.original_name not in client.get(reverse("enterprises:import")).content.decode()


def test_file_larger_than_the_limit_is_refused_on_the_form(client, staff, template, settings, unchanged):
    settings.SHOUYE_IMPORT_MAX_BYTES = 1000
    response = upload(client, fill(template, [enterprise_row()]), "大文件.xlsx")
    assert response.status_code == 400
    assert "大文件.xlsx" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert unchanged()


# ------------------------------------------------------------------------------- background and progress


def test_large_import_runs_as_a_task_and_ends_at_100(client, staff, template, settings, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    settings.SHOUYE_IMPORT_SYNC_MAX_ROWS = 5
    delayed = []
    original = tasks.run_import.delay
    monkeypatch.setattr(tasks.run_import, "delay", lambda *args: delayed.append(args) or original(*args))
    rows = [enterprise_row() for _ in range(120)]

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, fill(template, rows))

    job = latest_job(staff)
    assert [args[0] for args in delayed] == [job.pk]
    assert (job.status, job.total_rows, job.processed_rows, job.created_count, job.percent) == \
        (ImportJob.Status.SUCCEEDED, 120, 120, 120, 100)
    assert Enterprise.objects.filter(credit_code__in=[r["credit_code"] for r in rows]).count() == 120
    assert AuditEvent.objects.filter(verb="enterprise.import", target_id=str(job.pk)).count() == 1
    partial = client.get(reverse("enterprises:import-job-progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in partial
    assert response["Location"] == reverse("enterprises:import-job", args=[job.pk])

    tasks.run_import(job.pk)
    assert Enterprise.objects.filter(credit_code__in=[r["credit_code"] for r in rows]).count() == 120


def test_large_import_with_errors_writes_nothing(client, staff, template, settings, unchanged,
                                                 django_capture_on_commit_callbacks):
    settings.SHOUYE_IMPORT_SYNC_MAX_ROWS = 5
    rows = [enterprise_row() for _ in range(60)] + [enterprise_row(industry="航天")]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, fill(template, rows))
    job = latest_job(staff)
    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(62, title("industry"))]
    assert job.error_file
    assert unchanged()


def test_progress_partial_polls_until_the_job_is_finished(client, staff):
    job = ImportJob.objects.create(created_by=staff, original_name="a.xlsx", file="imports/a.xlsx",
                                   status=ImportJob.Status.VALIDATING, total_rows=200, processed_rows=50)
    url = reverse("enterprises:import-job-progress", args=[job.pk])
    partial = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in partial and f'hx-get="{url}"' in partial
    assert 'aria-valuenow="25"' in partial
    assert 'hx-trigger="every 1s"' in client.get(reverse("enterprises:import-job", args=[job.pk])).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.SUCCEEDED, created_count=200,
                                               processed_rows=200)
    partial = client.get(url).content.decode()
    assert "hx-trigger" not in partial and 'data-status="succeeded"' in partial


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: see imports.Progress")
def test_progress_is_visible_outside_the_write_transaction():
    user = User.objects.create(username="progress-watcher")
    job = ImportJob.objects.create(created_by=user, original_name="a.xlsx", file="imports/a.xlsx",
                                   status=ImportJob.Status.IMPORTING, total_rows=100)
    main = transaction.get_connection()
    observer = type(main)(dict(main.settings_dict), alias="observer")
    try:
        with transaction.atomic(), imports.Progress(job) as progress:
            progress.report(50)
            with observer.cursor() as cursor:
                cursor.execute("SELECT processed_rows FROM enterprises_importjob WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (50,)
    finally:
        observer.close()


def test_posting_without_a_file_shows_the_form_again(client, staff, unchanged):
    response = client.post(reverse("enterprises:import"), {})
    assert response.status_code == 400
    assert 'data-testid="import-form"' in response.content.decode()
    assert not ImportJob.objects.exists()
    assert unchanged()
