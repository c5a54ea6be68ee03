"""The navigation bar (issue 8): each app registers its menu entries with the permission that shows them and
the base template renders what the user may see, so a new app does not edit the base template. Moving the
entries out of the template must change nothing a user sees: ``navbar.json`` holds the bar as every role saw
it before the registry (CSRF tokens masked), with the one change of issue 10: the to-do badge and the
notification bell stand outside the collapsed menu, so a phone shows them."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.test.html import parse_html
from django.urls import reverse

from shouye.core.registry import NavEntry, navigation

pytestmark = pytest.mark.django_db

BEFORE_REGISTRY = json.loads((Path(__file__).parent / "navbar.json").read_text())

EVERY_OFFICER = ["core:home", "enterprises:list", "inspections:list", "enterprises:import", "risks:index",
                 "hazards:list", "workareas:list", "map:index", "risks:liveness", "calculators:index", "api-docs"]
READERS = ["core:home", "enterprises:list", "inspections:list", "risks:index", "hazards:list", "workareas:list",
           "calculators:index", "api-docs"]


def with_cockpit(names: list[str]) -> list[str]:
    """The cockpit (issue 10) after home, for those who hold the supervision plans."""
    return names[:1] + ["core:cockpit"] + names[1:]


def with_major_hazards(names: list[str]) -> list[str]:
    """The major hazard installations (issue 11) after the hazards and the work areas, for every role with a
    membership."""
    at = names.index("workareas:list" if "workareas:list" in names else "hazards:list") + 1
    return names[:at] + ["major_hazards:list"] + names[at:]


#: Which entries each role sees, in order; "nobody" is signed in without a membership.
ENTRIES = {
    "bureau_admin": with_cockpit(EVERY_OFFICER[:-1] + ["workcalendar:list", "api-docs"]),
    "bureau_staff": with_cockpit(EVERY_OFFICER),
    "leader": with_cockpit(READERS[:6] + ["map:index", "risks:liveness"] + READERS[6:]),
    "township_officer": with_cockpit(EVERY_OFFICER),
    "department_officer": with_cockpit(EVERY_OFFICER),
    "enterprise_user": READERS[:4] + ["risks:my-tasks"] + READERS[4:],
    "expert": READERS,
    "nobody": ["core:home", "api-docs"],
}


def with_special_periods(names: list[str]) -> list[str]:
    """The special periods (issue 12), a public notice of the bureau, for every role with a membership: after
    the calculators and the work calendar."""
    at = max(names.index(name) for name in ("calculators:index", "workcalendar:list") if name in names) + 1
    return names[:at] + ["workcalendar:periods"] + names[at:]


def with_permits(names: list[str]) -> list[str]:
    """The special-operation permits (issue 12) right after the major hazard installations, for every role with a
    membership."""
    at = names.index("major_hazards:list") + 1
    return names[:at] + ["permits:list"] + names[at:]


def with_permit_board(role: str, names: list[str]) -> list[str]:
    """The special-operation board (issue 12) after the major hazard installations (before the permits, by its
    key), for the bureau and the officers (who hold ``permits.view_permit_board``)."""
    if role not in ("bureau_admin", "bureau_staff", "leader", "township_officer", "department_officer"):
        return names
    at = names.index("major_hazards:list") + 1
    return names[:at] + ["permits:board"] + names[at:]


def with_monitoring(role: str, names: list[str]) -> list[str]:
    """Monitoring and alarms (issue 13), one drop-down menu after the map (by its key), or after the permits for
    those without the map: the duty console for the enterprise, whose users handle its alarms; the alarms; the
    board and statistics for the bureau and the officers; the points; the cameras for those who keep them; the
    video vendors and the alarm rules for the bureau's administrator."""
    at = names.index("map:index" if "map:index" in names else "permits:list") + 1
    officer = role in ("bureau_admin", "bureau_staff", "leader", "township_officer", "department_officer")
    menu = (["monitoring:console"] if role == "enterprise_user" else []) + ["monitoring:alarm-list"] \
        + (["monitoring:board", "monitoring:statistics"] if officer else []) + ["monitoring:points"] \
        + (["monitoring:cameras"] if role in ("bureau_admin", "enterprise_user") else []) \
        + (["monitoring:vendors", "monitoring:rules"] if role == "bureau_admin" else [])
    return names[:at] + menu + names[at:]


def with_duty(role: str, names: list[str]) -> list[str]:
    """Duty (issue 14), one drop-down menu right after monitoring: who is on duty now and the rosters for every
    role that files or reads rosters; the swaps and the duty log for the bureau's duty room; the setup for its
    administrator."""
    if role in ("expert", "nobody"):
        return names
    at = max(n for n, name in enumerate(names) if name.startswith("monitoring:")) + 1
    room = role in ("bureau_admin", "bureau_staff", "leader")
    menu = ["duty:now", "duty:rosters"] + (["duty:swaps", "duty:log"] if room else []) \
        + (["duty:setup"] if role == "bureau_admin" else [])
    return names[:at] + menu + names[at:]


