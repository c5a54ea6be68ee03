"""The tip-off from the public form to its end (issue 10): a random receipt code and the public status page
behind it (rate-limited, showing nothing private), triage of a place that is no registered enterprise by
sending it to the township, the township officer's check on site, and the enterprise picker limited to the
tip-off's township."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shouye.audit.models import AuditEvent
from shouye.core.registry import todo_providers
from shouye.hazards.choices import HazardSource, HazardState, TipOffState
from shouye.hazards.models import RECEIPT_ALPHABET, RECEIPT_LENGTH, Hazard, TipOff
from shouye.hazards.services import tipoffs as tipoff_services
from shouye.notifications.models import Notification
from tests.conftest import api_as
from tests.factories import EnterpriseFactory, UserFactory, member

from .conftest import snapshot

pytestmark = pytest.mark.django_db

REPORTER = {"reporter_name": "甄隐名", "reporter_phone": "13700135799"}
WORDS = "我住隔壁，看见夜里偷偷灌装液化气"
#: A place that is no registered enterprise: a back-street gas-refill shop in 马山镇.
TIP = {"enterprise_name": "马山镇无名液化气充装点", "township": "370113107", "address": "马山镇104国道旁第三间平房",
       "description": WORDS, **REPORTER}
CHECK_REQUEST = "请核查该平房是否存在无证充装液化气钢瓶"
OFFICER_WORDS = "液化气钢瓶违规充装，现场无人监护"
STATUS = "/tip-off/status/"
#: The township's list of tip-offs to check: session, user, memberships and scope, the page's rows, their
#: count, the waiting count, the navigation — whatever the number of rows (10 measured with 8 rows).
QUERIES_PER_LIST = 10
CODE = re.compile(rf"^[{RECEIPT_ALPHABET}]{{4}}-[{RECEIPT_ALPHABET}]{{4}}-[{RECEIPT_ALPHABET}]{{4}}$")


@pytest.fixture(autouse=True)
def _many_tip_offs(settings):
    """These tests send more tip-offs from one address than the public form's hourly limit allows."""
    settings.SHOUYE_TIPOFF_RATE_PER_HOUR = 100


@pytest.fixture
def staff(cast):
    user = cast["users"]["bureau_staff"]
    user.display_name = "应急局刘科员"
    user.save(update_fields=["display_name"])
    return user


@pytest.fixture
def officer(cast):
    user = cast["users"]["township_officer"]
    user.display_name = "马山镇王干事"
    user.save(update_fields=["display_name"])
    return user


@pytest.fixture
def xiaoli_officer(cast):
    user = UserFactory(username="xiaoli_officer")
    member(user, "township_officer", region=cast["building"].township)
    return user


def send_tip_off(client=None, **extra) -> tuple[TipOff, str]:
    """A tip-off through the public form; returns it and the receipt code the thanks page shows."""
    client = client or APIClient()
    response = client.post("/tip-off/", {**TIP, **extra}, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 302, response.content
    thanks = client.get(response["Location"]).content.decode()
    code = re.search(r'data-testid="receipt-code">([^<]+)<', thanks).group(1)
    return TipOff.objects.get(receipt_code=code.replace("-", "")), code


def status_page(code: str, ip: str = "198.51.100.1"):
    return APIClient().post(STATUS, {"code": code}, REMOTE_ADDR=ip)


def send_to_township(user, tip_off, **data):
    body = {"township": "370113107", "address": TIP["address"], "check_request": CHECK_REQUEST, **data}
    return api_as(user).post(f"/api/v1/tip-offs/{tip_off.pk}/send/", body, format="json")


# --- the receipt code --------------------------------------------------------------------------------------


def test_the_receipt_is_a_random_code_not_the_id(cast):
    tip_off, code = send_tip_off()
    assert CODE.match(code), code
    assert str(tip_off.pk) not in code.split("-")
    others = {send_tip_off()[1] for _ in range(4)}
    assert len(others | {code}) == 5
    api = APIClient().post("/api/v1/tip-offs/", TIP, format="multipart", REMOTE_ADDR="203.0.113.51").json()
    assert "id" not in api and CODE.match(api["receipt_code"])
    assert len(TipOff.objects.values_list("receipt_code", flat=True).get(pk=tip_off.pk)) == RECEIPT_LENGTH


def test_the_thanks_page_leads_to_the_status_page(cast, client):
    client.post("/tip-off/", TIP)
    page = client.get("/tip-off/thanks/").content.decode()
    assert "回执码" in page and f'href="{STATUS}"' in page


# --- the public status page --------------------------------------------------------------------------------


def secrets_shown(text: str, *extra: str) -> list[str]:
    marks = (REPORTER["reporter_name"], REPORTER["reporter_phone"], WORDS, "应急局刘科员", "马山镇王干事",
             "staff-only reason", *extra)
    return [mark for mark in marks if mark in text]


def test_the_status_page_follows_the_tip_off_and_shows_nothing_private(cast, staff, officer):
    tip_off, code = send_tip_off()
    assert APIClient().get(STATUS).status_code == 200

    def state_shown(typed: str = code) -> str:
        response = status_page(typed)
        assert response.status_code == 200, response.content
        text = response.content.decode()
        assert secrets_shown(text, CHECK_REQUEST, OFFICER_WORDS, cast["inside"].name,
                             cast["inside"].credit_code) == []
        return re.search(r'data-testid="tip-off-status-label">([^<]+)<', text).group(1)

    assert state_shown() == "已受理"
    assert state_shown(code.lower().replace("-", " ")) == "已受理", "case, spaces and dashes do not matter"
    assert send_to_township(staff, tip_off).status_code == 200
    assert state_shown() == "核查中"
    client = APIClient()
    client.force_login(officer)
    response = client.post(reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk}), {
        "found": "1", "enterprise": cast["inside"].pk, "level": "ordinary", "description": OFFICER_WORDS})
    assert response.status_code == 302, response.content
    assert state_shown() == "已转为隐患并处理中"
    Hazard.objects.filter(pk=TipOff.objects.get(pk=tip_off.pk).hazard_id).update(state=HazardState.CLOSED)
    assert state_shown() == "已整改"


