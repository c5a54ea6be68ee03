"""The printed permit and its live status page (issue 12): the standard's form for the kind with its fields,
measures, gas tests and signatures in the chain's order, three copies marked with Table B.2's holders, the
grade visible, the QR code's address; and the status page the QR code opens — signed in, scoped, showing what a
paper copy is checked against. The PDF is read back with pypdf."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation
from django.utils.timesince import timesince
from pypdf import PdfReader

from shouye.permits.choices import PermitKind
from tests.inspections.test_document_issue import zh
from tests.inspections.test_documents import contains, pdf_text

from .conftest import NOW, make_permit
from .helpers import ok, prepare, to_in_progress, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(cast):
    def make(role: str) -> Client:
        client = Client()
        client.force_login(cast["users"][role])
        return client
    return make


def printed(client, permit) -> tuple[str, int]:
    response = client.get(f"/permits/{permit.pk}/print.pdf")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content), len(PdfReader(io.BytesIO(response.content)).pages)


def copy_texts(text: str, title: str = "动火安全作业票") -> list[str]:
    """The text of each copy: each begins with the form's title."""
    copies = text.split(title)[1:]
    assert len(copies) == 3
    return copies


def test_a_hot_work_permit_in_progress_prints_its_form_in_three_copies_with_their_holders(
        client_of, permit, signed_in):
    permit = to_in_progress(client_of, permit)
    text, pages = printed(signed_in("enterprise_user"), permit)

    assert pages >= 3
    first, second, third = copy_texts(text)
    # Table B.2, grade-2 hot work: the watchperson, the unit doing the work (the operator), the base unit.
    assert contains(first, "第一联·监护人持有")
    assert contains(second, "第二联·作业单位（动火人）持有")
    assert contains(third, "第三联·所在基层单位持有")
    for copy in (first, second, third):
        assert contains(copy, f"编号：{permit.number}")
        assert contains(copy, "二级动火")
        # the header fields, the kind's own (动火方式), the people with the operator's certificate
        for expected in ("一车间", "检修班", "更换管线法兰", "罐区东侧管线", "动火方式", "电焊",
                         "动火人甲（证书编号：T123456）", "监护人丙", "负责人乙",
                         "风险辨识结果", "可燃气体泄漏、灼烫", "接受交底人", "动火人甲、监护人丙"):
            assert contains(copy, expected), expected
        # the measures, numbered, with the confirmer; the closing 其他安全措施 with its author (A.1: 16)
        assert contains(copy, "1动火设备内部构件清洗干净") and contains(copy, "确认人戊")
        assert contains(copy, "16其他安全措施：现场配备两具灭火器") and contains(copy, "编制人：编制人己")
        # the gas analysis
        assert contains(copy, "法兰处") and contains(copy, "甲烷") and contains(copy, "分析员丁")
        # the QR code's address, printed under it as text too
        assert contains(copy, f"http://testserver/permits/{permit.pk}/status/")
    # the chain in its order, A.1: work leader → unit → safety department → approver → shift leader → acceptance
    labels = ["作业负责人", "所在单位", "安全管理部门", "动火审批人", "动火前岗位当班班长验票", "完工验收"]
    positions = [first.find(label) for label in labels]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "未审批" not in text


def test_a_permit_not_yet_approved_is_marked_so_on_paper(client_of, permit, signed_in,
                                                           django_assert_max_num_queries):
    prepare(client_of, permit)
    client = signed_in("enterprise_user")
    client.get("/")
    with django_assert_max_num_queries(14):
        text, _pages = printed(client, permit)
    assert text.count("未审批不得作业") == 3


def test_a_kind_without_grades_prints_its_own_holders_and_fields(owner, cast, signed_in):
    permit = make_permit(owner, cast["inside"], kind=PermitKind.CONFINED_SPACE,
                         details={"space_name": "T-101 储罐", "original_medium": "甲醇"})
    text, _pages = printed(signed_in("enterprise_user"), permit)
    first, second, third = copy_texts(text, "受限空间安全作业票")
    assert contains(first, "第一联·监护人持有")
    assert contains(second, "第二联·作业单位负责人持有") and contains(third, "第三联·所在基层单位持有")
    assert contains(first, "T-101储罐") and contains(first, "甲醇")
    # A.2 ends with 15 其他安全措施, its author blank for a pen
    assert contains(first, "15其他安全措施：")
    assert "动火" not in first.split("安全措施", 1)[0]