OFFICERS = ("bureau_admin", "bureau_staff", "leader", "township_officer", "department_officer")


def with_response(role: str, names: list[str]) -> list[str]:
    """Emergency response (issue 14), one drop-down menu right after monitoring (by its key), before duty: the
    incidents for the bureau, the leaders and the officers; the warnings for them and for the enterprises (which
    are notified of warnings and acknowledge them); the rescue forces and the plans for every role with a
    membership."""
    if role == "nobody":
        return names
    at = max(n for n, name in enumerate(names) if name.startswith("monitoring:")) + 1
    menu = (["incidents:list"] if role in OFFICERS else []) \
        + (["warnings:list"] if role in (*OFFICERS, "enterprise_user") else []) + ["resources:teams", "plans:list"]
    return names[:at] + menu + names[at:]


def with_issue_14(role: str, names: list[str]) -> list[str]:
    """The response side's entries (issue 14): the response menu, then the duty menu after it."""
    with_menu = with_response(role, names)
    if role in ("expert", "nobody"):
        return with_menu
    at = max(n for n, name in enumerate(with_menu) if name.startswith("plans:")) + 1
    duty = with_duty(role, names)
    return with_menu[:at] + [name for name in duty if name.startswith("duty:")] + with_menu[at:]


ENTRIES = {role: names if role == "nobody"
           else with_issue_14(role, with_monitoring(role, with_permit_board(role, with_special_periods(with_permits(
               with_major_hazards(names))))))
           for role, names in ENTRIES.items()}


#: Entries registered after the bar moved into the registry, left out when it is compared with the bar before.
ADDED_SINCE = ("/cockpit/", "/map/", "/risks/", "/risks/my-tasks/", "/work-areas/", "/risks/liveness/",
               "/major-hazards/", "/calendar/periods/", "/permits/", "/permits/board/", "/incidents/",
               "/resources/teams/", "/emergency-plans/", "/warnings/")


def navbar(html: str) -> str:
    nav = re.search(r"<nav .*?</nav>", html, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="CSRF"', nav)


def without_added(nav: str) -> str:
    """The bar without the entries of :data:`ADDED_SINCE` and without the drop-down menus (all added since)."""
    nav = re.sub(r'\s*<li class="nav-item dropdown">.*?</ul>\s*</li>', "", nav, flags=re.S)
    for href in ADDED_SINCE:
        nav = re.sub(rf'\s*<li class="nav-item"><a class="nav-link" href="{re.escape(href)}">[^<]*</a></li>', "", nav)
    return nav


def menu_links(html: str) -> list[str]:
    return re.findall(r'class="(?:nav-link|dropdown-item)" href="([^"]+)"', navbar(html))


def home_page(user, language="zh-hans") -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client.get("/").content.decode()


@pytest.mark.parametrize("role", list(ENTRIES))
def test_each_role_sees_its_entries_in_order(cast, role):
    assert menu_links(home_page(cast["users"][role])) == [reverse(name) for name in ENTRIES[role]]


@pytest.mark.parametrize("role", list(ENTRIES))
def test_the_bar_is_what_it_was_before_the_registry(cast, role):
    assert parse_html(without_added(navbar(home_page(cast["users"][role])))) == parse_html(BEFORE_REGISTRY[role])


def test_the_bar_in_english_is_what_it_was(cast):
    html = home_page(cast["users"]["bureau_admin"], language="en")
    assert parse_html(without_added(navbar(html))) == parse_html(BEFORE_REGISTRY["bureau_admin_en"])


def test_signed_out_visitors_get_no_menu(db):
    html = Client().get("/accounts/login/").content.decode()
    assert menu_links(html) == []
    assert parse_html(navbar(html)) == parse_html(BEFORE_REGISTRY["anonymous"])


def test_an_entry_a_new_app_registers_appears_in_its_place_for_those_it_is_shown_to(cast, monkeypatch):
    monkeypatch.setattr(navigation, "entries", dict(navigation.entries))
    navigation.register(NavEntry(key="tip-offs", label="Tip-offs", url_name="hazards:tip-offs", order=55,
                                 permission="hazards.triage_tipoff"))
    staff = menu_links(home_page(cast["users"]["bureau_staff"]))
    assert staff[staff.index(reverse("hazards:list")) + 1] == reverse("hazards:tip-offs")
    assert reverse("hazards:tip-offs") not in menu_links(home_page(cast["users"]["township_officer"]))
