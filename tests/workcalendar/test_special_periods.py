"""Special periods (REGULATIONS-2 §C.4): the bureau declares them with per-kind rules; everyone reads them; a
period applies to an enterprise by township and industry. Through the API and the pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.enterprises.models import Industry
from shouye.workcalendar import selectors
from shouye.workcalendar.models import SpecialPeriod
from tests.conftest import api_as

URL = "/api/v1/special-periods/"


def _body(**overrides):
    today = timezone.localdate()
    body = {"name": "2027年春节", "kind": "holiday", "starts_on": (today + timedelta(days=10)).isoformat(),
            "ends_on": (today + timedelta(days=17)).isoformat(), "notice": "动火作业升级管理并报备",
            "rules": [{"permit_kind": "hot_work", "action": "raise_grade"},
                      {"permit_kind": "hot_work", "action": "require_filing", "filing_hours_before": 24},
                      {"permit_kind": "confined_space", "action": "prohibit"}]}
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_the_bureau_declares_a_period_and_everyone_reads_it(cast, mashan):
    answer = api_as(cast["users"]["bureau_staff"]).post(URL, _body(townships=[mashan.code]), format="json")
    assert answer.status_code == 201, answer.json()
    period = answer.json()
    assert period["townships"] == [mashan.code] and period["industries"] == []
    assert {(r["permit_kind"], r["action"], r["filing_hours_before"]) for r in period["rules"]} == {
        ("hot_work", "raise_grade", None), ("hot_work", "require_filing", 24), ("confined_space", "prohibit", None)}
    assert AuditEvent.objects.filter(verb="workcalendar.declare_special_period").count() == 1
    listed = api_as(cast["users"]["enterprise_user"]).get(URL)
    assert listed.status_code == 200
    assert [row["name"] for row in listed.json()["results"]] == ["2027年春节"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["enterprise_user", "township_officer", "department_officer", "expert"])
def test_only_the_bureau_declares(cast, role):
    answer = api_as(cast["users"][role]).post(URL, _body(), format="json")
    assert answer.status_code == 403
    assert not SpecialPeriod.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"ends_on": "2026-01-01", "starts_on": "2026-01-05"}, "ends_on", "不能早于"),
    ({"name": "  "}, "name", "空"),
    ({"rules": [{"permit_kind": "hot_work", "action": "prohibit"},
                {"permit_kind": "hot_work", "action": "raise_grade"}]}, "rules[1]", "禁止"),
    ({"rules": [{"permit_kind": "lifting", "action": "require_filing"}]}, "rules[0]", "小时"),
    ({"rules": [{"permit_kind": "lifting", "action": "prohibit", "filing_hours_before": 3}]}, "rules[0]", "报备"),
])
def test_a_refused_declaration_says_what_to_fix_and_writes_nothing(cast, overrides, field, words):
    answer = api_as(cast["users"]["bureau_staff"]).post(URL, _body(**overrides), format="json")
    assert answer.status_code == 400
    assert words in " ".join(answer.json()[field])
    assert not SpecialPeriod.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="workcalendar.").exists()


@pytest.mark.django_db
def test_a_period_is_changed_then_cancelled_and_kept(cast):
    client = api_as(cast["users"]["bureau_admin"])
    period = client.post(URL, _body(), format="json").json()
    changed = client.put(f"{URL}{period['id']}/", _body(name="2027年春节（调整）", rules=[]), format="json")
    assert changed.status_code == 200 and changed.json()["rules"] == []
    assert client.post(f"{URL}{period['id']}/cancel/", {"reason": ""}, format="json").status_code == 400
    cancelled = client.post(f"{URL}{period['id']}/cancel/", {"reason": "活动取消"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["is_cancelled"]
    again = client.put(f"{URL}{period['id']}/", _body(), format="json")
    assert again.status_code == 400
    assert client.get(URL).json()["count"] == 0
    assert client.get(URL, {"include_cancelled": "true"}).json()["count"] == 1
    assert list(AuditEvent.objects.filter(verb__startswith="workcalendar.").values_list("verb", flat=True)
                .order_by("id")) == ["workcalendar.declare_special_period", "workcalendar.update_special_period",
                                     "workcalendar.cancel_special_period"]


@pytest.mark.django_db
def test_which_enterprises_a_period_applies_to(cast, mashan):
    first, last = date(2027, 2, 1), date(2027, 2, 10)
    chemicals = cast["inside"].industry
    actor = cast["users"]["bureau_staff"]
    client = api_as(actor)

    def declare(name, **scope):
        answer = client.post(URL, _body(name=name, starts_on=first.isoformat(), ends_on=last.isoformat(), **scope),
                             format="json")
        assert answer.status_code == 201, answer.json()

    declare("全区")
    declare("马山镇", townships=[mashan.code])
    declare("马山镇危化", townships=[mashan.code], industries=[chemicals.code])
    declare("建筑业", industries=[Industry.objects.get(code="construction").code])
    names = lambda enterprise: {p.name for p in selectors.special_periods_for(enterprise, first, last)}  # noqa: E731
    assert names(cast["inside"]) == {"全区", "马山镇", "马山镇危化"}
    assert names(cast["building"]) == {"全区", "建筑业"}
    assert names(cast["outside"]) == {"全区"}
    assert selectors.special_periods_for(cast["inside"], last + timedelta(days=1), last + timedelta(days=5)) == []
    assert client.get(URL, {"in_force_on": "2027-02-10"}).json()["count"] == 4
    assert client.get(URL, {"in_force_on": "2027-02-11"}).json()["count"] == 0


@pytest.mark.django_db
def test_the_page_declares_a_period_with_its_rule_grid(cast, signed_in):
    today = timezone.localdate()
    page = signed_in("bureau_staff")
    form = page.get(reverse("workcalendar:period-add"))
    assert form.status_code == 200 and "动火作业" in form.content.decode()
    answer = page.post(reverse("workcalendar:period-add"), {
        "name": "全国两会", "kind": "meeting", "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=12)).isoformat(), "hot_work_raise": "on",
        "hot_work_filing_hours": "48", "lifting_prohibit": "on"})
    assert answer.status_code == 302
    period = SpecialPeriod.objects.get()
    assert {(r.permit_kind, r.action, r.filing_hours_before) for r in period.rules.all()} == {
        ("hot_work", "raise_grade", None), ("hot_work", "require_filing", 48), ("lifting", "prohibit", None)}
    detail = signed_in("enterprise_user").get(answer["Location"]).content.decode()
    assert "全国两会" in detail and "全区" in detail and "48" in detail
    refused = page.post(reverse("workcalendar:period-add"), {
        "name": "两会", "kind": "meeting", "starts_on": today.isoformat(), "ends_on": today.isoformat(),
        "lifting_prohibit": "on", "lifting_raise": "on"})
    assert refused.status_code == 400 and "禁止" in refused.content.decode()
    assert SpecialPeriod.objects.count() == 1
    assert signed_in("enterprise_user").get(reverse("workcalendar:period-add")).status_code == 403


@pytest.mark.django_db
def test_a_patch_changes_only_what_it_sends(cast, mashan):
    client = api_as(cast["users"]["bureau_staff"])
    period = client.post(URL, _body(townships=[mashan.code]), format="json").json()
    changed = client.patch(f"{URL}{period['id']}/", {"notice": "全部动火作业报备"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["notice"] == "全部动火作业报备"
    assert changed.json()["townships"] == [mashan.code] and len(changed.json()["rules"]) == 3
    assert client.delete(f"{URL}{period['id']}/").status_code == 405
