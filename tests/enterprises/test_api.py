"""The enterprise registry through the API (issue 2): list with every filter and pagination, create, read,
update; field errors in the request's language; nothing written when a request fails; 403 for the leader's
writes and 404 outside the caller's scope; personal data masked for the roles that do not need it."""

import re
from datetime import date

import pytest
from django.core.cache import cache

from shouye.audit.models import AuditEvent
from shouye.core.identifiers import credit_code, id_number
from shouye.enterprises.models import Enterprise, EnterprisePerson, Industry, Licence, SupervisionGrade, Tag
from shouye.regions.models import Region
from tests.conftest import api_as
from tests.factories import EnterpriseFactory, PersonFactory
from tests.scope_registry import response_text

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"
NEW_CODE = credit_code(1_234_567)
#: a valid ID number ending in the check character X (GB 11643-1999), and how §10.2 masks it
CLEAR_ID = id_number(7, date(1990, 1, 1), "110105")
MASKED_ID = "110105********007X"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def payload(**overrides) -> dict:
    data = {
        "name": "马山新登记化工有限公司", "credit_code": NEW_CODE, "legal_representative": "赵六",
        "address": "济南市长清区马山镇测试路8号", "longitude": "116.561000", "latitude": "36.516000",
        "township": "370113107", "industry": "hazardous_chemicals", "scale": "medium", "employees": 120,
        "status": "operating", "supervision_grade": "C", "tags": ["mhi", "confined_space"],
        "people": [
            {"role": "principal", "name": "钱七", "phone": "13812345678", "id_number": CLEAR_ID},
            {"role": "safety_officer", "name": "孙八", "phone": "15900001111", "id_number": "",
             "certificate_number": "AQ2025001", "certificate_expiry": "2027-06-30"},
        ],
        "licences": [{"kind": "safety_production", "number": "(鲁)WH安许证字[2025]000123",
                      "issuer": "济南市应急管理局", "valid_from": "2025-01-01", "valid_to": "2028-01-01"}],
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int, int]:
    return (Enterprise.objects.count(), EnterprisePerson.objects.count(), Licence.objects.count(),
            AuditEvent.objects.count())


def wrong_check(code: str) -> tuple[str, str]:
    """The code with a wrong 18th character, and the character that is expected there."""
    wrong = "0" if code[-1] != "0" else "1"
    return code[:-1] + wrong, code[-1]


# --- list, filters, pagination ----------------------------------------------------------------------


@pytest.fixture
def registry(cast):
    """Beside the cast: enterprises differing in one attribute each, for the filters."""
    mashan = Region.objects.get(code="370113107")
    shuangquan = Region.objects.get(code="370113108")
    extra = {
        "grade_d": EnterpriseFactory(name="马山甲等级D企业", township=mashan,
                                     supervision_grade=SupervisionGrade.objects.get(code="D")),
        "suspended": EnterpriseFactory(name="双泉停产石料矿", township=shuangquan, status="suspended",
                                       industry=Industry.objects.get(code="non_coal_mines")),
        "tagged": EnterpriseFactory(name="双泉加油站", township=shuangquan),
    }
    extra["tagged"].tags.set(Tag.objects.filter(code__in=["gas_station", "mhi"]))
    return {**cast, **extra}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_the_list_shows_what_a_row_needs(registry):
    response = api_as(registry["users"]["bureau_staff"]).get(URL)
    data = response.json()
    assert data["count"] == 6
    row = next(r for r in data["results"] if r["name"] == "双泉加油站")
    assert row["township"] == "370113108" and row["township_name"] == "双泉镇"
    assert row["industry"] == "hazardous_chemicals" and row["industry_name"] == "危险化学品"
    assert row["supervision_grade"] == "B" and row["status"] == "operating"
    assert sorted(row["tags"]) == ["gas_station", "mhi"]
    assert row["credit_code"] == registry["tagged"].credit_code


