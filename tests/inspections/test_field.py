"""Field-ready inspections (issue 10): each item saved as it is entered (a non-compliant item needs its
finding; a refused save changes nothing), "all remaining compliant" in one act, the enterprise picked by
searching within the user's scope (a bounded number of queries, at most 20 matches), the checklist of the
enterprise's industry proposed, and inspectors offered from the user's own township or bureau with their
enforcement certificate numbers."""

import pytest
from django.utils import translation

from shouye.audit.models import AuditEvent
from shouye.inspections.models import Checklist, InspectionItem
from shouye.regions.models import Region
from tests.conftest import api_as
from tests.factories import EnterpriseFactory, UserFactory, member
from tests.inspections.helpers import finished, start

pytestmark = pytest.mark.django_db

URL = "/api/v1/inspections/{}/item/"
REMAINING = "/api/v1/inspections/{}/remaining-compliant/"
SEARCH = "/inspections/new/enterprises/"


def items_of(inspection):
    return list(inspection.items.order_by("order"))


def snapshot(inspection):
    return ([(i.result, i.finding, i.location) for i in items_of(inspection)],
            AuditEvent.objects.filter(verb="inspection.record").count())


# --- saving one item ---------------------------------------------------------------------------------------


def test_one_item_is_saved_as_it_is_entered_with_the_progress(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    first, second = items_of(inspection)[:2]
    client = api_as(staff)
    response = client.post(URL.format(inspection.pk), {"item": first.pk, "result": "compliant"}, format="json")
    assert response.status_code == 200, response.json()
    total = inspection.items.count()
    assert response.json()["progress"] == {"checked": 1, "total": total}
    response = client.post(URL.format(inspection.pk), {"item": second.pk, "result": "non_compliant",
                                                        "finding": "  加油机防爆挠性管破损 ", "location": "2号加油岛"},
                           format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["item"]["result"] == "non_compliant" and body["item"]["finding"] == "加油机防爆挠性管破损"
    assert body["progress"] == {"checked": 2, "total": total}
    # Only the location changes; the result and the finding stay as they were.
    response = client.post(URL.format(inspection.pk), {"item": second.pk, "location": "3号加油岛"}, format="json")
    second.refresh_from_db()
    assert (second.result, second.finding, second.location) == ("non_compliant", "加油机防爆挠性管破损", "3号加油岛")
    assert AuditEvent.objects.filter(verb="inspection.record").count() == 3


def test_a_non_compliant_item_without_a_finding_is_refused_and_nothing_changes(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    item = items_of(inspection)[3]
    before = snapshot(inspection)
    client = api_as(staff)
    with translation.override("zh-hans"):
        response = client.post(URL.format(inspection.pk), {"item": item.pk, "result": "non_compliant",
                                                            "finding": "   ", "location": "罐区"},
                               format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert response.json()["finding"] == ["第 4 项不符合：请填写发现的问题。"]
    assert snapshot(inspection) == before
    # Compliant first, then non-compliant without ever giving a finding: refused as well.
    client.post(URL.format(inspection.pk), {"item": item.pk, "result": "compliant"}, format="json")
    response = client.post(URL.format(inspection.pk), {"item": item.pk, "result": "non_compliant"}, format="json")
    assert response.status_code == 400 and "finding" in response.json()
    item.refresh_from_db()
    assert item.result == "compliant"


@pytest.mark.parametrize("body", [
    {"result": "compliant"},                              # no item
    {"item": 10**6, "result": "compliant"},               # not this inspection's
    {"item": "ITEM", "result": "compliant"},
    {"item": "FIRST", "result": "maybe"},                 # no such result
    {"item": "FIRST", "location": "x" * 201},
])
def test_refused_input_changes_nothing(cast, body):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    other = start(staff, cast["inside"])
    ids = {"ITEM": items_of(other)[0].pk, "FIRST": items_of(inspection)[0].pk}
    body = {key: ids.get(value, value) if isinstance(value, str) else value for key, value in body.items()}
    before = snapshot(inspection), snapshot(other)
    response = api_as(staff).post(URL.format(inspection.pk), body, format="json")
    assert response.status_code == 400, response.json()
    assert (snapshot(inspection), snapshot(other)) == before


def test_saving_an_item_keeps_to_scope_role_and_state(cast):
    staff = cast["users"]["bureau_staff"]
    theirs = start(staff, cast["outside"])                      # 孝里街道: not the 马山镇 officer's
    item = items_of(theirs)[0]
    before = snapshot(theirs)
    officer = api_as(cast["users"]["township_officer"])
    assert officer.post(URL.format(theirs.pk), {"item": item.pk, "result": "compliant"},
                        format="json").status_code == 404
    assert officer.post(REMAINING.format(theirs.pk), {}, format="json").status_code == 404
    assert api_as(cast["users"]["leader"]).post(URL.format(theirs.pk), {"item": item.pk, "result": "compliant"},
                                                format="json").status_code == 403
    assert snapshot(theirs) == before
    done = finished(staff, cast["inside"])
    response = api_as(staff).post(URL.format(done.pk), {"item": items_of(done)[0].pk, "result": "compliant"},
                                  format="json")
    assert response.status_code == 409
    assert api_as(staff).post(REMAINING.format(done.pk), {}, format="json").status_code == 409


def test_the_township_officer_saves_items_of_its_own_township(cast):
    officer = cast["users"]["township_officer"]
    inspection = start(officer, cast["inside"])
    response = api_as(officer).post(URL.format(inspection.pk), {"item": items_of(inspection)[0].pk,
                                                                "result": "not_applicable"}, format="json")
    assert response.status_code == 200 and response.json()["item"]["result"] == "not_applicable"


def test_the_notes_are_saved_alone_through_the_record_endpoint(cast):
    """What the record page's notes field autosaves with: the items endpoint with no item."""
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    response = api_as(staff).post(f"/api/v1/inspections/{inspection.pk}/items/",
                                  {"results": [], "notes": "企业负责人陪同"}, format="json")
    assert response.status_code == 200, response.json()
    inspection.refresh_from_db()
    assert inspection.notes == "企业负责人陪同"
    assert {i.result for i in items_of(inspection)} == {"pending"}


# --- all remaining compliant -------------------------------------------------------------------------------


def test_all_remaining_compliant_marks_only_the_items_not_checked_yet(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    items = items_of(inspection)
    client = api_as(staff)
    client.post(URL.format(inspection.pk), {"item": items[1].pk, "result": "non_compliant", "finding": "无证经营"},
                format="json")
    client.post(URL.format(inspection.pk), {"item": items[2].pk, "result": "not_applicable"}, format="json")
    events = AuditEvent.objects.filter(verb="inspection.record").count()
    response = client.post(REMAINING.format(inspection.pk), {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert sorted(body["marked"]) == sorted(i.pk for i in items if i.pk not in (items[1].pk, items[2].pk))
    assert body["progress"] == {"checked": len(items), "total": len(items)}
    results = [i.result for i in items_of(inspection)]
    assert results[1:3] == ["non_compliant", "not_applicable"]
    assert results.count("compliant") == len(items) - 2
    assert AuditEvent.objects.filter(verb="inspection.record").count() == events + 1   # one act
    again = client.post(REMAINING.format(inspection.pk), {}, format="json").json()
    assert again["marked"] == [] and AuditEvent.objects.filter(verb="inspection.record").count() == events + 1


# --- the record page ---------------------------------------------------------------------------------------


def test_the_record_page_shows_progress_and_finding_fields_only_for_non_compliant_items(cast, signed_in):
    staff = cast["users"]["bureau_staff"]
    inspection = start(staff, cast["inside"])
    items = items_of(inspection)
    client = api_as(staff)
    client.post(URL.format(inspection.pk), {"item": items[0].pk, "result": "compliant"}, format="json")
    client.post(URL.format(inspection.pk), {"item": items[1].pk, "result": "non_compliant", "finding": "未检测"},
                format="json")
    page = signed_in("bureau_staff").get(f"/inspections/{inspection.pk}/").content.decode()
    assert f"data-progress-checked>2</span>/<span data-progress-total>{len(items)}</span>" in page
    assert 'js-non-compliant-fields d-none" data-testid="non-compliant-fields-1"' in page
    assert 'js-non-compliant-fields" data-testid="non-compliant-fields-2"' in page
    assert 'capture="environment"' in page and "shouye/inspection.js" in page


# --- the enterprise search ---------------------------------------------------------------------------------


def test_the_search_finds_by_name_credit_code_or_address_within_scope(cast, signed_in):
    mashan = cast["inside"].township
    found = EnterpriseFactory(name="马山顺达物流有限公司", township=mashan, address="马山镇工业园9号")
    staff, officer = signed_in("bureau_staff"), signed_in("township_officer")

    def names(client, text):
        response = client.get(SEARCH, {"q": text})
        assert response.status_code == 200
        return [row["name"] for row in response.json()["results"]]

    assert names(staff, "顺达") == [found.name]
    assert names(staff, found.credit_code) == [found.name]
    assert found.name in names(staff, found.credit_code[:8])
    assert names(staff, "工业园9") == [found.name]
    assert names(officer, "顺达") == [found.name]
    assert names(staff, cast["outside"].name) == [cast["outside"].name]
    assert names(officer, cast["outside"].name) == []                 # another township's: not found
    assert names(officer, cast["outside"].credit_code) == []
    assert names(signed_in("department_officer"), cast["inside"].name) == []
    assert signed_in("enterprise_user").get(SEARCH, {"q": "有限"}).status_code == 403


def test_the_search_proposes_the_checklist_of_the_enterprise_s_industry(cast, signed_in):
    rows = {row["name"]: row for row in signed_in("bureau_staff").get(SEARCH, {"q": "有限公司"}).json()["results"]}
    chemicals = Checklist.objects.get(code="chemical-major-hazards")
    assert rows[cast["inside"].name]["checklist"] == chemicals.pk
    assert rows[cast["inside"].name]["checklist_name"] == chemicals.name
    building = Checklist.objects.filter(industry=cast["building"].industry, is_active=True).order_by("id").first()
    assert rows[cast["building"].name]["checklist"] == building.pk
    page = signed_in("bureau_staff").get(f"/inspections/new/?enterprise={cast['inside'].pk}").content.decode()
    assert f'<option value="{chemicals.pk}" selected>' in page


def test_the_search_answers_at_most_20_in_the_same_number_of_queries(cast, signed_in, django_assert_num_queries):
    client = signed_in("township_officer")
    client.get(SEARCH, {"q": "马山"})                                   # the session is warm
    mashan = cast["inside"].township
    EnterpriseFactory(name="马山一号加油站", township=mashan)
    with django_assert_num_queries(5) as few:
        assert len(client.get(SEARCH, {"q": "马山"}).json()["results"]) == 2
    EnterpriseFactory.create_batch(30, township=mashan, name="马山批量企业")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(SEARCH, {"q": "马山"}).json()["results"]) == 20
    long_text = client.get(SEARCH, {"q": "马" * 5000})
    assert long_text.status_code == 200 and long_text.json()["results"] == []


# --- inspectors --------------------------------------------------------------------------------------------


def test_a_township_officer_is_offered_its_own_township_s_people(cast, signed_in):
    mashan, xiaoli = cast["inside"].township, Region.objects.get(code="370113008")
    colleague = UserFactory(username="mashan2", display_name="马山同事", enforcement_certificate_no="37011300123")
    member(colleague, "township_officer", region=mashan)
    stranger = UserFactory(username="xiaoli1", display_name="孝里人员")
    member(stranger, "township_officer", region=xiaoli)
    page = signed_in("township_officer").get("/inspections/new/").content.decode()
    assert "马山同事（执法证号 37011300123）" in page
    assert "孝里人员" not in page and "bureau_staff" not in page
    bureau_page = signed_in("bureau_staff").get("/inspections/new/").content.decode()
    assert "bureau_admin（未登记执法证号）" in bureau_page
    assert "马山同事" not in bureau_page and "孝里人员" not in bureau_page


def test_an_inspector_outside_the_offer_is_refused_and_nothing_is_written(cast, signed_in):
    stranger = UserFactory(username="xiaoli1", display_name="孝里人员")
    member(stranger, "township_officer", region=Region.objects.get(code="370113008"))
    before = InspectionItem.objects.count()
    response = signed_in("township_officer").post("/inspections/new/", {
        "enterprise": cast["inside"].pk, "kind": "routine",
        "checklist": Checklist.objects.get(code="gas-station").pk, "inspected_at": "2026-01-05T09:00",
        "inspectors": [stranger.pk]})
    assert response.status_code == 400
    assert InspectionItem.objects.count() == before


def test_saving_an_item_and_the_rest_take_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    """A 20-item checklist costs what a 10-item one does: the item is found among the inspection's own in one
    query, the rest are updated in one statement."""
    staff = cast["users"]["bureau_staff"]
    client = api_as(staff)
    counts = []
    for checklist in ("gas-station", "chemical-major-hazards"):
        inspection = start(staff, cast["inside"], checklist=checklist)
        item = items_of(inspection)[-1]
        with django_assert_max_num_queries(30) as saving:
            assert client.post(URL.format(inspection.pk), {"item": item.pk, "result": "compliant"},
                               format="json").status_code == 200
        with django_assert_max_num_queries(30) as rest:
            assert client.post(REMAINING.format(inspection.pk), {}, format="json").status_code == 200
        counts.append((inspection.items.count(), len(saving.captured_queries), len(rest.captured_queries)))
    (small, *small_counts), (large, *large_counts) = counts
    assert small < large and small_counts == large_counts
