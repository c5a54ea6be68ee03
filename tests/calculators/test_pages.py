"""The calculators page (issue 4) as enterprise and bureau users use it: each calculator posted as a form
(htmx and without JavaScript), the result with its basis, and the rule's Chinese error naming the field."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_(signed_in):
    return signed_in("enterprise_user")


def marked(html: str, name: str) -> str:
    """The text inside the element marked ``data-testid="name"``."""
    match = re.search(rf'data-testid="{name}"[^>]*>(.*?)</', html, re.S)
    assert match, f"no {name} in the answer"
    return match.group(1).strip()


def attribute(html: str, name: str, attr: str) -> str:
    match = re.search(rf'data-testid="{name}"[^>]*?{attr}="([^"]*)"', html)
    assert match, f"no {name}[{attr}] in the answer"
    return match.group(1)


def error_of(html: str) -> tuple[str, str]:
    """(field, text) of the calculator's error box."""
    match = re.search(r'data-testid="calc-error" data-field="([^"]*)"><strong>(.*?)</strong>：(.*?)</div>', html, re.S)
    assert match, "no error in the answer"
    return match.group(1), match.group(3)


# --- who may ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["enterprise_user", "township_officer", "department_officer", "bureau_staff",
                                  "bureau_admin", "leader", "expert"])
def test_every_member_reaches_the_page_and_the_navigation_link(signed_in, role):
    client = signed_in(role)
    response = client.get(reverse("calculators:index"))
    assert response.status_code == 200
    for card in ("major-hazard", "lec", "risk-matrix", "hot-work", "accident"):
        assert f'id="{card}"' in response.content.decode()
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("calculators:index")}"' in home