@pytest.mark.parametrize("params, expected", [
    ({"township": "370113107"}, {"马山内测化工有限公司", "马山甲等级D企业"}),
    ({"township": "370113008"}, {"孝里住建工程有限公司", "孝里外部机械有限公司"}),
    ({"industry": "construction"}, {"孝里住建工程有限公司"}),
    ({"industry": "non_coal_mines"}, {"双泉停产石料矿"}),
    ({"grade": "D"}, {"马山甲等级D企业"}),
    ({"tag": "gas_station"}, {"双泉加油站"}),
    ({"status": "suspended"}, {"双泉停产石料矿"}),
    ({"q": "住建"}, {"孝里住建工程有限公司"}),
    ({"q": "双泉"}, {"双泉停产石料矿", "双泉加油站"}),
    ({"township": "370113108", "tag": "mhi"}, {"双泉加油站"}),
    ({"township": "370113108", "status": "operating"}, {"双泉加油站"}),
])
def test_each_filter(registry, params, expected):
    assert names(api_as(registry["users"]["bureau_staff"]).get(URL, params)) == expected


def test_search_by_credit_code_whole_or_by_its_start(registry):
    client = api_as(registry["users"]["leader"])
    code = registry["building"].credit_code
    assert names(client.get(URL, {"q": code})) == {"孝里住建工程有限公司"}
    assert names(client.get(URL, {"q": code.lower()})) == {"孝里住建工程有限公司"}
    assert registry["building"].name in names(client.get(URL, {"q": code[:14]}))


def test_filters_work_inside_the_scope_only(registry):
    client = api_as(registry["users"]["township_officer"])
    assert names(client.get(URL)) == {"马山内测化工有限公司", "马山甲等级D企业"}
    outside = client.get(URL, {"township": "370113008"})
    assert outside.status_code == 400 and "township" in outside.json()  # as the hazard and inspection filters
    assert names(client.get(URL, {"q": "孝里"})) == set()


def test_an_unknown_filter_value_is_a_400_naming_the_filter(registry):
    response = api_as(registry["users"]["bureau_staff"]).get(URL, {"township": "999999999"})
    assert response.status_code == 400
    assert "township" in response.json()


def test_pagination(registry):
    client = api_as(registry["users"]["bureau_admin"])
    first = client.get(URL, {"page_size": 4}).json()
    assert first["count"] == 6 and len(first["results"]) == 4 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 6
    assert ids == sorted(ids, reverse=True)
    assert client.get(URL, {"page": 9}).status_code == 404


# --- create -----------------------------------------------------------------------------------------


