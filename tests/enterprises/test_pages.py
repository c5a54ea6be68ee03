"""The registry's pages (issue 2, UI): the list with filters, sort, pagination and the count; the ledger
page; create and edit forms that save through the service, and that show Chinese field errors and write
nothing on bad input; English on request."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.test import Client

from shouye.audit.models import AuditEvent
from shouye.core.identifiers import credit_code, id_number
from shouye.enterprises.models import Enterprise, EnterprisePerson, Industry, Licence, SupervisionGrade, Tag
from shouye.regions.models import Region
from tests.factories import EnterpriseFactory, LicenceFactory, PersonFactory

pytestmark = pytest.mark.django_db

NEW_CODE = credit_code(2_345_678)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user, **headers) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


def rows(html: str) -> list[str]:
    """The enterprise names in the list table, in order."""
    table = html[html.index('data-testid="enterprise-table"'):]
    return re.findall(r'<td><a href="/enterprises/\d+/">([^<]+)</a></td>', table)


def result_count(html: str) -> int:
    return int(re.search(r'data-testid="result-count">(\d+)<', html).group(1))


def counts() -> tuple[int, int, int, int]:
    return (Enterprise.objects.count(), EnterprisePerson.objects.count(), Licence.objects.count(),
            AuditEvent.objects.count())


# --- the list ---------------------------------------------------------------------------------------


@pytest.fixture
def many(cast):
    """25 more enterprises in 双泉镇 (names sort 双泉企业00 … 24), one of them tagged, graded D and suspended."""
    shuangquan = Region.objects.get(code="370113108")
    made = [EnterpriseFactory(name=f"双泉企业{n:02d}", township=shuangquan, employees=n) for n in range(25)]
    special = made[7]
    special.supervision_grade = SupervisionGrade.objects.get(code="D")
    special.status = "suspended"
    special.industry = Industry.objects.get(code="urban_gas")
    special.save()
    special.tags.set(Tag.objects.filter(code="gas_station"))
    return cast


def test_the_list_shows_the_count_and_paginates(many):
    client = client_for(many["users"]["bureau_staff"])
    first = client.get("/enterprises/").content.decode()
    assert result_count(first) == 28
    assert len(rows(first)) == 20
    assert re.search(r'page-item disabled"><span class="page-link">([^<]+)<', first).group(1) == "第 1 页，共 2 页"
    second = client.get("/enterprises/", {"page": 2}).content.decode()
    assert len(rows(second)) == 8
    assert not set(rows(first)) & set(rows(second))
    assert client.get("/enterprises/", {"page": 3}).status_code == 404


@pytest.mark.parametrize("params, expected", [
    ({"township": "370113107"}, ["马山内测化工有限公司"]),
    ({"industry": "construction"}, ["孝里住建工程有限公司"]),
    ({"industry": "urban_gas"}, ["双泉企业07"]),
    ({"grade": "D"}, ["双泉企业07"]),
    ({"tag": "gas_station"}, ["双泉企业07"]),
    ({"status": "suspended"}, ["双泉企业07"]),
    ({"q": "孝里"}, ["孝里外部机械有限公司", "孝里住建工程有限公司"]),
    ({"q": "双泉企业1", "sort": "name"}, [f"双泉企业{n}" for n in range(10, 20)]),
])
def test_each_filter_and_its_count(many, params, expected):
    html = client_for(many["users"]["bureau_staff"]).get("/enterprises/", params).content.decode()
    assert rows(html) == expected
    assert result_count(html) == len(expected)


def test_search_by_credit_code(many):
    code = many["building"].credit_code
    html = client_for(many["users"]["leader"]).get("/enterprises/", {"q": code}).content.decode()
    assert rows(html) == ["孝里住建工程有限公司"]


def test_the_filter_bar_keeps_the_chosen_values(many):
    html = client_for(many["users"]["bureau_staff"]).get(
        "/enterprises/", {"township": "370113108", "grade": "D", "q": "双泉"}).content.decode()
    assert '<option value="370113108" selected>双泉镇</option>' in html
    assert '<option value="D" selected>D</option>' in html
    assert 'name="q" value="双泉"' in html


def test_sorting_both_ways(many):
    client = client_for(many["users"]["bureau_staff"])
    params = {"township": "370113108", "sort": "name"}
    ascending = rows(client.get("/enterprises/", params).content.decode())
    assert ascending == [f"双泉企业{n:02d}" for n in range(20)]
    descending = rows(client.get("/enterprises/", {**params, "sort": "-name"}).content.decode())
    assert descending == [f"双泉企业{n:02d}" for n in range(24, 4, -1)]
    by_employees = rows(client.get("/enterprises/", {**params, "sort": "-employees"}).content.decode())
    assert by_employees[0] == "双泉企业24"


def test_an_unknown_sort_falls_back_to_the_newest_first(many):
    html = client_for(many["users"]["bureau_staff"]).get("/enterprises/", {"sort": "password"}).content.decode()
    assert rows(html)[0] == "双泉企业24"


def test_pagination_links_keep_the_filters_and_the_sort(many):
    html = client_for(many["users"]["bureau_staff"]).get(
        "/enterprises/", {"township": "370113108", "sort": "name"}).content.decode()
    links = {unescape(href) for href in re.findall(r'class="page-link" href="([^"]+)"', html)}
    assert links == {"?township=370113108&sort=name&page=2"}


def test_the_export_link_carries_the_filters(many):
    html = client_for(many["users"]["bureau_staff"]).get("/enterprises/", {"grade": "D"}).content.decode()
    assert 'href="/enterprises/export/?grade=D"' in html


def test_the_export_holds_exactly_the_filtered_list(many):
    from tests.scope_registry import response_text

    response = client_for(many["users"]["bureau_staff"]).get("/enterprises/export/", {"township": "370113108"})
    text = response_text(response)
    assert all(f"双泉企业{n:02d}" in text for n in range(25))
    assert not any(many[key].name in text for key in ("inside", "building", "outside"))


def test_the_list_shows_only_the_scope_and_says_so_when_empty(many):
    client = client_for(many["users"]["township_officer"])
    html = client.get("/enterprises/").content.decode()
    assert rows(html) == ["马山内测化工有限公司"] and result_count(html) == 1
    empty = client.get("/enterprises/", {"q": "双泉"}).content.decode()
    assert rows(empty) == [] and "没有符合筛选条件的企业。" in empty


def test_the_buttons_follow_the_permissions(cast):
    staff = client_for(cast["users"]["bureau_staff"]).get("/enterprises/").content.decode()
    assert 'href="/enterprises/new/"' in staff and 'href="/enterprises/import/"' in staff
    leader = client_for(cast["users"]["leader"]).get("/enterprises/").content.decode()
    assert 'href="/enterprises/new/"' not in leader and "/enterprises/export/" in leader
    expert = client_for(cast["users"]["expert"]).get("/enterprises/").content.decode()
    assert "/enterprises/export/" not in expert


def test_the_list_in_english(cast):
    html = client_for(cast["users"]["bureau_staff"], accept_language="en").get("/enterprises/").content.decode()
    assert "Export to Excel" in html and "Credit code" in html and "导出" not in html


# --- the ledger page --------------------------------------------------------------------------------


def test_the_ledger_page_shows_profile_people_licences_tags_map_and_timeline(cast):
    enterprise = cast["inside"]
    enterprise.tags.set(Tag.objects.filter(code="mhi"))
    PersonFactory(enterprise=enterprise, role="principal", name="吴十", phone="13987654321",
                  id_number=id_number(11, date(1975, 5, 5)))
    LicenceFactory(enterprise=enterprise, number="(鲁)WH安许证字[2024]000777",
                   valid_to=date.today() + timedelta(days=20))
    html = client_for(cast["users"]["bureau_staff"]).get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert '<h1 class="h3 mb-0 me-auto" data-testid="enterprise-name">马山内测化工有限公司</h1>' in html
    assert enterprise.credit_code in html and "马山镇" in html and "危险化学品" in html
    assert "每年检查 2 次" in html
    assert "重大危险源" in html
    assert "吴十" in html and "13987654321" in html
    assert "(鲁)WH安许证字[2024]000777" in html and "即将到期" in html
    assert 'data-lat="36.515000"' in html and 'data-lng="116.560000"' in html
    assert 'id="timeline"' in html


def test_the_ledger_page_masks_people_for_a_township_officer(cast):
    person = PersonFactory(enterprise=cast["inside"], phone="13987654321", id_number=id_number(11))
    html = client_for(cast["users"]["township_officer"]).get(f"/enterprises/{cast['inside'].pk}/").content.decode()
    assert "139****4321" in html and person.id_number not in html and "13987654321" not in html
    assert person.id_number[:6] + "********" + person.id_number[-4:] in html


# --- create and edit --------------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    mashan = Region.objects.get(code="370113107")
    data = {
        "name": "马山页面登记有限公司", "credit_code": NEW_CODE, "legal_representative": "郑十一",
        "address": "马山镇页面路1号", "longitude": "116.562", "latitude": "36.512",
        "township": mashan.pk, "industry": Industry.objects.get(code="hazardous_chemicals").pk,
        "scale": "small", "employees": "42", "status": "operating",
        "supervision_grade": SupervisionGrade.objects.get(code="A").pk,
        "tags": [Tag.objects.get(code="confined_space").pk],
        "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "1000",
        "people-0-role": "principal", "people-0-name": "王十二", "people-0-phone": "13700001111",
        "people-0-id_number": "", "people-0-certificate_number": "", "people-0-certificate_expiry": "",
        "licences-TOTAL_FORMS": "1", "licences-INITIAL_FORMS": "0", "licences-MIN_NUM_FORMS": "0",
        "licences-MAX_NUM_FORMS": "1000",
        "licences-0-kind": "hazchem_operation", "licences-0-number": "鲁济危化经字[2025]0001",
        "licences-0-issuer": "济南市长清区应急管理局", "licences-0-valid_from": "2025-03-01",
        "licences-0-valid_to": "2028-02-28",
    }
    data.update(overrides)
    return data


def test_the_create_form_saves_through_the_service(cast):
    officer = cast["users"]["township_officer"]
    client = client_for(officer)
    assert client.get("/enterprises/new/").status_code == 200
    response = client.post("/enterprises/new/", form_data())
    enterprise = Enterprise.objects.get(credit_code=NEW_CODE)
    assert response.status_code == 302 and response["Location"] == f"/enterprises/{enterprise.pk}/"
    assert enterprise.source == "manual" and enterprise.supervision_grade.code == "A"
    assert list(enterprise.people.values_list("name", flat=True)) == ["王十二"]
    assert enterprise.licences.get().number == "鲁济危化经字[2025]0001"
    assert list(enterprise.tags.values_list("code", flat=True)) == ["confined_space"]
    event = AuditEvent.objects.get(verb="enterprise.create")
    assert event.actor == officer and event.target_id == str(enterprise.pk)
    assert "已保存。" in client.get(response["Location"]).content.decode()


def test_the_create_form_offers_only_townships_of_the_jurisdiction(cast):
    html = client_for(cast["users"]["township_officer"]).get("/enterprises/new/").content.decode()
    select = html[html.index('name="township"'):]
    select = select[:select.index("</select>")]
    assert "马山镇" in select and "孝里街道" not in select


def test_a_township_outside_the_jurisdiction_is_refused(cast):
    before = counts()
    xiaoli = Region.objects.get(code="370113008")
    response = client_for(cast["users"]["township_officer"]).post("/enterprises/new/",
                                                                   form_data(township=xiaoli.pk))
    assert response.status_code == 400
    assert counts() == before


def test_a_wrong_check_character_shows_a_chinese_field_error_and_writes_nothing(cast):
    before = counts()
    wrong = NEW_CODE[:-1] + ("0" if NEW_CODE[-1] != "0" else "1")
    response = client_for(cast["users"]["bureau_staff"]).post("/enterprises/new/", form_data(credit_code=wrong))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"第18位校验码应为“{NEW_CODE[-1]}”" in html
    assert 'class="invalid-feedback d-block"' in html
    assert 'value="马山页面登记有限公司"' in html
    assert counts() == before


def test_a_missing_field_shows_a_chinese_error_and_writes_nothing(cast):
    before = counts()
    response = client_for(cast["users"]["bureau_staff"]).post("/enterprises/new/", form_data(name=""))
    assert response.status_code == 400
    assert re.findall(r'invalid-feedback d-block">([^<]*)<', response.content.decode()) == ["该字段是必填项。"]
    assert counts() == before


def test_bad_people_and_licence_rows_show_chinese_errors_and_write_nothing(cast):
    before = counts()
    response = client_for(cast["users"]["bureau_staff"]).post("/enterprises/new/", form_data(**{
        "people-0-phone": "123", "people-0-id_number": id_number(5)[:-1] + "0"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "11 位手机号码" in html and "第18位校验码应为" in html
    assert counts() == before


def test_errors_of_the_enterprise_and_of_its_rows_show_together(cast):
    """One round trip shows every mistake: a wrong main field does not hide a wrong person or licence row."""
    before = counts()
    response = client_for(cast["users"]["bureau_staff"]).post("/enterprises/new/", form_data(**{
        "name": "", "people-0-phone": "123"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert re.findall(r'invalid-feedback d-block">([^<]*)<', html) == ["该字段是必填项。"]
    assert re.search(r"<div>关键人员 第1行 · 电话: [^<]*11 位手机号码", html)
    assert counts() == before


def test_a_duplicate_credit_code_is_refused_on_the_form(cast):
    before = counts()
    response = client_for(cast["users"]["bureau_staff"]).post(
        "/enterprises/new/", form_data(credit_code=cast["outside"].credit_code))
    assert response.status_code == 400
    assert "已存在" in response.content.decode()
    assert counts() == before


def test_the_form_errors_in_english(cast):
    response = client_for(cast["users"]["bureau_staff"], accept_language="en").post(
        "/enterprises/new/", form_data(name=""))
    assert "This field is required." in response.content.decode()


def test_the_edit_form_shows_the_current_values_and_saves_changes(cast):
    enterprise = cast["inside"]
    PersonFactory(enterprise=enterprise, role="safety_officer", name="冯十三", phone="13600002222",
                  id_number="")
    client = client_for(cast["users"]["township_officer"])
    form = client.get(f"/enterprises/{enterprise.pk}/edit/").content.decode()
    assert 'value="马山内测化工有限公司"' in form and 'value="冯十三"' in form
    data = form_data(name="马山内测化工（改）有限公司", credit_code=enterprise.credit_code)
    data.update({"people-0-role": "safety_officer", "people-0-name": "冯十三", "people-0-phone": "13600002222",
                 "licences-TOTAL_FORMS": "0"})
    response = client.post(f"/enterprises/{enterprise.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == f"/enterprises/{enterprise.pk}/"
    enterprise.refresh_from_db()
    assert enterprise.name == "马山内测化工（改）有限公司" and enterprise.employees == 42
    assert enterprise.licences.count() == 0
    event = AuditEvent.objects.get(verb="enterprise.update")
    assert event.changes["fields"]["name"] == ["马山内测化工有限公司", "马山内测化工（改）有限公司"]
    ledger = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    timeline = ledger[ledger.index('id="timeline"'):]
    assert timeline.count("<li>") == 1 and "township_officer" in timeline


def test_a_failed_edit_changes_nothing(cast):
    enterprise = cast["inside"]
    before = counts()
    response = client_for(cast["users"]["bureau_staff"]).post(
        f"/enterprises/{enterprise.pk}/edit/", form_data(credit_code=cast["outside"].credit_code))
    assert response.status_code == 400
    enterprise.refresh_from_db()
    assert enterprise.name == "马山内测化工有限公司"
    assert counts() == before


@pytest.mark.parametrize("role", ["leader", "expert"])
def test_reading_roles_get_403_on_the_forms(cast, role):
    client = client_for(cast["users"][role])
    before = counts()
    assert client.get("/enterprises/new/").status_code == 403
    assert client.post("/enterprises/new/", form_data()).status_code == 403
    assert client.get(f"/enterprises/{cast['inside'].pk}/edit/").status_code == 403
    assert client.post(f"/enterprises/{cast['inside'].pk}/edit/",
                       form_data(credit_code=cast["inside"].credit_code)).status_code == 403
    assert counts() == before


def test_the_edit_form_of_an_enterprise_outside_the_scope_is_404(cast):
    client = client_for(cast["users"]["township_officer"])
    before = counts()
    assert client.get(f"/enterprises/{cast['outside'].pk}/edit/").status_code == 404
    assert client.post(f"/enterprises/{cast['outside'].pk}/edit/",
                       form_data(credit_code=cast["outside"].credit_code)).status_code == 404
    assert counts() == before


def test_the_enterprise_user_sees_its_tags_and_grade_but_cannot_change_them(cast):
    """Tags such as 重大危险源 decide how an enterprise is supervised: like its township and grade they belong
    to the bureau (issue 9). The enterprise's own edit form shows them disabled and ignores what is posted."""
    enterprise = cast["inside"]
    mhi, dust = Tag.objects.get(code="mhi"), Tag.objects.get(code="combustible_dust")
    enterprise.tags.set([mhi])
    client = client_for(cast["users"]["enterprise_user"])
    form = client.get(f"/enterprises/{enterprise.pk}/edit/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="tags"[^>]*>', form)
    assert boxes and all("disabled" in box for box in boxes)
    assert any(f'value="{mhi.pk}"' in box and "checked" in box for box in boxes)
    grade = form[form.index('name="supervision_grade"') - 200:form.index('name="supervision_grade"') + 200]
    assert "disabled" in grade

    response = client.post(f"/enterprises/{enterprise.pk}/edit/", form_data(
        name="马山内测化工（企业自改）有限公司", credit_code=enterprise.credit_code, tags=[dust.pk],
        **{"licences-TOTAL_FORMS": "0"}))
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "马山内测化工（企业自改）有限公司"
    assert list(enterprise.tags.all()) == [mhi]
    assert enterprise.supervision_grade.code == "B"


def test_staff_still_change_the_tags_on_the_page(cast):
    enterprise = cast["inside"]
    client = client_for(cast["users"]["bureau_staff"])
    form = client.get(f"/enterprises/{enterprise.pk}/edit/").content.decode()
    assert not any("disabled" in box for box in re.findall(r'<input type="checkbox" name="tags"[^>]*>', form))
    response = client.post(f"/enterprises/{enterprise.pk}/edit/", form_data(
        credit_code=enterprise.credit_code, tags=[Tag.objects.get(code="mhi").pk], **{"licences-TOTAL_FORMS": "0"}))
    assert response.status_code == 302
    assert list(enterprise.tags.values_list("code", flat=True)) == ["mhi"]