def test_a_dismissed_tip_off_shows_the_reply_to_the_sender_only(cast, staff):
    tip_off, code = send_tip_off()
    response = api_as(staff).post(f"/api/v1/tip-offs/{tip_off.pk}/triage/", {
        "accept": False, "dismiss_reason": "staff-only reason", "public_reason": "经核实该处为正常经营的便利店"},
        format="json")
    assert response.status_code == 200, response.content
    page = status_page(code).content.decode()
    assert "不予受理" in page and "经核实该处为正常经营的便利店" in page
    assert secrets_shown(page) == []


def test_a_wrong_code_is_told_clearly_and_changes_nothing(cast):
    send_tip_off()
    before = snapshot()
    for wrong in ("ABCD-EFGH-JKMN", "12", ""):
        response = status_page(wrong)
        assert response.status_code in (400, 404)
        assert 'data-testid="tip-off-status-label"' not in response.content.decode()
    assert "没有与此回执码对应的举报" in status_page("ABCD-EFGH-JKMN").content.decode()
    assert snapshot() == before


def test_guessing_codes_is_stopped_per_address(cast, monkeypatch):
    """After STATUS_MISSES_PER_HOUR wrong codes an address is refused (429) whatever it tries, its right code
    included, until the hour ends; another address is not affected."""
    monkeypatch.setattr(tipoff_services, "STATUS_MISSES_PER_HOUR", 3)
    _tip_off, code = send_tip_off()
    for number in range(3):
        assert status_page(f"ZZZZ-ZZZZ-ZZZ{RECEIPT_ALPHABET[number]}", ip="198.51.100.9").status_code == 404
    refused = status_page(code, ip="198.51.100.9")
    assert refused.status_code == 429
    assert "次数过多" in refused.content.decode() and 'data-testid="tip-off-status-label"' not in refused.content.decode()
    assert status_page(code, ip="198.51.100.10").status_code == 200


# --- triage: no registered enterprise, the township's check ------------------------------------------------


def test_the_triage_page_marks_what_each_way_requires_and_offers_the_townships_enterprises(cast, staff, client):
    neighbour = EnterpriseFactory(name="马山邻近加油站", township=cast["inside"].township)
    tip_off, _code = send_tip_off()
    client.force_login(staff)
    response = client.get(reverse("hazards:tip-off", kwargs={"pk": tip_off.pk}))
    page = response.content.decode()
    form = response.context["form"]
    offered = {enterprise.pk for enterprise in form.fields["enterprise"].queryset}
    assert offered == {cast["inside"].pk, neighbour.pk}, "only 马山镇's enterprises"
    for field in ("id_enterprise", "id_description", "id_dismiss_reason", "id_send-township",
                  "id_send-check_request"):
        label = re.search(rf'<label class="form-label" for="{field}">(.*?)</label>', page, re.S)
        assert label and 'class="text-danger"' in label.group(1), field
        assert re.search(rf'id="{field}"[^>]*required|required[^>]*id="{field}"', page), field
    assert page.count('id="id_enterprise"') == 1 and page.count('id="id_send-enterprise"') == 1