def test_create_answers_201_with_people_and_licences_and_writes_one_audit_event(cast):
    staff = cast["users"]["bureau_staff"]
    before = AuditEvent.objects.count()
    response = api_as(staff).post(URL, payload(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["name"] == "马山新登记化工有限公司" and data["credit_code"] == NEW_CODE
    assert data["township"] == "370113107" and data["township_name"] == "马山镇"
    assert data["supervision_grade"] == "C" and sorted(data["tags"]) == ["confined_space", "mhi"]
    assert data["source"] == "api"
    assert [(p["role"], p["name"], p["id_number"]) for p in data["people"]] == [
        ("principal", "钱七", CLEAR_ID), ("safety_officer", "孙八", "")]
    assert data["licences"][0]["number"] == "(鲁)WH安许证字[2025]000123"
    assert data["licences"][0]["state"] == "valid"

    enterprise = Enterprise.objects.get(credit_code=NEW_CODE)
    assert enterprise.people.count() == 2 and enterprise.licences.count() == 1
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.verb, event.actor, event.target_id) == ("enterprise.create", staff, str(enterprise.pk))
    assert event.changes["people"] == 2 and event.changes["fields"]["name"] == "马山新登记化工有限公司"

    detail = api_as(staff).get(f"{URL}{enterprise.pk}/").json()
    assert detail["people"] == data["people"] and detail["licences"] == data["licences"]


def test_create_normalises_a_lower_case_credit_code(cast):
    response = api_as(cast["users"]["bureau_staff"]).post(URL, payload(credit_code=NEW_CODE.lower()),
                                                        format="json")
    assert response.status_code == 201 and response.json()["credit_code"] == NEW_CODE


def test_a_township_officer_registers_in_its_township(cast):
    response = api_as(cast["users"]["township_officer"]).post(URL, payload(), format="json")
    assert response.status_code == 201


def test_a_wrong_check_character_is_a_400_naming_the_expected_one(cast):
    before = counts()
    code, expected = wrong_check(NEW_CODE)
    response = api_as(cast["users"]["bureau_staff"]).post(URL, payload(credit_code=code), format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["credit_code"])
    assert f"第18位校验码应为“{expected}”" in message
    assert counts() == before


def test_a_duplicate_credit_code_is_a_400_and_writes_nothing(cast):
    before = counts()
    response = api_as(cast["users"]["bureau_staff"]).post(
        URL, payload(credit_code=cast["outside"].credit_code), format="json")
    assert response.status_code == 400
    assert "credit_code" in response.json()
    assert "已存在" in " ".join(response.json()["credit_code"])
    assert counts() == before


def test_a_duplicate_of_an_enterprise_outside_the_scope_is_refused_too(cast):
    """Uniqueness is district-wide, even when the caller cannot see the other enterprise."""
    before = counts()
    response = api_as(cast["users"]["township_officer"]).post(
        URL, payload(credit_code=cast["outside"].credit_code), format="json")
    assert response.status_code == 400 and "credit_code" in response.json()
    assert counts() == before


def test_a_township_outside_the_jurisdiction_is_a_400_and_writes_nothing(cast):
    before = counts()
    response = api_as(cast["users"]["township_officer"]).post(URL, payload(township="370113008"), format="json")
    assert response.status_code == 400
    assert "township" in response.json()
    assert counts() == before


def test_a_department_officer_registers_only_in_its_industries(cast):
    client = api_as(cast["users"]["department_officer"])
    before = counts()
    refused = client.post(URL, payload(industry="hazardous_chemicals"), format="json")
    assert refused.status_code == 400 and "industry" in refused.json()
    assert counts() == before
    accepted = client.post(URL, payload(industry="construction", township="370113008"), format="json")
    assert accepted.status_code == 201


def test_bad_people_and_licences_are_400_and_write_nothing(cast):
    before = counts()
    bad_id = CLEAR_ID[:-1] + "1"
    response = api_as(cast["users"]["bureau_staff"]).post(URL, payload(
        people=[{"role": "principal", "name": "钱七", "phone": "12345", "id_number": bad_id}],
        licences=[{"kind": "safety_production", "number": "x", "valid_from": "2026-01-01",
                   "valid_to": "2025-01-01"}],
    ), format="json")
    assert response.status_code == 400
    text = response_text(response)
    assert "第18位校验码应为“X”" in text
    assert "11 位手机号码" in text
    assert "licences[0]" in text
    assert counts() == before


def test_missing_fields_are_named_in_chinese_by_default_and_in_english_on_request(cast):
    client = api_as(cast["users"]["bureau_staff"])
    data = payload()
    del data["name"]
    chinese = client.post(URL, data, format="json")
    assert chinese.status_code == 400
    assert chinese.json()["name"] == ["该字段是必填项。"]
    english = client.post(URL, data, format="json", headers={"accept-language": "en"})
    assert english.json()["name"] == ["This field is required."]


def test_the_township_error_follows_the_language(cast):
    client = api_as(cast["users"]["township_officer"])
    url = f"{URL}{cast['inside'].pk}/"
    chinese = client.patch(url, {"township": "370113008"}, format="json")
    english = client.patch(url, {"township": "370113008"}, format="json", headers={"accept-language": "en"})
    assert chinese.status_code == english.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", chinese.json()["township"][0])
    assert re.fullmatch(r"[\x20-\x7e]+", english.json()["township"][0])
    cast["inside"].refresh_from_db()
    assert cast["inside"].township.code == "370113107"


def test_nothing_is_written_when_the_service_refuses_late(cast, monkeypatch):
    """A failure after the enterprise row is saved rolls everything back, the audit event included."""
    from shouye.enterprises import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "record", broken)
    before = counts()
    client = api_as(cast["users"]["bureau_staff"])
    client.raise_request_exception = False
    response = client.post(URL, payload(), format="json")
    assert response.status_code == 500
    assert counts() == before


