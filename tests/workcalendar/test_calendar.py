"""The work calendar as a bureau administrator uses it (REGULATIONS.md §8): the years seeded from
chinese_calendar, a year's days off and make-up working days, adding a year from the State Council's
notice on the page and through the service, importing a year the package knows; refusals write nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from shouye.audit.models import AuditEvent
from shouye.rules.errors import RuleInputError
from shouye.rules.workdays import known_years_of_chinese_calendar
from shouye.workcalendar import services
from shouye.workcalendar.choices import CalendarSource
from shouye.workcalendar.forms import line_error
from shouye.workcalendar.models import WorkCalendarDay, WorkCalendarYear
from shouye.workcalendar.package import DayEntry, package_arrangement
from shouye.workcalendar.selectors import work_calendar

pytestmark = pytest.mark.django_db

#: A year no chinese_calendar release knows yet: 1 Jan (Mon) off, National Day 1–5 Oct (Mon–Fri) off,
#: Saturday 29 Sep worked.
NEW_YEAR = 2035
ARRANGEMENT = "2035-01-01 休 元旦\n2035-09-29 班 国庆节\n2035-10-01~2035-10-05 休 国庆节"
DAYS = [
    DayEntry(date(2035, 1, 1), False, "元旦"),
    DayEntry(date(2035, 9, 29), True, "国庆节"),
    *(DayEntry(date(2035, 10, d), False, "国庆节") for d in range(1, 6)),
]


def zh(message: str) -> str:
    """A message as the Chinese page shows it."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def state() -> tuple[int, int, int]:
    return WorkCalendarYear.objects.count(), WorkCalendarDay.objects.count(), AuditEvent.objects.count()


# --- the seeded calendar -----------------------------------------------------------------------------


def test_every_year_chinese_calendar_knows_is_seeded():
    known = known_years_of_chinese_calendar()
    assert {2004, 2025, 2026} <= set(known)
    seeded = WorkCalendarYear.objects.filter(source=CalendarSource.CHINESE_CALENDAR)
    assert sorted(seeded.values_list("year", flat=True)) == sorted(known)
    assert work_calendar().years == frozenset(known)


def test_known_official_dates():
    calendar = work_calendar()
    assert calendar.is_workday(date(2025, 1, 26)) is True  # Sunday, make-up working day of the Spring Festival
    assert calendar.is_workday(date(2025, 10, 8)) is False  # Wednesday, National Day and Mid-Autumn holiday
    assert calendar.is_workday(date(2025, 10, 11)) is True  # Saturday, make-up working day
    assert calendar.is_workday(date(2025, 10, 9)) is True  # an ordinary Thursday
    assert calendar.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_only_days_that_differ_from_the_ordinary_week_are_stored():
    for day in WorkCalendarDay.objects.filter(date__year=2025):
        assert day.is_workday == (day.date.weekday() >= 5), day
    assert WorkCalendarDay.objects.get(date=date(2025, 1, 26)).note == "春节"


def test_a_year_not_in_the_table_is_an_error_never_a_guess():
    with pytest.raises(RuleInputError, match=f"{NEW_YEAR}年的节假日安排尚未录入工作日历") as error:
        work_calendar().is_workday(date(NEW_YEAR, 3, 1))
    assert error.value.field == "date"


def test_the_year_page_shows_holidays_and_make_up_days(signed_in):
    response = signed_in("bureau_admin").get(reverse("workcalendar:year", kwargs={"year": 2025}))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-date="2025-01-26" data-kind="makeup"' in text
    assert 'data-date="2025-10-08" data-kind="day_off"' in text
    assert 'data-date="2025-10-09" data-kind="workday"' in text
    assert 'data-date="2025-10-12" data-kind="weekend"' in text


def test_the_list_shows_every_year(signed_in):
    response = signed_in("bureau_admin").get(reverse("workcalendar:list"))
    assert response.status_code == 200
    for year in known_years_of_chinese_calendar():
        assert reverse("workcalendar:year", kwargs={"year": year}) in response.content.decode()


# --- adding a year ------------------------------------------------------------------------------------