def test_staff_send_a_place_without_enterprise_to_the_township_which_is_told(cast, staff, officer,
                                                                            django_capture_on_commit_callbacks):
    tip_off, _code = send_tip_off()
    with django_capture_on_commit_callbacks(execute=True):
        response = send_to_township(staff, tip_off)
    assert response.status_code == 200, response.content
    tip_off.refresh_from_db()
    assert (tip_off.state, tip_off.enterprise, tip_off.sent_by) == (TipOffState.CHECKING, None, staff)
    note = Notification.objects.get(recipient=officer, verb="tipoff.send")
    assert note.link == reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk})
    assert note.body == CHECK_REQUEST and secrets_shown(note.title + note.body) == []
    assert AuditEvent.objects.filter(verb="tipoff.send", target_id=str(tip_off.pk)).count() == 1


@pytest.mark.parametrize("body, field", [
    ({"address": ""}, "address"),
    ({"check_request": "  "}, "check_request"),
    ({"township": "370113008"}, "township"),
])
def test_sending_is_refused_without_what_the_township_needs(cast, staff, body, field):
    """No address and no enterprise (the officer could not find the place), no request in the staff's words,
    or a township without an officer to read it: 400 naming the field, nothing changed."""
    tip_off, _code = send_tip_off(address="")
    before = snapshot()
    response = send_to_township(staff, tip_off, **body)
    assert response.status_code == 400 and field in response.json(), response.content
    assert snapshot() == before


def test_sending_on_the_page_then_the_officer_checks_and_finds_a_hazard(cast, staff, officer, client,
                                                                      django_capture_on_commit_callbacks):
    tip_off, _code = send_tip_off()
    client.force_login(staff)
    response = client.post(reverse("hazards:tip-off-send", kwargs={"pk": tip_off.pk}), {
        "send-township": "370113107", "send-enterprise": "", "send-address": TIP["address"],
        "send-check_request": CHECK_REQUEST})
    assert response.status_code == 302 and response["Location"] == reverse("hazards:tip-offs")
    client.force_login(officer)
    assert todo_providers.providers["hazards.tip-offs-to-check"].count(officer) == 1
    listing = client.get(reverse("hazards:tip-off-checks")).content.decode()
    assert TIP["enterprise_name"] in listing and CHECK_REQUEST in listing
    page = client.get(reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk})).content.decode()
    assert CHECK_REQUEST in page and TIP["address"] in page
    assert [mark for mark in (*REPORTER.values(), WORDS) if mark in page] == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk}), {
            "found": "1", "enterprise": cast["inside"].pk, "level": "ordinary", "description": OFFICER_WORDS,
            "location": "充装间"})
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hazards/{hazard.pk}/"
    assert (hazard.enterprise, hazard.source, hazard.found_by, hazard.description) == \
        (cast["inside"], HazardSource.TIP_OFF, officer, OFFICER_WORDS)
    tip_off.refresh_from_db()
    assert (tip_off.state, tip_off.hazard, tip_off.checked_by) == (TipOffState.ACCEPTED, hazard, officer)
    assert Notification.objects.filter(recipient=staff, verb="tipoff.check").exists()
    assert AuditEvent.objects.filter(verb="tipoff.check", target_id=str(tip_off.pk)).count() == 1
    assert todo_providers.providers["hazards.tip-offs-to-check"].count(officer) == 0


def test_the_officer_closes_a_tip_off_with_nothing_to_take_up(cast, staff, officer, client):
    tip_off, code = send_tip_off()
    send_to_township(staff, tip_off)
    client.force_login(officer)
    url = reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk})
    before = snapshot()
    refused = client.post(url, {"found": "0", "check_result": ""})
    assert refused.status_code == 400 and "check_result" in refused.context["form"].errors
    refused = client.post(url, {"found": "1", "enterprise": "", "level": "ordinary", "description": ""})
    assert refused.status_code == 400
    assert {"enterprise", "description"} <= set(refused.context["form"].errors)
    assert snapshot() == before
    response = client.post(url, {"found": "0", "check_result": "现场为居民自用，无经营行为",
                                 "public_reply": "", "public_reason": "经现场核查，未发现所反映的问题"})
    assert response.status_code == 302
    tip_off.refresh_from_db()
    assert (tip_off.state, tip_off.dismiss_reason) == (TipOffState.DISMISSED, "现场为居民自用，无经营行为")
    page = status_page(code).content.decode()
    assert "不予受理" in page and "经现场核查，未发现所反映的问题" in page and "居民自用" not in page
    assert client.post(url, {"found": "0", "check_result": "again"}).status_code == 409