# --- update -----------------------------------------------------------------------------------------


def test_patch_changes_only_what_is_given_and_is_audited(cast):
    enterprise = cast["inside"]
    PersonFactory(enterprise=enterprise, name="原安全员")
    client = api_as(cast["users"]["township_officer"])
    response = client.patch(f"{URL}{enterprise.pk}/", {"name": "马山内测化工（更名）有限公司", "employees": 77},
                            format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "马山内测化工（更名）有限公司"
    assert [p["name"] for p in response.json()["people"]] == ["原安全员"]
    enterprise.refresh_from_db()
    assert enterprise.employees == 77 and enterprise.legal_representative == "张三"
    event = AuditEvent.objects.latest("id")
    assert event.verb == "enterprise.update" and event.target_id == str(enterprise.pk)
    assert event.changes["fields"] == {"name": ["马山内测化工有限公司", "马山内测化工（更名）有限公司"],
                                       "employees": ["0", "77"]}


def test_put_replaces_the_enterprise_with_its_people_and_licences(cast):
    enterprise = cast["inside"]
    PersonFactory(enterprise=enterprise, name="原安全员")
    data = payload(credit_code=enterprise.credit_code, people=[{"role": "principal", "name": "新负责人"}],
                   licences=[])
    response = api_as(cast["users"]["bureau_admin"]).put(f"{URL}{enterprise.pk}/", data, format="json")
    assert response.status_code == 200, response.json()
    assert [p["name"] for p in response.json()["people"]] == ["新负责人"]
    assert response.json()["licences"] == []
    assert enterprise.people.get().name == "新负责人"
    assert Enterprise.objects.get(pk=enterprise.pk).supervision_grade.code == "C"


def test_put_with_another_enterprises_credit_code_is_refused(cast):
    enterprise = cast["inside"]
    before = counts()
    response = api_as(cast["users"]["bureau_admin"]).put(
        f"{URL}{enterprise.pk}/", payload(credit_code=cast["outside"].credit_code), format="json")
    assert response.status_code == 400 and "credit_code" in response.json()
    assert counts() == before
    enterprise.refresh_from_db()
    assert enterprise.name == "马山内测化工有限公司"


def test_the_enterprise_user_updates_its_own_enterprise(cast):
    response = api_as(cast["users"]["enterprise_user"]).patch(
        f"{URL}{cast['inside'].pk}/", {"address": "济南市长清区马山镇新址9号"}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["leader", "expert"])
def test_reading_roles_change_nothing(cast, role):
    client = api_as(cast["users"][role])
    before = counts()
    assert client.get(f"{URL}{cast['inside'].pk}/").status_code == 200
    assert client.post(URL, payload(), format="json").status_code == 403
    assert client.patch(f"{URL}{cast['inside'].pk}/", {"name": "改名"}, format="json").status_code == 403
    assert client.put(f"{URL}{cast['inside'].pk}/", payload(credit_code=cast["inside"].credit_code),
                      format="json").status_code == 403
    assert counts() == before
    cast["inside"].refresh_from_db()
    assert cast["inside"].name == "马山内测化工有限公司"


def test_the_leader_reads_the_whole_district(cast):
    client = api_as(cast["users"]["leader"])
    assert client.get(URL).json()["count"] == 3
    assert client.get(f"{URL}{cast['outside'].pk}/").status_code == 200


def test_the_leaders_403_message_is_translated(cast):
    response = api_as(cast["users"]["leader"]).post(URL, payload(), format="json")
    assert response.json() == {"detail": "您没有执行该操作的权限。"}


def test_enterprises_cannot_be_deleted_through_the_api(cast):
    response = api_as(cast["users"]["bureau_admin"]).delete(f"{URL}{cast['inside'].pk}/")
    assert response.status_code in (403, 405)
    assert Enterprise.objects.filter(pk=cast["inside"].pk).exists()


@pytest.mark.parametrize("role, key", [
    ("township_officer", "outside"), ("township_officer", "building"),
    ("department_officer", "inside"), ("enterprise_user", "outside"), ("expert", "building"),
])
def test_out_of_scope_enterprises_answer_404_to_read_and_write(cast, role, key):
    client = api_as(cast["users"][role])
    target = cast[key]
    before = counts()
    assert client.get(f"{URL}{target.pk}/").status_code == 404
    assert client.patch(f"{URL}{target.pk}/", {"name": "越权"}, format="json").status_code in (403, 404)
    assert client.get(f"{URL}{target.pk + 10_000}/").status_code == 404
    assert counts() == before
    assert target.name not in response_text(client.get(URL))


# --- personal data ----------------------------------------------------------------------------------


@pytest.fixture
def people(cast):
    """A principal of the 马山镇 enterprise and of the 住建 one, with an ID number ending in X."""
    for key in ("inside", "building"):
        PersonFactory(enterprise=cast[key], role="principal", name="周九", phone="13812345678",
                      id_number=CLEAR_ID)
    return cast


@pytest.mark.parametrize("role, key, masked", [
    ("leader", "inside", True), ("township_officer", "inside", True), ("department_officer", "building", True),
    ("expert", "inside", True), ("bureau_staff", "inside", False), ("bureau_admin", "building", False),
    ("enterprise_user", "inside", False),
])
def test_id_numbers_and_phones_are_masked_for_roles_that_do_not_need_them(people, role, key, masked):
    client = api_as(people["users"][role])
    person = client.get(f"{URL}{people[key].pk}/").json()["people"][0]
    if masked:
        assert (person["id_number"], person["phone"]) == (MASKED_ID, "138****5678")
    else:
        assert (person["id_number"], person["phone"]) == (CLEAR_ID, "13812345678")


@pytest.mark.parametrize("role, masked", [("leader", True), ("bureau_staff", False)])
def test_the_export_masks_phones_the_same_way(people, role, masked):
    text = response_text(api_as(people["users"][role]).get(f"{URL}export/"))
    assert ("138****5678" in text) is masked
    assert ("13812345678" in text) is not masked
    assert CLEAR_ID not in text


# --- tags belong to the bureau (issue 9) ---------------------------------------------------------------------


def tag_codes(enterprise) -> list[str]:
    return sorted(enterprise.tags.values_list("code", flat=True))


@pytest.mark.parametrize("tags", [["mhi", "combustible_dust"], [], ["combustible_dust"]])
def test_the_enterprise_user_cannot_add_or_remove_its_tags(cast, tags):
    enterprise = cast["inside"]
    enterprise.tags.set([Tag.objects.get(code="mhi")])
    before = counts()
    client = api_as(cast["users"]["enterprise_user"])
    response = client.patch(f"{URL}{enterprise.pk}/", {"tags": tags, "address": "新址"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"tags": ["只有监管部门可以修改此项。"]}
    put = client.put(f"{URL}{enterprise.pk}/", payload(credit_code=enterprise.credit_code, township="370113107",
                                                      industry="hazardous_chemicals", supervision_grade="B",
                                                      tags=tags), format="json")
    assert put.status_code == 400 and list(put.json()) == ["tags"]
    assert tag_codes(enterprise) == ["mhi"]
    assert Enterprise.objects.get(pk=enterprise.pk).address == enterprise.address
    assert counts() == before


def test_the_enterprise_user_may_send_its_tags_unchanged(cast):
    enterprise = cast["inside"]
    enterprise.tags.set([Tag.objects.get(code="mhi")])
    response = api_as(cast["users"]["enterprise_user"]).patch(
        f"{URL}{enterprise.pk}/", {"tags": ["mhi"], "address": "新址"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["mhi"] and response.json()["address"] == "新址"


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer"])
def test_the_supervising_authorities_still_change_the_tags(cast, role):
    enterprise = cast["inside"]
    response = api_as(cast["users"][role]).patch(
        f"{URL}{enterprise.pk}/", {"tags": ["mhi", "combustible_dust"]}, format="json")
    assert response.status_code == 200, response.json()
    assert tag_codes(enterprise) == ["combustible_dust", "mhi"]