def test_adding_a_year_on_the_page(cast, signed_in):
    events = AuditEvent.objects.count()
    client = signed_in("bureau_admin")
    response = client.post(reverse("workcalendar:add"), {
        "year": NEW_YEAR, "announced_on": "2025-11-12", "note": "国办发明电〔2025〕7号",
        "arrangement": ARRANGEMENT})
    assert response.status_code == 302
    assert response["Location"] == reverse("workcalendar:year", kwargs={"year": NEW_YEAR})

    stored = WorkCalendarYear.objects.get(year=NEW_YEAR)
    assert stored.source == CalendarSource.MANUAL and stored.created_by == cast["users"]["bureau_admin"]
    assert stored.announced_on == date(2025, 11, 12)
    assert [(d.date, d.is_workday, d.note) for d in stored.days.all()] == \
        [(d.date, d.is_workday, d.note) for d in DAYS]
    calendar = work_calendar()
    assert calendar.is_workday(date(2035, 10, 2)) is False
    assert calendar.is_workday(date(2035, 9, 29)) is True
    assert calendar.is_workday(date(2035, 10, 6)) is False  # a Saturday inside the run: off anyway
    assert calendar.is_workday(date(2035, 10, 8)) is True

    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert event.verb == "workcalendar.add_year" and event.target_id == str(stored.pk)
    assert event.changes["days_off"] == 6 and event.changes["makeup_days"] == 1

    page = client.get(response["Location"]).content.decode()
    assert 'data-date="2035-10-02" data-kind="day_off"' in page
    assert "workcalendar.add_year" in page  # the timeline


def test_adding_a_year_through_the_service(cast):
    admin = cast["users"]["bureau_admin"]
    with pytest.raises(RuleInputError):
        work_calendar().is_workday(date(2035, 10, 2))
    stored = services.add_year(actor=admin, year=NEW_YEAR, days=[(d.date, d.is_workday, d.note) for d in DAYS],
                               announced_on=None, note="")
    assert stored.days.count() == len(DAYS)
    assert work_calendar().is_workday(date(2035, 10, 2)) is False
    assert AuditEvent.objects.filter(verb="workcalendar.add_year", target_id=str(stored.pk)).count() == 1


@pytest.mark.parametrize("year, days, announced_on, key, message, values", [
    (2025, DAYS[:1], None, "year", "The arrangement for %(year)s is already in the calendar.", {"year": 2025}),
    (NEW_YEAR, [(date(2036, 1, 1), False, "元旦")], None, "days[0]", "%(date)s is not in %(year)s.",
     {"date": "2036-01-01", "year": NEW_YEAR}),
    (NEW_YEAR, [(date(2035, 1, 2), True, "")], None, "days[0]",
     "%(date)s is a %(weekday)s, a working day anyway: mark as make-up working days (班) only weekend days that "
     "are worked.", {"date": "2035-01-02", "weekday": date(2035, 1, 2)}),
    (NEW_YEAR, [(date(2035, 10, 6), False, "")], None, "days[0]",
     "%(date)s is a %(weekday)s, a rest day anyway: mark as days off (休) only weekdays that are not worked.",
     {"date": "2035-10-06", "weekday": date(2035, 10, 6)}),
    (NEW_YEAR, [DAYS[0], DAYS[1], DAYS[0]], None, "days[2]", "%(date)s is listed more than once.",
     {"date": "2035-01-01"}),
    (NEW_YEAR, [], None, "days", "Enter the days off and the make-up working days of %(year)s.",
     {"year": NEW_YEAR}),
    (NEW_YEAR, [("2035-01-01", False, "")], None, "days[0]",
     "Each day needs a date and whether it is a working day (a note is optional).", {}),
    (NEW_YEAR, DAYS, date(2999, 1, 1), "announced_on", "The notice cannot have been announced in the future.",
     {}),
    (1800, DAYS, None, "year", "Enter a year from %(first)s to %(last)s.", {"first": 1999, "last": 2100}),
])
def test_refusals_write_nothing(cast, year, days, announced_on, key, message, values):
    before = state()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.add_year(actor=cast["users"]["bureau_admin"], year=year, days=days, announced_on=announced_on,
                          note="")
    with translation.override("zh-hans"):
        if "weekday" in values:
            values = {**values, "weekday": date_format(values["weekday"], "l")}
        expected = zh(message) % values if values else zh(message)
    assert error.value.message_dict[key] == [expected]
    assert state() == before


def test_a_township_officer_may_not_add_a_year(cast):
    before = state()
    with pytest.raises(PermissionDenied):
        services.add_year(actor=cast["users"]["township_officer"], year=NEW_YEAR, days=DAYS, announced_on=None,
                          note="")
    assert state() == before