def test_the_officer_registers_the_place_then_links_it(cast, staff, officer, client):
    """The check page links to the enterprise form filled with the place's name, address and township; the
    enterprise registered there is then offered as the tip-off's enterprise."""
    tip_off, _code = send_tip_off()
    send_to_township(staff, tip_off)
    client.force_login(officer)
    page = client.get(reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk})).content.decode()
    link = re.search(r'href="(/enterprises/[^"]*\?name=[^"]+)"', page)
    assert link, "a link to register the place"
    form = client.get(link.group(1).replace("&amp;", "&")).context["form"]
    assert form.initial["name"] == TIP["enterprise_name"] and form.initial["address"] == TIP["address"]
    assert form.initial["township"] == cast["inside"].township.pk
    registered = EnterpriseFactory(name=TIP["enterprise_name"], township=cast["inside"].township)
    check_form = client.get(reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk})).context["form"]
    assert registered in check_form.fields["enterprise"].queryset
    assert cast["building"] not in check_form.fields["enterprise"].queryset


def test_another_townships_officer_finds_nothing(cast, staff, xiaoli_officer, client):
    tip_off, _code = send_tip_off()
    send_to_township(staff, tip_off)
    client.force_login(xiaoli_officer)
    url = reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk})
    before = snapshot()
    assert client.get(url).status_code == 404
    assert client.post(url, {"found": "0", "check_result": "越权"}).status_code == 404
    assert TIP["enterprise_name"] not in client.get(reverse("hazards:tip-off-checks")).content.decode()
    assert todo_providers.providers["hazards.tip-offs-to-check"].count(xiaoli_officer) == 0
    assert snapshot() == before


def test_a_tip_off_not_sent_is_not_the_townships(cast, officer, client):
    """The township sees the tip-offs sent to it, not every tip-off about a place in it."""
    tip_off, _code = send_tip_off()
    client.force_login(officer)
    assert client.get(reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk})).status_code == 404
    assert client.get(reverse("hazards:tip-off", kwargs={"pk": tip_off.pk})).status_code == 403


def test_the_check_list_and_the_to_do_read_in_constant_queries(cast, staff, officer, client,
                                                             django_assert_max_num_queries):
    for _ in range(3):
        send_to_township(staff, send_tip_off()[0])
    provider = todo_providers.providers["hazards.tip-offs-to-check"]
    client.force_login(officer)
    with django_assert_max_num_queries(2):
        items = provider.items(officer, 5)
    assert len(items) == 3 and all(item.url.startswith("/hazards/tip-offs/checks/") for item in items)
    for _ in range(5):
        send_to_township(staff, send_tip_off()[0])
    with django_assert_max_num_queries(QUERIES_PER_LIST):
        page = client.get(reverse("hazards:tip-off-checks")).content.decode()
    assert page.count('href="/hazards/tip-offs/checks/') == 8


# --- the tip-offs already received -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tip_offs_already_received_get_each_their_own_code():
    """Migration 0012 gives every tip-off received before the code existed a random code of its own (a default
    on the new column would have given them all the same one, and 0013's uniqueness would fail). Its function
    runs on a table of the tip-offs as migration 0011 left them (the code nullable, not yet unique), made beside
    the real one: migrating the whole project back to 0011 and forward again would take a minute and a half."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("shouye.hazards.migrations.0012_tipoff_receipt_codes_for_existing")
    state = MigrationExecutor(connection).loader.project_state(
        ("hazards", "0011_tipoff_receipt_code_and_township_check"))
    before = state.models["hazards", "tipoff"]
    before.options.update(db_table="hazards_tipoff_before_0012", indexes=[], constraints=[])  # names are unique
    old = state.apps.get_model("hazards", "TipOff")
    with connection.schema_editor() as editor:
        editor.create_model(old)
    try:
        pks = [old.objects.create(enterprise_name=f"旧举报{n}", description="旧举报").pk for n in range(3)]
        assert set(old.objects.values_list("receipt_code", flat=True)) == {None}
        migration.give_receipt_codes(state.apps, None)
        codes = list(old.objects.filter(pk__in=pks).values_list("receipt_code", flat=True))
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(old)
    assert len(set(codes)) == 3 and all(CODE.match(f"{c[:4]}-{c[4:8]}-{c[8:]}") for c in codes)