def test_special_hot_work_prints_its_grade_and_the_safety_department_s_copy(owner, cast, signed_in):
    permit = make_permit(owner, cast["inside"], details={
        "method": "气割", "fire_explosion_area": True, "on_operating_equipment": True}, grade="special")
    assert permit.grade == "special"
    text, _pages = printed(signed_in("enterprise_user"), permit)
    assert text.count("特级动火") >= 3
    assert contains(copy_texts(text)[2], "第三联·安全管理部门持有")


def test_the_permit_s_page_leads_to_its_printed_form(permit, signed_in):
    page = signed_in("township_officer").get(f"/permits/{permit.pk}/").content.decode()
    assert f'href="/permits/{permit.pk}/print.pdf" data-testid="print-link"' in page


def test_print_and_status_are_scoped_and_need_a_sign_in(permit, signed_in):
    for path in (f"/permits/{permit.pk}/print.pdf", f"/permits/{permit.pk}/status/"):
        assert Client().get(path).status_code == 302
        assert signed_in("department_officer").get(path).status_code == 404
        assert signed_in("township_officer").get(path).status_code == 200
        assert signed_in("enterprise_user").post(path).status_code == 405


def test_the_status_page_shows_what_a_paper_copy_is_checked_against(client_of, permit, signed_in,
                                                                     django_assert_max_num_queries, clock):
    permit = to_in_progress(client_of, permit)
    clock.shift(timedelta(minutes=20))
    officer = signed_in("township_officer")
    officer.get("/")
    with django_assert_max_num_queries(12):
        response = officer.get(f"/permits/{permit.pk}/status/")
    assert response.status_code == 200
    page = response.content.decode()
    assert permit.number in page and "二级动火" in page
    assert f'data-testid="permit-state">{zh("In progress")}' in page
    assert 'data-countdown="' in page and "shouye/permits.js" in page
    assert "监护人丙" in page
    assert "甲烷" in page and "分析员丁" in page
    # the last gas test, sampled 5 minutes before the start and 20 minutes on
    with translation.override("zh-hans"):
        age = timesince(NOW - timedelta(minutes=5), NOW + timedelta(minutes=20))
    assert zh("%(age)s ago") % {"age": age} in page
    assert (page.index(zh("Work leader")) < page.index(zh("Hot-work approver"))
            < page.index(zh("Completion acceptance")))
    assert zh("Not signed") in page  # the acceptance
    assert f"/permits/{permit.pk}/print.pdf" in page


def test_the_status_page_lists_problems_and_says_when_nobody_may_work(client_of, permit, signed_in):
    ok(client_of.post(url(permit, "cancel"), {"reason": "改期"}, format="json"))
    permit.problems = [{"code": "gas_test_stale", "field": "gas_tests", "detail": "最近一次取样已超过30分钟",
                        "at": NOW.isoformat()}]
    permit.problem_count = 1
    permit.save(update_fields=["problems", "problem_count"])
    page = signed_in("enterprise_user").get(f"/permits/{permit.pk}/status/").content.decode()
    assert 'data-testid="status-problems"' in page and "最近一次取样已超过30分钟" in page
    assert 'data-testid="no-work"' in page and "data-countdown" not in page

def test_the_status_page_of_a_kind_without_gas_analysis_has_no_gas_line(owner, cast, signed_in):
    permit = make_permit(owner, cast["inside"], kind=PermitKind.WORK_AT_HEIGHT)
    page = signed_in("enterprise_user").get(f"/permits/{permit.pk}/status/").content.decode()
    assert 'data-testid="status-watchperson"' in page and 'data-testid="status-gas-test"' not in page