def test_the_page_reports_every_bad_line_and_writes_nothing(signed_in):
    before = state()
    arrangement = "2035-01-01 休 元旦\n2035-13-01 休\n2035-01-02 maybe\nhello"
    response = signed_in("bureau_admin").post(reverse("workcalendar:add"), {"year": NEW_YEAR,
                                                                             "arrangement": arrangement})
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = [
            line_error(2, zh("“%(text)s” is not a date.") % {"text": "2035-13-01"}),
            line_error(3, zh("after the date write 休 (day off) or 班 (make-up working day), not “%(text)s”.")
                       % {"text": "maybe"}),
            line_error(4, zh("cannot read “%(text)s”; write a date as YYYY-MM-DD, then 休 or 班, then a note, "
                             "for example “2027-01-01 休 元旦”.") % {"text": "hello"}),
        ]
    assert response.context["form"].errors["arrangement"] == expected
    assert state() == before


def test_the_page_places_the_services_refusal_on_its_line(signed_in):
    before = state()
    arrangement = "2035-01-01 休 元旦\n\n2035-01-03 班 一个周三"
    response = signed_in("bureau_admin").post(reverse("workcalendar:add"), {"year": NEW_YEAR,
                                                                             "arrangement": arrangement})
    assert response.status_code == 400
    [error] = response.context["form"].errors["arrangement"]
    with translation.override("zh-hans"):
        expected_prefix = line_error(3, "")
    assert error.startswith(expected_prefix) and "2035-01-03" in error
    assert error in response.content.decode()
    assert state() == before


def test_the_page_refuses_a_year_already_present(signed_in):
    before = state()
    response = signed_in("bureau_admin").post(reverse("workcalendar:add"), {
        "year": 2025, "arrangement": "2025-10-08 休 国庆节"})
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == [
        zh("The arrangement for %(year)s is already in the calendar.") % {"year": 2025}]
    assert state() == before


# --- importing a year the package knows ----------------------------------------------------------------


def test_importing_a_year_the_package_knows(cast, signed_in):
    WorkCalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(RuleInputError):
        work_calendar().is_workday(date(2026, 10, 1))
    events = AuditEvent.objects.count()
    response = signed_in("bureau_admin").post(reverse("workcalendar:import"), {"year": "2026"})
    assert response.status_code == 302
    stored = WorkCalendarYear.objects.get(year=2026)
    assert stored.source == CalendarSource.CHINESE_CALENDAR and stored.created_by == cast["users"]["bureau_admin"]
    assert [(d.date, d.is_workday) for d in stored.days.all()] == \
        [(d.date, d.is_workday) for d in package_arrangement(2026)]
    assert work_calendar().is_workday(date(2026, 10, 1)) is False
    assert AuditEvent.objects.count() == events + 1


def test_importing_a_year_the_package_does_not_know_is_refused(signed_in):
    before = state()
    client = signed_in("bureau_admin")
    response = client.post(reverse("workcalendar:import"), {"year": str(NEW_YEAR)}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and str(NEW_YEAR) in messages[0] and "chinese_calendar" in messages[0]
    assert state() == before


def test_importing_a_year_already_present_is_refused(cast):
    before = state()
    with pytest.raises(ValidationError) as error:
        services.import_year_from_package(actor=cast["users"]["bureau_admin"], year=2025)
    assert "year" in error.value.message_dict
    assert state() == before


# --- who may -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["township_officer", "bureau_staff", "leader", "enterprise_user", "nobody"])
def test_only_the_bureau_administrator_reaches_the_calendar_pages(signed_in, role):
    client = signed_in(role)
    before = state()
    for url in (reverse("workcalendar:list"), reverse("workcalendar:add"),
                reverse("workcalendar:year", kwargs={"year": 2025})):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("workcalendar:add"), {"year": NEW_YEAR, "arrangement": ARRANGEMENT}).status_code == 403
    assert client.post(reverse("workcalendar:import"), {"year": "2026"}).status_code == 403
    assert state() == before


def test_the_navigation_offers_the_calendar_to_the_administrator_only(signed_in):
    url = reverse("workcalendar:list")
    assert f'href="{url}"' in signed_in("bureau_admin").get(reverse("core:home")).content.decode()
    assert f'href="{url}"' not in signed_in("township_officer").get(reverse("core:home")).content.decode()


def test_an_unknown_year_page_is_404(signed_in):
    assert signed_in("bureau_admin").get(reverse("workcalendar:year", kwargs={"year": NEW_YEAR})).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("workcalendar:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