def test_a_user_without_a_membership_is_refused(signed_in):
    client = signed_in("nobody")
    assert client.get(reverse("calculators:index")).status_code == 403
    assert client.post(reverse("calculators:lec"), {"l": "3", "e": "6", "c": "7"}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("calculators:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- major hazard installations (GB 18218-2018, REGULATIONS.md §1.6) ------------------------------------


def major_hazard(client, rows, population, **extra):
    data = {"substance": [r[0] for r in rows], "category": [r[1] for r in rows],
            "quantity_t": [r[2] for r in rows], "exposed_population": population}
    return client.post(reverse("calculators:major-hazard"), data, **extra)


@pytest.mark.parametrize("rows, population, s, r, grade", [
    ([("二氧化硫", "", "200")], "60", "10", "30", "3"),
    ([("硫化氢", "", "2"), ("磷化氢", "", "2"), ("氯", "", "1")], "102", "2.6", "85.6", "2"),
    ([("液氯", "", "8")], "35", "1.6", "7.68", "4"),
    ([("7782-50-5", "", "8")], "35", "1.6", "7.68", "4"),  # chlorine by its CAS number
])
def test_worked_examples(client_, rows, population, s, r, grade):
    response = major_hazard(client_, rows, population, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # htmx gets the card alone
    assert marked(html, "mh-s") == s
    assert attribute(html, "mh-is-major", "data-major") == "true"
    assert marked(html, "mh-r") == r
    assert attribute(html, "mh-grade", "data-grade") == grade
    assert "GB 18218-2018" in marked(html, "basis")


def test_below_the_threshold_is_not_a_major_hazard_and_needs_no_population(client_):
    html = major_hazard(client_, [("氯", "", "2.5"), ("异丙醇", "W5.3", "400")], "").content.decode()
    assert marked(html, "mh-s") == "0.9"
    assert attribute(html, "mh-is-major", "data-major") == "false"
    assert "表2 W5.3" in html


def test_without_javascript_the_whole_page_answers(client_):
    response = major_hazard(client_, [("二氧化硫", "", "200")], "60")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert marked(html, "mh-r") == "30"


def test_unknown_substance_names_the_row(client_):
    response = major_hazard(client_, [("氯", "", "1"), ("不存在的物质", "", "3")], "10", **HTMX)
    assert response.status_code == 400
    field, message = error_of(response.content.decode())
    assert field == "substances[1].name"
    assert "“不存在的物质”不在GB 18218-2018表1中" in message


def test_a_bad_quantity_names_the_field_in_chinese(client_):
    response = major_hazard(client_, [("氯", "", "abc")], "10", **HTMX)
    assert response.status_code == 400
    field, message = error_of(response.content.decode())
    assert field == "substances[0].quantity_t"
    assert message == "第1项的实际存在量（t）应为数字，收到 &#x27;abc&#x27;"
    assert 'is-invalid" name="quantity_t" value="abc"' in response.content.decode()


def test_a_major_hazard_without_the_population_asks_for_it(client_):
    response = major_hazard(client_, [("液氯", "", "8")], "", **HTMX)
    assert response.status_code == 400
    field, message = error_of(response.content.decode())
    assert field == "exposed_population" and "缺少厂区边界外500 m范围内常住人口数" in message


def test_search_by_name_alias_cas_or_category(client_):
    url = reverse("calculators:substances")
    by_cas = client_.get(url, {"q": "7782-50-5"}).content.decode()
    assert 'data-row="12"' in by_cas and "氯" in by_cas
    by_alias = client_.get(url, {"q": "液氯"}).content.decode()
    assert 'data-row="12"' in by_alias
    by_category = client_.get(url, {"q": "w5"}).content.decode()
    assert 'data-category="W5.1"' in by_category and 'data-category="W5.3"' in by_category
    nothing = client_.get(url, {"q": "zzzz"}).content.decode()
    assert "data-row=" not in nothing and "data-category=" not in nothing


def test_picking_a_search_result_adds_a_filled_row(client_):
    html = client_.get(reverse("calculators:substance-row"), {"substance": "氯"}).content.decode()
    assert 'name="substance" value="氯"' in html
    html = client_.get(reverse("calculators:substance-row"), {"category": "W5.3"}).content.decode()
    assert '<option value="W5.3" selected>' in html


def test_without_javascript_rows_are_added_and_removed_by_posting(client_):
    url = reverse("calculators:major-hazard")
    added = client_.post(url, {"substance": ["氯"], "category": [""], "quantity_t": ["1"], "add_row": "1",
                               "exposed_population": "5"}).content.decode()
    assert added.count('class="substance-row"') == 2 and 'value="5"' in added
    removed = client_.post(url, {"substance": ["氯", "氨"], "category": ["", ""], "quantity_t": ["1", "2"],
                                 "remove_row": "0"}).content.decode()
    assert removed.count('class="substance-row"') == 1
    assert 'name="substance" value="氨"' in removed and 'name="substance" value="氯"' not in removed


def test_the_search_works_without_javascript(client_):
    html = client_.get(reverse("calculators:index"), {"q": "二氧化硫"}).content.decode()
    assert 'data-testid="substance-results"' in html and 'data-row="4"' in html


# --- LEC and the risk matrix (REGULATIONS.md §3) --------------------------------------------------------


@pytest.mark.parametrize("l, e, c, d, band, colour", [
    ("1", "10", "7", "70", "3", "yellow"),  # D = 70 is on the edge: the more dangerous band
    ("3", "3", "7", "63", "4", "blue"),
    ("10", "10", "100", "10000", "1", "red"),
    ("0.1", "0.5", "1", "0.05", "5", "blue"),
])
def test_lec(client_, l, e, c, d, band, colour):  # noqa: E741
    response = client_.post(reverse("calculators:lec"), {"l": l, "e": e, "c": c}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert marked(html, "lec-d") == d
    assert marked(html, "lec-band") == band
    assert attribute(html, "lec-colour", "data-colour") == colour
    assert "作业条件危险性评价法（LEC）" in marked(html, "basis")


def test_lec_offers_only_the_scale_values(client_):
    html = client_.get(reverse("calculators:index")).content.decode()
    select = re.search(r'<select name="l"[^>]*id="lec-l">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'value="([^"]*)"', select) == ["", "10", "6", "3", "1", "0.5", "0.2", "0.1"]


def test_lec_value_off_the_scale_is_refused_naming_the_field(client_):
    response = client_.post(reverse("calculators:lec"), {"l": "7", "e": "6", "c": "7"}, **HTMX)
    assert response.status_code == 400
    field, message = error_of(response.content.decode())
    assert field == "l"
    assert message == "L（事故发生的可能性）只能取10、6、3、1、0.5、0.2、0.1之一，收到 7"
    assert 'aria-invalid="true"' in response.content.decode()


def test_lec_missing_value(client_):
    response = client_.post(reverse("calculators:lec"), {"l": "3", "e": "", "c": "7"}, **HTMX)
    assert error_of(response.content.decode()) == ("e", "缺少E（暴露于危险环境的频繁程度）")


@pytest.mark.parametrize("l, s, r, colour", [("4", "5", "20", "red"), ("3", "3", "9", "orange"),
                                             ("2", "4", "8", "yellow"), ("1", "3", "3", "blue")])
def test_risk_matrix(client_, l, s, r, colour):  # noqa: E741
    html = client_.post(reverse("calculators:risk-matrix"), {"l": l, "s": s}, **HTMX).content.decode()
    assert marked(html, "matrix-r") == r
    assert attribute(html, "matrix-colour", "data-colour") == colour
    assert "风险矩阵法（LS）" in marked(html, "basis")


def test_risk_matrix_refuses_a_value_off_the_scale(client_):
    response = client_.post(reverse("calculators:risk-matrix"), {"l": "6", "s": "1"}, **HTMX)
    assert response.status_code == 400
    assert error_of(response.content.decode()) == ("l", "L（可能性）只能取1、2、3、4、5之一，收到 6")


# --- hot-work grade (GB 30871-2022 5.1) with the stored work calendar ----------------------------------


def hot_work(client, start, **flags):
    data = {"start": start, "outdoor": "on", **{k: "on" for k, v in flags.items() if v is True}}
    data.update({k: v for k, v in flags.items() if not isinstance(v, bool)})
    return client.post(reverse("calculators:hot-work"), data, **HTMX)


def test_hot_work_on_a_holiday_of_the_stored_calendar_is_raised(client_, year_2035):
    html = hot_work(client_, "2035-10-02T10:00", fire_explosion_area=True).content.decode()
    assert attribute(html, "hot-work-grade", "data-grade") == "special"
    assert "2035-10-02为节假日或公休日（5.1.1）" in marked(html, "hot-work-raised-by").replace("<li>", "")
    assert "GB 30871-2022 5.1.3" in html and "5.1.1：升级管理" in html
    assert attribute(html, "hot-work-validity", "data-hours") == "8"  # 特级 permits: 8 h (5.1.5)


def test_hot_work_on_a_make_up_working_day_is_not_raised(client_, year_2035):
    html = hot_work(client_, "2035-09-29T10:00", fire_explosion_area=True).content.decode()
    assert attribute(html, "hot-work-grade", "data-grade") == "1"
    assert 'data-testid="hot-work-raised-by"' not in html


def test_hot_work_on_an_official_holiday_of_the_seeded_calendar(client_):
    html = hot_work(client_, "2025-10-08T09:00").content.decode()
    assert attribute(html, "hot-work-grade", "data-grade") == "1"  # 二级 raised to 一级


def test_hot_work_at_night_and_in_wind(client_):
    html = hot_work(client_, "2025-10-09T21:00", wind_force="6").content.decode()
    assert attribute(html, "hot-work-grade", "data-grade") == "1"
    assert "21:00属夜间（5.1.1）" in html and "6级风露天动火" in html
    assert attribute(html, "hot-work-validity", "data-hours") == "8"


def test_hot_work_in_a_year_nobody_entered_is_an_error_naming_the_start(client_):
    response = hot_work(client_, "2035-10-02T10:00")
    assert response.status_code == 400
    field, message = error_of(response.content.decode())
    assert field == "start" and "2035年的节假日安排尚未录入工作日历" in message


def test_hot_work_with_a_bad_wind_force(client_):
    response = hot_work(client_, "2025-10-09T10:00", wind_force="-1")
    assert error_of(response.content.decode()) == ("wind_force", "风力等级不能小于0，收到 -1")


# --- accidents (国务院令第493号) ------------------------------------------------------------------------


def test_accident_grade_and_deadlines(client_):
    response = client_.post(reverse("calculators:accident"), {
        "deaths": "3", "serious_injuries": "0", "direct_loss_yuan": "2,000,000",
        "occurred_at": "2025-03-01T14:00", "kind": ""}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert attribute(html, "accident-grade", "data-grade") == "large"
    assert marked(html, "accident-grade") == "较大事故"
    deadlines = re.findall(r'<tr data-level="(\w+)"><td>[^<]*</td><td>([^<]*)</td>', html)
    assert deadlines == [("county", "2025-03-01 15:00"), ("city", "2025-03-01 17:00"),
                         ("province", "2025-03-01 19:00")]
    assert marked(html, "supplement-until") == "2025-03-31"
    assert "第三条" in marked(html, "basis")


def test_accident_of_road_traffic_has_a_seven_day_window(client_):
    html = client_.post(reverse("calculators:accident"), {
        "deaths": "0", "serious_injuries": "0", "direct_loss_yuan": "10000000",
        "occurred_at": "2025-03-01T23:30", "kind": "road_traffic"}, **HTMX).content.decode()
    assert attribute(html, "accident-grade", "data-grade") == "large"  # 1000万 is "以上": included
    assert marked(html, "supplement-until") == "2025-03-08"


@pytest.mark.parametrize("data, field, message", [
    ({"deaths": "-1"}, "deaths", "死亡人数不能小于0，收到 -1"),
    ({"deaths": "1.5"}, "deaths", "死亡人数应为整数，收到 1.5"),
    ({"serious_injuries": ""}, "serious_injuries", "缺少重伤人数"),
    ({"direct_loss_yuan": "很多"}, "direct_loss_yuan", "直接经济损失（元）应为数字，收到 &#x27;很多&#x27;"),
    ({"occurred_at": "昨天"}, "occurred_at",
     "事故发生时间应为ISO格式的日期时间（如 2025-10-01T08:30），收到 &#x27;昨天&#x27;"),
])
def test_accident_bad_input_names_the_field(client_, data, field, message):
    payload = {"deaths": "0", "serious_injuries": "0", "direct_loss_yuan": "0", "occurred_at": "2025-03-01T14:00",
               **data}
    response = client_.post(reverse("calculators:accident"), payload, **HTMX)
    assert response.status_code == 400
    assert error_of(response.content.decode()) == (field, message)


def test_errors_without_javascript_answer_400_with_the_page(client_):
    response = client_.post(reverse("calculators:accident"), {"deaths": "-1", "serious_injuries": "0",
                                                              "direct_loss_yuan": "0",
                                                              "occurred_at": "2025-03-01T14:00"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and error_of(html) == ("deaths", "死亡人数不能小于0，收到 -1")
